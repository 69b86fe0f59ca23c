#include "collectors/dns/resolver_lookup.h"

#include <algorithm>

namespace mailrep {

DnsAnswer ResolverLookup::Lookup(std::string_view name, RecordType type) {
  if (stop_.stop_requested()) {
    DnsAnswer cancelled;
    cancelled.outcome = DnsOutcome::kCancelled;
    cancelled.canonical_name = NormalizeDnsName(name);
    cancelled.error = "check cancelled";
    return cancelled;
  }
  std::vector<DnsQuery> query(1);
  query[0].name = std::string(name);
  query[0].type = type;
  query[0].deadline = std::min(deadline_, std::chrono::steady_clock::now() + per_lookup_);
  // Watches the stop token too: a stop (SIGTERM) ends a lookup in flight
  // instead of waiting for its timeout.
  return std::move(resolver_.ResolveAll(std::move(query), stop_)[0]);
}

}  // namespace mailrep
