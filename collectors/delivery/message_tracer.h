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
#ifndef MAILREP_COLLECTORS_DELIVERY_MESSAGE_TRACER_H_
#define MAILREP_COLLECTORS_DELIVERY_MESSAGE_TRACER_H_

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "collectors/delivery/delivery_event.h"
#include "collectors/delivery/message_id_index.h"
#include "collectors/delivery/message_trace.h"

namespace mailrep {

class MessageTracer {
 public:
  static constexpr size_t kDefaultMaxPending = 100000;

  explicit MessageTracer(size_t max_pending = kDefaultMaxPending) : max_pending_(max_pending) {}

  // Notes a line's trace (nothing when trace.empty()).
  void Note(const MessageTrace& trace);

  // A delivery outcome: when `event` is sent and its queue id's Message-ID is
  // known, adds it to `index` with `sending_ip` ("" when unknown) at `now`.
  void OnDelivery(const DeliveryEvent& event, std::string_view sending_ip, MessageIdIndex& index,
                  int64_t now);

  // Messages waiting for their removal line.
  size_t pending() const { return pending_.size(); }

 private:
  struct Pending {
    uint64_t key = 0;  // MessageIdKey; 0 while unknown
    std::string submitter;
    uint64_t seq = 0;  // its place in order_
  };
  size_t max_pending_;
  std::unordered_map<std::string, Pending> pending_;  // queue id ->
  // (seq, queue id), oldest first; entries whose seq no longer matches are
  // stale (removed or noted again) and skipped.
  std::deque<std::pair<uint64_t, std::string>> order_;
  uint64_t next_seq_ = 0;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_MESSAGE_TRACER_H_
