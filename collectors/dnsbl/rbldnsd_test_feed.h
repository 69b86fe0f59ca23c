// Generated rbldnsd data files shaped like a real feed, for the benchmarks
// that load large mirrors (rbldnsd_zone_benchmark, dnsbl_mirror_sweep_benchmark).
// Benchmark and test only.
//
// The file lists the RFC 5782 test point 127.0.0.2 (and never 127.0.0.1, so
// the list is healthy), sets a default value with a `$` substitution, then
// writes `entries` entry lines of the format's kinds, drawn from a seeded
// generator (the same options give the same file):
//   ip4set   80% single addresses; 6% with a value of their own (A and TXT,
//            or A only); 8% /24 and /25-/30 CIDRs; 3% short ranges (last
//            octet, or across octets); 3% `!` exclusions inside the latest
//            CIDR
//   ip4trie  the same, with CIDRs in place of ranges (ip4trie has none)
//   ip4tset  single addresses only (the format holds nothing else)
//   dnset    host names, `*.` wildcards and `!` exclusions
// No entry lies in 127.0.0.0/8. A share of the IPv4 entries (focus_ppm)
// falls inside `focus`, the network a benchmark sweeps, so its lookups find
// listings; the rest lie anywhere in IPv4, as a feed's do.
#ifndef MAILREP_COLLECTORS_DNSBL_RBLDNSD_TEST_FEED_H_
#define MAILREP_COLLECTORS_DNSBL_RBLDNSD_TEST_FEED_H_

#include <cstdint>
#include <ostream>

#include "collectors/dnsbl/rbldnsd_zone.h"

namespace mailrep::testing {

struct RbldnsdTestFeedOptions {
  RbldnsdFormat format = RbldnsdFormat::kIp4set;
  int entries = 100000;
  uint32_t seed = 7;
  uint32_t focus_base = 0;  // host byte order; with focus_bits, a network
  int focus_bits = 32;
  int focus_ppm = 0;  // entries inside focus, per million
};

// Streams the file to `out` (no copy of it is kept in memory).
void WriteRbldnsdTestFeed(const RbldnsdTestFeedOptions& options, std::ostream& out);

}  // namespace mailrep::testing

#endif  // MAILREP_COLLECTORS_DNSBL_RBLDNSD_TEST_FEED_H_
