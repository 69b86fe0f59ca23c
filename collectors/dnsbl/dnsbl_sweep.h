// One sweep: every target against every list that supports its kind, plus
// each involved list's RFC 5782 test points, through a Resolver in one batch.
// Shared by the collector, /probe and `check dnsbl`. Lists no target needs
// are not queried at all (so no targets means no queries).
//
// This is the one place a list's query is issued. A list with a local mirror
// (dnsbl_mirrors.h) is answered here from its data instead, with no DNS
// query; the answer is decoded by the same DecodeDnsblAnswer and its test
// points judged by the same JudgeDnsblHealth as a DNS answer.
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
#include "collectors/dnsbl/dnsbl_mirrors.h"
#include "collectors/dnsbl/dnsbl_result_grid.h"
#include "collectors/dnsbl/dnsbl_targets.h"

namespace mailrep {

struct DnsblListOutcome {
  bool queried = false;  // some target needed this list
  DnsblHealth health;    // meaningful when queried
  // Lookup errors this sweep (targets and test points), indexed by DnsblError.
  std::array<uint64_t, kDnsblErrorKinds> errors{};
  uint64_t queries = 0;  // DNS queries (0 for a mirrored list)
  bool local = false;    // answered from a local mirror
};

struct DnsblSweep {
  std::vector<DnsblListOutcome> lists;  // parallel to the lists passed in
  // results.Get(target, list); nullptr when the list does not support the
  // target. About 4 bytes per cell (a /16 x 10 lists: 2.6 MB).
  DnsblResultGrid results;
};

// Submits the test points first, then target by target across all lists (so
// every list's rate-limit bucket is busy at once), at most a few thousand
// queries at a time so memory stays bounded (the queries are made as they are
// submitted, and the answers decoded into the compact grid). Blocks
// until every answer is in (each query ends by `deadline`) or `stop` is
// requested (unfinished lookups then count as errors of kind "other").
//
// Lists in `local` are answered from their zone at once. A list whose
// mirror is unusable is unhealthy with the mirror's reason, and its targets'
// results are errors of kind "other" with that detail, not counted as lookup
// errors (nothing was looked up). `resolver` may be null when no list that a
// target needs is left for DNS.
DnsblSweep RunDnsblSweep(Resolver* resolver, const std::vector<DnsblListConfig>& lists,
                         const std::vector<DnsblTarget>& targets, SteadyTime deadline,
                         std::stop_token stop = {}, const DnsblLocalZones* local = nullptr);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNSBL_DNSBL_SWEEP_H_
