// MessageIdIndex: the messages this host's MTAs sent, by Message-ID, so a
// complaint quoting one (an ARF report's original message) can be joined to
// the address it left from, its queue id and its submitter.
//
// The exporter owns one index for the process and keeps it across reloads;
// collectors get it through CollectorEnv::message_ids. The delivery collector
// adds a message when the log shows it sent (message_tracer.h); the reports
// collector looks complaints up (complaint_attribution.h).
//
// What an entry holds: a 64-bit hash of the normalized Message-ID (never the
// text), the sending IP and the submitter (each interned: a host has few
// addresses and accounts, so an entry holds two small ids), the queue id (at
// most kMaxQueueIdBytes) and when it was added. Never recipients.
//
// Bounded: at most `capacity` entries, each kept for `max_age`; when full the
// oldest entry makes room (complaints about the newest mail are the likely
// ones). A Message-ID added again (another recipient, another attempt) keeps
// its place and age and takes the newest sending IP, queue id and submitter.
// Times are Unix seconds from the caller's clock. About 100 bytes an entry
// (README, delivery section; delivery_benchmark --message-ids measures it).
//
// Thread-safe: every method may be called from any thread at once.
#ifndef MAILREP_COLLECTORS_DELIVERY_MESSAGE_ID_INDEX_H_
#define MAILREP_COLLECTORS_DELIVERY_MESSAGE_ID_INDEX_H_

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mailrep {

// The comparable form of a Message-ID field or log value: surrounding white
// space and one pair of angle brackets removed, the part after the last '@'
// (the domain, case-insensitive by RFC 5322) lower-cased, the part before it
// kept as written (it is case-sensitive). nullopt for text that cannot be a
// Message-ID: empty, longer than 998 bytes, or with white space, control
// bytes or another angle bracket inside.
std::optional<std::string> NormalizeMessageId(std::string_view text);

// A 64-bit hash of NormalizeMessageId(text); 0 when that is nullopt.
uint64_t MessageIdKey(std::string_view text);

class MessageIdIndex {
 public:
  static constexpr size_t kDefaultCapacity = 200000;
  static constexpr std::chrono::seconds kDefaultMaxAge = std::chrono::hours(24 * 7);
  static constexpr size_t kMaxQueueIdBytes = 31;
  static constexpr size_t kMaxSubmitterBytes = 256;

  explicit MessageIdIndex(size_t capacity = kDefaultCapacity,
                          std::chrono::seconds max_age = kDefaultMaxAge);

  // New bounds (config reloads); entries beyond them go at once, oldest first.
  // A capacity of 0 keeps nothing.
  void SetLimits(size_t capacity, std::chrono::seconds max_age);

  // Notes that the message with Message-ID key `key` (MessageIdKey; 0 is
  // ignored) left from `sending_ip` ("" when unknown) with `queue_id`, sent by
  // `submitter` ("" when unknown), at `now`. A longer queue id is cut to
  // kMaxQueueIdBytes, a longer submitter to kMaxSubmitterBytes.
  void Add(uint64_t key, std::string_view sending_ip, std::string_view queue_id,
           std::string_view submitter, int64_t now);

  // One Add's arguments, for AddAll.
  struct Addition {
    uint64_t key = 0;
    std::string sending_ip;
    std::string queue_id;
    std::string submitter;
    int64_t now = 0;
  };
  // Add for each, in order, under one lock (MessageTracer batches its adds).
  void AddAll(std::span<const Addition> additions);

  struct Entry {
    std::string sending_ip;  // "" when the log did not say
    std::string queue_id;
    std::string submitter;  // "" when the log did not say
    int64_t added = 0;      // Unix seconds
  };
  // The entry of the message whose Message-ID is `message_id` (any form
  // NormalizeMessageId takes), if added within max_age before `now`.
  std::optional<Entry> Find(std::string_view message_id, int64_t now) const;
  // The same by MessageIdKey (0 finds nothing), for callers that keep only
  // the hash (the spamscore collector's pending verdicts). There is no lookup
  // by queue id.
  std::optional<Entry> FindKey(uint64_t key, int64_t now) const;

  // Entries held at `now` (expired ones dropped first).
  size_t Size(int64_t now);
  // Entries dropped before max_age because the index was full, since it was made.
  uint64_t evicted() const;
  // Heap bytes the entries take now, estimated from the containers' sizes.
  size_t ApproximateBytes() const;

 private:
  struct Slot {
    uint64_t key;
    int64_t added;
    uint32_t ip;         // Interned id; 0 = ""
    uint32_t submitter;  // Interned id; 0 = ""
    uint8_t queue_id_size;
    char queue_id[kMaxQueueIdBytes];
  };
  struct Interned {
    std::string text;
    uint32_t refs = 0;
  };
  // A cell of the open-addressing table from key to sequence number
  // (linear probing, power-of-two size, at most 3/4 full; key 0 = free).
  struct Cell {
    uint64_t key;
    uint64_t seq;
  };
  // Hashes strings and string_views alike, so lookups need no copy.
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  // Needs mu_ for all below.
  void AddLocked(uint64_t key, std::string_view sending_ip, std::string_view queue_id,
                 std::string_view submitter, int64_t now);
  uint32_t Intern(std::string_view text);
  void Release(uint32_t id);
  void DropOldest();
  void Trim(int64_t now);
  size_t Home(uint64_t key) const;
  // The cell holding `key`, or the free cell where it would go.
  size_t Probe(uint64_t key) const;
  void EraseCell(size_t i);
  void Grow();
  Slot* FindSlot(uint64_t key);

  mutable std::mutex mu_;  // guards the members below
  size_t capacity_;
  std::chrono::seconds max_age_;
  std::deque<Slot> slots_;         // oldest first
  uint64_t first_seq_ = 0;         // sequence number of slots_.front()
  std::vector<Cell> cells_;        // key -> sequence number; empty until the first Add
  std::vector<Interned> strings_;  // [0] is ""
  std::vector<uint32_t> free_strings_;
  std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>> string_ids_;
  uint64_t evicted_ = 0;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_MESSAGE_ID_INDEX_H_
