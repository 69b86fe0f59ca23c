// SubmitterDistincts: one time bucket's distinct counts per submitter — the
// SMTP client addresses and the recipient domains of its messages — kept for
// the submitters with the most messages in the bucket only, so that its
// memory is bounded whatever the traffic (a bucket of SubmitterStats'
// windows; Windowed<SubmitterDistincts>).
//
// Submitters are keyed by a 64-bit hash of their SubmitterKey (two keys
// sharing a hash would share their entry: at 10^4 keys a chance of about
// 10^-11). Each entry holds the bucket's message count of its submitter and
// two HyperLogLogs of kPrecision (standard error 1.04 / 16 = 6.5 %; exact up
// to a few items and within about 1 % up to 25, see hyperloglog.h; sparse,
// 4 bytes an item, up to 8 items, then 256 bytes). When a new submitter would
// make the entries more than kMaxKeys, it is admitted only if the messages
// it brings reach the smallest count the last prune kept, and then the table
// first keeps only the kKeep with the most messages (the others' distinct
// counts for this bucket are lost: a submitter that comes back starts again
// from nothing). A submitter ranked in the top kKeep of a bucket by messages
// from its first run in the bucket on is never dropped from it.
//
// Memory: at most kMaxKeys entries of 128 bytes plus their registers (2 x
// 256 bytes at most): 155 KiB a bucket at worst (the tests check it), a few
// KiB for submitters with few addresses and domains. Not thread-safe.
#ifndef MAILREP_COLLECTORS_DELIVERY_SUBMITTER_DISTINCTS_H_
#define MAILREP_COLLECTORS_DELIVERY_SUBMITTER_DISTINCTS_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "collectors/sketch/hyperloglog.h"

namespace mailrep {

class SubmitterDistincts {
 public:
  static constexpr int kPrecision = 8;
  static constexpr size_t kKeep = 192;
  static constexpr size_t kMaxKeys = kKeep + kKeep / 4;

  struct Entry {
    uint64_t key = 0;
    uint64_t messages = 0;  // in this bucket, while kept
    HyperLogLog client_ips{kPrecision};
    HyperLogLog recipient_domains{kPrecision};
  };

  // Adds `messages` to the count of `key`'s entry. A new key is admitted
  // while the table has room; when full, only if `messages` reaches the
  // smallest count kept by the last prune (it would go first otherwise), and
  // then after a prune. False when not admitted.
  bool Touch(uint64_t key, uint64_t messages);
  // The entry of `key`, or nullptr. Valid until the next Touch or Clear.
  const Entry* Find(uint64_t key) const;
  Entry* Find(uint64_t key);

  // Forgets everything and releases the memory (Windowed's contract).
  void Clear();
  size_t size() const { return entries_.size(); }
  // Heap bytes held plus the object itself.
  size_t MemoryBytes() const;

 private:
  void Prune();
  void Reindex();

  std::vector<Entry> entries_;
  uint64_t floor_ = 0;           // the smallest count the last prune kept
  std::vector<uint32_t> index_;  // entry + 1, 0 = free; power-of-two size, at most half full
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_SUBMITTER_DISTINCTS_H_
