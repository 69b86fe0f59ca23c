#include "collectors/dns/dns_cache.h"

#include <algorithm>

namespace mailrep {

DnsCache::DnsCache(DnsCacheOptions options, std::shared_ptr<const Clock> clock)
    : options_(options), clock_(std::move(clock)) {}

std::string DnsCache::Key(std::string_view name, RecordType type) {
  std::string key = NormalizeDnsName(name);
  key.push_back('/');
  key.append(std::to_string(static_cast<uint16_t>(type)));
  return key;
}

std::optional<DnsAnswer> DnsCache::Lookup(std::string_view name, RecordType type) {
  auto it = entries_.find(Key(name, type));
  if (it == entries_.end()) return std::nullopt;
  SteadyTime now = clock_->SteadyNow();
  LruList::iterator entry = it->second;
  if (now >= entry->expires) {
    lru_.erase(entry);
    entries_.erase(it);
    return std::nullopt;
  }
  lru_.splice(lru_.begin(), lru_, entry);
  auto age = std::chrono::duration_cast<std::chrono::seconds>(now - entry->stored).count();
  uint32_t elapsed = static_cast<uint32_t>(std::max<int64_t>(0, age));
  DnsAnswer answer = entry->answer;
  answer.from_cache = true;
  answer.ttl = answer.ttl > elapsed ? answer.ttl - elapsed : 0;
  for (DnsRecord& record : answer.records) {
    record.ttl = record.ttl > elapsed ? record.ttl - elapsed : 0;
  }
  return answer;
}

void DnsCache::Insert(std::string_view name, RecordType type, const DnsAnswer& answer) {
  if (options_.max_entries == 0 || answer.ttl == 0) return;
  uint32_t cap;
  switch (answer.outcome) {
    case DnsOutcome::kData:
      cap = options_.max_ttl;
      break;
    case DnsOutcome::kNoData:
    case DnsOutcome::kNxDomain:
      cap = options_.max_negative_ttl;
      break;
    default:
      return;
  }
  uint32_t ttl = std::min(answer.ttl, cap);
  if (ttl == 0) return;

  std::string key = Key(name, type);
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    lru_.erase(it->second);
    entries_.erase(it);
  }
  while (entries_.size() >= options_.max_entries) {
    entries_.erase(lru_.back().key);
    lru_.pop_back();
  }
  SteadyTime now = clock_->SteadyNow();
  DnsAnswer stored = answer;
  stored.from_cache = false;
  stored.ttl = ttl;
  for (DnsRecord& record : stored.records) record.ttl = std::min(record.ttl, ttl);
  lru_.push_front(Entry{key, std::move(stored), now, now + std::chrono::seconds(ttl)});
  entries_.emplace(std::move(key), lru_.begin());
}

void DnsCache::Clear() {
  entries_.clear();
  lru_.clear();
}

}  // namespace mailrep
