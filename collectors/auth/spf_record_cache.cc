#include "collectors/auth/spf_record_cache.h"

#include <algorithm>
#include <optional>
#include <vector>

namespace mailrep {
namespace {

// The text of one TXT RR, joined into `storage` only when split.
std::string_view TxtText(const DnsRecord& record, std::string& storage) {
  if (record.texts.size() == 1) return record.texts[0];
  storage = JoinedTxt(record);
  return storage;
}

}  // namespace

void SpfFetchedRecord::Trim() {
  if (storage.capacity() > 4096) std::string().swap(storage);
  if (record.mechanisms.capacity() > 64) record = SpfRecord();
  if (!scratch.records.empty()) scratch = DnsAnswer();
}

SpfRecordCache::SpfRecordCache() : slots_(&Acquire(owned_)) {}

SpfRecordCache::~SpfRecordCache() {
  // Only slots up to size_ were written (a failed fetch uses the next).
  for (size_t i = 0; i < slots_->records.size() && i <= size_; ++i) slots_->records[i].Trim();
  slots_->in_use = false;
}

SpfRecordCache::Slots& SpfRecordCache::Acquire(std::unique_ptr<Slots>& owned) {
  thread_local Slots slots;
  Slots* chosen = &slots;
  if (slots.in_use) {  // a nested evaluation on this thread
    owned = std::make_unique<Slots>();
    chosen = owned.get();
  }
  chosen->in_use = true;
  return *chosen;
}

size_t SelectSpfRecord(const DnsAnswer& answer, SpfRecordScope scope, std::string_view& first,
                       std::string& storage) {
  std::string_view scope_name = scope == SpfRecordScope::kSenderIdPra ? "pra" : "mfrom";
  size_t spf1 = 0;
  size_t v2 = 0;
  std::string joined;
  for (const DnsRecord& record : answer.records) {
    if (record.type != RecordType::kTxt) continue;
    std::string_view text = TxtText(record, joined);
    if (scope != SpfRecordScope::kSpf1) {
      std::optional<std::vector<std::string>> scopes = SenderIdScopes(text);
      if (scopes && std::find(scopes->begin(), scopes->end(), scope_name) != scopes->end()) {
        if (v2++ == 0) first = TxtText(record, storage);
        continue;
      }
    }
    if (v2 == 0 && IsSpf1Record(text) && spf1++ == 0) first = TxtText(record, storage);
  }
  if (v2 > 0) return v2;
  return spf1;
}

}  // namespace mailrep
