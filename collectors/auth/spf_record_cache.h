// The records one SPF evaluation has fetched, each parsed once so that loops
// and repeated includes reuse it, and the selection of a domain's SPF record
// from its TXT answer.
//
// SpfRecordCache lives for one evaluation. Its few slots are kept per thread
// between evaluations so that their strings and vectors are allocated once,
// not once per check; only the buffers are reused, never a result. A nested
// evaluation on the same thread gets slots of its own. Not thread-safe: one
// cache belongs to one evaluation on one thread.
#ifndef MAILREP_COLLECTORS_AUTH_SPF_RECORD_CACHE_H_
#define MAILREP_COLLECTORS_AUTH_SPF_RECORD_CACHE_H_

#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "collectors/auth/spf_evaluator.h"
#include "collectors/auth/spf_record.h"
#include "collectors/dns/dns_types.h"
#include "exporter/util/ascii.h"

namespace mailrep {

// A domain's parsed record. `record` points into `scratch` (or the answer
// the DnsLookup kept) and `storage`.
struct SpfFetchedRecord {
  std::string domain;
  DnsAnswer scratch;  // the TXT answer when the DnsLookup did not keep it
  std::string storage;
  SpfRecord record;

  // Drops buffers too large to keep between evaluations.
  void Trim();
};

class SpfRecordCache {
 public:
  SpfRecordCache();
  ~SpfRecordCache();
  SpfRecordCache(const SpfRecordCache&) = delete;
  SpfRecordCache& operator=(const SpfRecordCache&) = delete;

  // The record kept for `domain` (case-blind), or nullptr.
  const SpfFetchedRecord* Find(std::string_view domain) const {
    for (size_t i = 0; i < size_; ++i) {
      if (EqualsIgnoreCase(slots_->records[i].domain, domain)) return &slots_->records[i];
    }
    return nullptr;
  }

  // The slot to fill for a new domain, or nullptr when the cache is full (the
  // caller then fetches into a record of its own). The slot stays free until
  // Keep().
  SpfFetchedRecord* FreeSlot() {
    return size_ < slots_->records.size() ? &slots_->records[size_] : nullptr;
  }
  // Keeps the slot FreeSlot() returned, now filled.
  void Keep() { ++size_; }

 private:
  struct Slots {
    std::array<SpfFetchedRecord, 4> records;
    bool in_use = false;
  };
  static Slots& Acquire(std::unique_ptr<Slots>& owned);

  std::unique_ptr<Slots> owned_;  // when nested in another evaluation
  Slots* slots_;
  size_t size_ = 0;
};

// Counts the records in a TXT `answer` that apply to `scope` and sets `first`
// to the first of them (a view into `answer` or `storage`). Sender ID records
// (spf2.0/) covering the scope win over v=spf1 ones.
size_t SelectSpfRecord(const DnsAnswer& answer, SpfRecordScope scope, std::string_view& first,
                       std::string& storage);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_AUTH_SPF_RECORD_CACHE_H_
