// ResolverSpfDns: the SPF evaluator's synchronous lookups on the shared
// Resolver, each bounded by a per-lookup timeout, an overall deadline and a
// stop token (a cancelled lookup answers kCancelled, which SPF maps to
// temperror). One instance per evaluation; not thread-safe.
#ifndef MAILREP_COLLECTORS_AUTH_RESOLVER_SPF_DNS_H_
#define MAILREP_COLLECTORS_AUTH_RESOLVER_SPF_DNS_H_

#include <chrono>
#include <stop_token>

#include "collectors/auth/spf_dns.h"
#include "collectors/dns/resolver.h"

namespace mailrep {

class ResolverSpfDns : public SpfDns {
 public:
  // `resolver` must outlive this object.
  ResolverSpfDns(Resolver& resolver, std::chrono::milliseconds per_lookup, SteadyTime deadline,
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

#endif  // MAILREP_COLLECTORS_AUTH_RESOLVER_SPF_DNS_H_
