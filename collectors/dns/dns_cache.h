// DnsCache: answers kept for their TTL, keyed by (name, type).
//
// Positive answers (kData) live for DnsAnswer::ttl; negative ones (kNoData,
// kNxDomain) for their RFC 2308 TTL, which the decoder takes from the SOA in
// the authority section — a negative answer without an SOA has TTL 0 and is
// not cached (RFC 2308 §5). No other outcome is cached. TTLs are capped at
// max_ttl / max_negative_ttl; when the cache is full the least recently used
// entry goes. Lookups return the answer with TTLs reduced by its age and
// from_cache set.
//
// Not thread-safe: callers serialise access (CaresResolver touches it only from
// its worker thread).
#ifndef MAILREP_COLLECTORS_DNS_DNS_CACHE_H_
#define MAILREP_COLLECTORS_DNS_DNS_CACHE_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "collectors/dns/dns_types.h"
#include "exporter/core/clock.h"

namespace mailrep {

struct DnsCacheOptions {
  size_t max_entries = 100000;        // 0 disables the cache
  uint32_t max_ttl = 86400;           // seconds, cap for positive answers
  uint32_t max_negative_ttl = 10800;  // seconds, cap for NXDOMAIN/NODATA (RFC 2308 §5: 1-3 h)
};

class DnsCache {
 public:
  explicit DnsCache(DnsCacheOptions options, std::shared_ptr<const Clock> clock = Clock::Real());
  DnsCache(const DnsCache&) = delete;
  DnsCache& operator=(const DnsCache&) = delete;

  // The cached answer for (name, type), or nullopt when absent or expired.
  // `name` is normalised (NormalizeDnsName).
  std::optional<DnsAnswer> Lookup(std::string_view name, RecordType type);

  // Stores `answer` for (name, type) if its outcome and TTL allow it.
  void Insert(std::string_view name, RecordType type, const DnsAnswer& answer);

  size_t size() const { return entries_.size(); }
  void Clear();

 private:
  struct Entry {
    std::string key;
    DnsAnswer answer;
    SteadyTime stored;
    SteadyTime expires;
  };
  using LruList = std::list<Entry>;

  static std::string Key(std::string_view name, RecordType type);

  const DnsCacheOptions options_;
  const std::shared_ptr<const Clock> clock_;
  LruList lru_;  // most recently used first
  std::unordered_map<std::string, LruList::iterator> entries_;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNS_DNS_CACHE_H_
