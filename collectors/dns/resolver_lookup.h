// ResolverLookup: a record check's synchronous lookups (DnsLookup) on the
// shared Resolver, each bounded by a per-lookup timeout, an overall deadline
// and a stop token (a cancelled lookup answers kCancelled, which SPF maps to
// temperror). One instance per evaluation; not thread-safe.
#ifndef MAILREP_COLLECTORS_DNS_RESOLVER_LOOKUP_H_
#define MAILREP_COLLECTORS_DNS_RESOLVER_LOOKUP_H_

#include <chrono>
#include <stop_token>

#include "collectors/dns/dns_lookup.h"
#include "collectors/dns/resolver.h"

namespace mailrep {

// Each lookup's own limit in the auth checks (SPF, DKIM, DMARC, PTR, MTA-STS),
// within the check's overall deadline.
inline constexpr std::chrono::milliseconds kAuthLookupTimeout{5000};

class ResolverLookup : public DnsLookup {
 public:
  // `resolver` must outlive this object.
  ResolverLookup(Resolver& resolver, std::chrono::milliseconds per_lookup, SteadyTime deadline,
                 std::stop_token stop = {})
      : resolver_(resolver), per_lookup_(per_lookup), deadline_(deadline), stop_(stop) {}

  DnsAnswer Lookup(std::string_view name, RecordType type) override;

 private:
  Resolver& resolver_;
  std::chrono::milliseconds per_lookup_;
  SteadyTime deadline_;
  std::stop_token stop_;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNS_RESOLVER_LOOKUP_H_
