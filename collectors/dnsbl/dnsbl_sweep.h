// One sweep: every target against every list that supports its kind, plus
// each involved list's RFC 5782 test points, through a Resolver in one batch.
// Shared by the collector, /probe and `check dnsbl`. Lists no target needs
// are not queried at all (so no targets means no queries).
#ifndef MAILREP_COLLECTORS_DNSBL_DNSBL_SWEEP_H_
#define MAILREP_COLLECTORS_DNSBL_DNSBL_SWEEP_H_

#include <array>
#include <cstdint>
#include <optional>
#include <stop_token>
#include <vector>

#include "collectors/dns/resolver.h"
#include "collectors/dnsbl/dnsbl_answer.h"
#include "collectors/dnsbl/dnsbl_config.h"
#include "collectors/dnsbl/dnsbl_health.h"
#include "collectors/dnsbl/dnsbl_targets.h"

namespace mailrep {

struct DnsblListOutcome {
  bool queried = false;  // some target needed this list
  DnsblHealth health;    // meaningful when queried
  // Lookup errors this sweep (targets and test points), indexed by DnsblError.
  std::array<uint64_t, 8> errors{};
  uint64_t queries = 0;
};

struct DnsblSweep {
  std::vector<DnsblListOutcome> lists;  // parallel to the lists passed in
  // results[target][list]; nullopt when the list does not support the target.
  std::vector<std::vector<std::optional<DnsblResult>>> results;
};

// Submits the test points first, then target by target across all lists (so
// every list's rate-limit bucket is busy at once), at most a few thousand
// queries at a time so memory stays bounded for /22 x 30-list sweeps. Blocks
// until every answer is in (each query ends by `deadline`) or `stop` is
// requested (unfinished lookups then count as errors of kind "other").
DnsblSweep RunDnsblSweep(Resolver& resolver, const std::vector<DnsblListConfig>& lists,
                         const std::vector<DnsblTarget>& targets, SteadyTime deadline,
                         std::stop_token stop = {});

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNSBL_DNSBL_SWEEP_H_
