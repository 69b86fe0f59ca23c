#include "collectors/auth/resolver_spf_dns.h"

#include <algorithm>

namespace mailrep {

DnsAnswer ResolverSpfDns::Lookup(std::string_view name, RecordType type) {
  if (stop_.stop_requested()) {
    DnsAnswer cancelled;
    cancelled.outcome = DnsOutcome::kCancelled;
    cancelled.canonical_name = NormalizeDnsName(name);
    cancelled.error = "check cancelled";
    return cancelled;
  }
  SteadyTime deadline = std::min(deadline_, std::chrono::steady_clock::now() + per_lookup_);
  return resolver_.Resolve(name, type, deadline);
}

}  // namespace mailrep
