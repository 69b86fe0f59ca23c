// Per-message summaries kept between scans of one Postfix queue_directory
// (queue, bytes, arrival, pending recipients, recipient domain ids, reason
// classes), so that unchanged files are not opened again (postfix_queue_scan.h
// says when a file counts as unchanged).
//
// About 90 bytes per cached message plus the distinct domains. Entries not
// seen by a scan are dropped at its end (State::Sweep). Not thread-safe across
// scans: use one cache with one scan at a time; the scan's own threads share
// the State under State::mu.
#ifndef MAILREP_COLLECTORS_QUEUE_POSTFIX_SCAN_CACHE_H_
#define MAILREP_COLLECTORS_QUEUE_POSTFIX_SCAN_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "collectors/reply/reply_classifier.h"

namespace mailrep {

class PostfixScanCache {
 public:
  PostfixScanCache();
  ~PostfixScanCache();
  PostfixScanCache(const PostfixScanCache&) = delete;
  PostfixScanCache& operator=(const PostfixScanCache&) = delete;

  size_t messages() const;  // cached entries
  size_t domains() const;   // interned domain names
  void Clear();             // forget everything (the next scan is cold)

  struct State;  // below; used by the scan (postfix_message_scan.cc)
  State& state() { return *state_; }

 private:
  std::unique_ptr<State> state_;
};

// Domain ids index `domain_names`; id 0 is "other" (the table is full).
struct PostfixScanCache::State {
  struct Message {
    uint64_t validator = 0;  // hash of the file's and its defer log's identity
    uint64_t bytes = 0;
    int64_t arrival = 0;
    uint32_t recipients = 0;
    uint32_t generation = 0;  // of the last scan that saw it
    uint32_t domains[2] = {0, 0};
    std::unique_ptr<uint32_t[]> more_domains;  // all of them when more than 2
    uint16_t domain_count = 0;
    uint16_t reasons = 0;  // bit per ReplyReason
    static_assert(kAllReplyReasons.size() <= 16, "reasons holds one bit per reason");
    uint8_t flags = 0;
    uint8_t unknown_records = 0;  // saturating
  };

  State() { domain_names.emplace_back("other"); }

  // The id of `domain`, interned when new; 0 ("other") when the table already
  // holds `max_domains`. Under mu.
  uint32_t InternLocked(std::string&& domain, size_t max_domains);

  void Clear();

  // After a scan: drops what it did not see (an older generation); clears
  // everything when the domain table holds far more than the `live_domains`
  // the queue uses now, so that it cannot grow without bound.
  void Sweep(size_t live_domains);

  std::mutex mu;
  std::unordered_map<uint64_t, Message> messages;  // by the inode in the queue id
  std::unordered_map<std::string, uint32_t> domain_ids;
  std::deque<std::string> domain_names;
  uint32_t generation = 0;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_POSTFIX_SCAN_CACHE_H_
