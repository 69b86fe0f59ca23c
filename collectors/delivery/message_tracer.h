// MessageTracer: joins what one log source says about a message before it is
// delivered (its Message-ID, its submitter; MessageTrace) to its deliveries,
// by queue id, and adds each message sent to the MessageIdIndex.
//
// Postfix logs the submitter (smtpd, pickup) and then the Message-ID
// (cleanup) before the deliveries (smtp) and the removal (qmgr); Exim logs
// both on the arrival line. The tracer keeps, per queue id, the Message-ID's
// key and the submitter until the removal line, at most `max_pending`
// messages (the oldest go first: a message that never shows its removal, for
// example because the log was rotated away, does not stay forever). Queue
// ids are per MTA instance, so use one tracer per log source. Not
// thread-safe (the delivery collector's run thread owns it); movable, which
// is how a reload hands it over.
//
// Costs: it is called for every line, so the per-message state is a pooled
// flat table (slots reused, an open-addressing index of queue ids hashed
// inline, no heap allocation per message once warm); the submitter's and the
// client's Hash64 are taken once, when noted, for the submitter statistics,
// which ask all they need of an outcome through one Find. Messages sent
// reach the index in batches, one lock per batch: OnDelivery queues them,
// Flush adds them (call it at the end of each read; OnDelivery flushes by
// itself every kMaxBatch).
#ifndef MAILREP_COLLECTORS_DELIVERY_MESSAGE_TRACER_H_
#define MAILREP_COLLECTORS_DELIVERY_MESSAGE_TRACER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/delivery/delivery_event.h"
#include "collectors/delivery/message_id_index.h"
#include "collectors/delivery/message_trace.h"

namespace mailrep {

class MessageTracer {
 public:
  static constexpr size_t kDefaultMaxPending = 100000;
  // Messages sent that OnDelivery queues before it flushes them itself.
  static constexpr size_t kMaxBatch = 4096;
  // Longer queue ids are cut to this (as the index keeps them).
  static constexpr size_t kMaxQueueIdBytes = MessageIdIndex::kMaxQueueIdBytes;

  explicit MessageTracer(size_t max_pending = kDefaultMaxPending) : max_pending_(max_pending) {}

  // Notes a line's trace (nothing when trace.empty()).
  void Note(const MessageTrace& trace);

  // A delivery outcome: when `event` is sent and its queue id's Message-ID is
  // known, queues it for `index` with `sending_ip` ("" when unknown) at
  // `now`. It is in the index after the next Flush (or at once when the
  // queue reaches kMaxBatch).
  void OnDelivery(const DeliveryEvent& event, std::string_view sending_ip, MessageIdIndex& index,
                  int64_t now);

  // Adds the queued messages to `index`, under one lock.
  void Flush(MessageIdIndex& index);

  // What the log said about who submitted the message with `queue_id` before
  // its removal line: the submitter and its kind (kNone when the log named
  // none), the SMTP client's address and the envelope sender's domain
  // (lower-cased), each "" when unknown. Views valid until the next Note.
  struct Origin {
    LoggedSubmitterKind kind = LoggedSubmitterKind::kNone;
    std::string_view submitter;
    std::string_view client_ip;
    std::string_view sender_domain;
  };
  // nullopt when `queue_id` is not pending.
  std::optional<Origin> OriginOf(std::string_view queue_id) const;

  // Sets `flag` (a bit the caller chooses) on the pending message `queue_id`:
  // true when it was not set yet, so the caller counts a message once per
  // kind of outcome; also true when the message is not pending (it cannot be
  // told apart, so each call counts). The flags go with the message.
  bool MarkOnce(std::string_view queue_id, uint8_t flag);

  // Messages waiting for their removal line.
  size_t pending() const { return live_; }

 private:
  struct Slot;

 public:
  // Recipients per message whose deferral is remembered (Pending::FirstOutcome).
  static constexpr size_t kMaxDeferredRecipients = 8;

  // One pending message, for the submitter statistics: a single probe answers
  // all their questions about one outcome line. Empty (false) when the queue
  // id is not pending. Valid until the next Note.
  class Pending {
   public:
    explicit operator bool() const { return slot_ != nullptr; }
    Origin origin() const;
    // Hash64 of origin().submitter and of origin().client_ip (0 when empty),
    // computed once when the line naming them was noted.
    uint64_t submitter_hash() const;
    uint64_t client_ip_hash() const;
    // As MessageTracer::MarkOnce, on this message.
    bool MarkOnce(uint8_t flag);
    // Whether an outcome for `recipient` (as logged) is that recipient's
    // first in this message (so it counts once among the
    // message's recipients). A deferral is remembered (up to
    // kMaxDeferredRecipients per message) and its recipient's later outcomes
    // are not first; past that, a deferral is not counted and the
    // recipient's final outcome (sent, bounced) is. A final outcome is first
    // unless the recipient's deferral was remembered (it is forgotten then).
    bool FirstOutcome(std::string_view recipient, bool deferred);

   private:
    friend class MessageTracer;
    Slot* slot_ = nullptr;
  };
  Pending Find(std::string_view queue_id);

  // Longest client address and sender domain kept (longer ones are cut).
  static constexpr size_t kMaxClientIpBytes = 45;
  static constexpr size_t kMaxDomainBytes = 255;

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  struct Slot {
    uint64_t hash = 0;            // of the queue id
    uint64_t key = 0;             // MessageIdKey; 0 while unknown
    uint64_t submitter_hash = 0;  // Hash64(submitter); 0 while empty
    uint64_t client_ip_hash = 0;  // Hash64(client_ip); 0 while empty
    // Strings are cleared, not freed, when the slot is reused.
    std::string submitter;
    std::string client_ip;
    std::string sender_domain;  // lower-cased
    LoggedSubmitterKind kind = LoggedSubmitterKind::kNone;
    uint8_t flags = 0;  // MarkOnce's
    uint8_t deferred_size = 0;
    uint32_t deferred[kMaxDeferredRecipients];  // [0, deferred_size): recipients deferred
    uint32_t prev = kNone;                      // the older / newer live slot (insertion order)
    uint32_t next = kNone;
    uint8_t queue_id_size = 0;
    char queue_id[kMaxQueueIdBytes];
    std::string_view QueueId() const { return {queue_id, queue_id_size}; }
  };

  // The cell of `queue_id` (hash `hash`), or the free cell where it would go.
  size_t Probe(std::string_view queue_id, uint64_t hash) const;
  // The slot of a pending `queue_id` (cut to kMaxQueueIdBytes), or nullptr.
  const Slot* FindSlot(std::string_view queue_id) const;
  void EraseCell(size_t cell);
  void Grow();
  void Unlink(uint32_t slot);
  void Remove(size_t cell);  // frees the slot in `cell`

  size_t max_pending_;
  std::vector<Slot> slots_;      // the pool; grows to at most max_pending_ + 1
  std::vector<uint32_t> free_;   // slots not in use
  std::vector<uint32_t> cells_;  // slot + 1, 0 = free; power-of-two size, at most half full
  uint32_t oldest_ = kNone, newest_ = kNone;
  size_t live_ = 0;
  std::vector<MessageIdIndex::Addition> batch_;  // [0, batch_size_) queued; reused
  size_t batch_size_ = 0;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_MESSAGE_TRACER_H_
