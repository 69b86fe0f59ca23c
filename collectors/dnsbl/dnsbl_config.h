// The DNSBL collector's settings, from `collectors.dnsbl` and `senders`.
//
//   collectors:
//     dnsbl:
//       lists: [zen.spamhaus.org, ...]   # default: the catalogue's default set
//       keys: {spamhaus_dqs: KEY, abusix: KEY}
//       catalogue_file: /etc/mailrep_exporter/dnsbl.yml   # extra/override lists
//       max_block_addresses: 65536       # largest CIDR block expanded (a /16)
//       detail_max_block_addresses: 256  # larger blocks are reported in summary
//       probe_targets: [192.0.2.0/24, example.com]  # /probe may also check these
//       query_budgets: {spamhaus: 150000, list.dnswl.org: 20000}  # per UTC day; 0 = none
//                                        # default: the catalogue's budget_groups
//       mirrors:                         # lists answered from local files, not DNS
//         - {zone: zen.spamhaus.org, file: /var/lib/rbldnsd/zen.txt, format: ip4set}
//       seen_senders: {enabled: false, window: 24h, max: 256}
//
// Targets are every address of every senders[].ips block and every
// senders[].domains entry; with no senders, the host's public addresses.
// A block of more than detail_max_block_addresses checked addresses (an IPv6
// block wider than that: its /64s) is a summary block: its addresses are
// reported only when listed, plus per-(block, list) counts (README, "DNSBL
// series"). With seen_senders enabled, each sweep adds the public sending
// IPs the delivery collector saw within `window` (seen_sending_ips.h) that
// are not targets already, the first `max` of them, reported in detail.
#ifndef MAILREP_COLLECTORS_DNSBL_DNSBL_CONFIG_H_
#define MAILREP_COLLECTORS_DNSBL_DNSBL_CONFIG_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "collectors/dnsbl/dnsbl_catalogue.h"
#include "collectors/dnsbl/dnsbl_targets.h"
#include "collectors/dnsbl/rbldnsd_zone.h"
#include "exporter/config/config.h"
#include "exporter/config/config_node.h"
#include "exporter/core/shard.h"
#include "exporter/util/ip_network.h"
#include "exporter/util/status.h"

namespace mailrep {

// A list to check and the key its query names carry ("" = none). The key is
// a secret: it is never exported or logged.
struct DnsblListConfig {
  DnsblList list;
  std::string key;
};

// A list answered from a local rbldnsd data file instead of DNS
// (collectors.dnsbl.mirrors[]; see dnsbl_mirrors.h). Its zone is one of the
// configured lists, whose kinds are narrowed to what the format holds.
struct DnsblMirrorConfig {
  std::string zone;  // the catalogue's spelling
  std::string file;  // absolute, as configured (the collector prefixes its root)
  RbldnsdFormat format = RbldnsdFormat::kIp4set;
};

// A configured sender block reported in summary (see above).
struct DnsblBlock {
  std::string cidr;  // canonical CIDR text, the `block` label
  DnsblKind kind = DnsblKind::kIp4;
  uint64_t addresses = 0;  // addresses checked (IPv6 wider than the limit: its /64s)
};

// collectors.dnsbl.seen_senders: check the sending IPs seen in the MTA logs.
struct DnsblSeenSenders {
  bool enabled = false;
  std::chrono::seconds window = std::chrono::hours(24);  // at most a week
  size_t max = 256;                                      // adaptive targets per sweep, at most 1024
};

struct DnsblSettings {
  std::vector<DnsblListConfig> lists;
  std::vector<DnsblMirrorConfig> mirrors;
  uint64_t max_block_addresses = kDefaultMaxBlockAddresses;
  uint64_t detail_max_block_addresses = kDefaultDetailMaxBlockAddresses;
  // The blocks larger than detail_max_block_addresses, in config order;
  // DnsblTarget::block indexes them.
  std::vector<DnsblBlock> summary_blocks;
  // Fixed targets (expanded senders' blocks, then senders' domains), unique.
  std::vector<DnsblTarget> targets;
  // No senders configured: check the host's public addresses each cycle.
  bool use_host_addresses = false;
  DnsblSeenSenders seen_senders;
  // The collector's interval (collectors.dnsbl.interval), which budgeted
  // lists' sweeps may stretch beyond (dnsbl_pacing.h).
  Duration interval = std::chrono::minutes(15);
  // The background sweeps check only the targets this replica owns (fixed
  // and host addresses alike); /probe and `check dnsbl` check any target.
  Shard shard;
  // What /probe may check: these blocks and these domains (and subdomains).
  std::vector<IpNetwork> probe_networks;
  std::vector<std::string> probe_domains;
  // Accepted with a caveat the operator should read (logged at start-up):
  // wide IPv6 blocks checked one address per /64.
  std::vector<std::string> warnings;
};

// Resolves configured zone names against `catalogue`. An unknown, defunct or
// key-less keyed list is an error message (nullopt on success).
std::optional<std::string> ResolveDnsblList(const DnsblCatalogue& catalogue,
                                            const std::string& zone,
                                            const std::map<std::string, std::string>& keys,
                                            DnsblListConfig* out);

// Gives each of `lists` the key its daily query budget counts under and that
// budget (DnsblList::budget_group): its catalogue budget_group's, or its own
// daily_query_budget as a group of one. Then applies `options`'
// `query_budgets`, recording errors on `options`: a group name (no dots)
// sets that group's budget for all its lists (0: none); a zone gives that
// list a budget of its own, apart from its group (0: none), which wins over
// its group's. A name that is neither a checked list's group nor a checked
// zone is an error.
void ResolveDnsblBudgets(const DnsblCatalogue& catalogue, ConfigNode& options,
                         std::vector<DnsblListConfig>* lists);

// Reads `options`' `mirrors` entries, recording errors on `options` (an
// unknown, defunct or duplicate zone, a relative or missing file, an unknown
// format, a format holding a kind the list does not check, and, when
// `checked` is given, a zone that is not one of those lists). Returns the
// entries without errors.
std::vector<DnsblMirrorConfig> ParseDnsblMirrors(const DnsblCatalogue& catalogue,
                                                 ConfigNode& options,
                                                 const std::vector<DnsblListConfig>* checked);

// A mirrored list checks only the kind its file holds: IPv4 addresses for the
// ip4 formats, domains for dnset. Clears `list`'s other kinds.
void NarrowToMirrorFormat(RbldnsdFormat format, DnsblList* list);

// Reads `options` (calling Finish()) and the senders of `config`. Every error
// names file:line and key path.
StatusOr<DnsblSettings> ParseDnsblSettings(const Config& config, ConfigNode& options);

// True when /probe may check `target` under `settings`.
bool DnsblProbeAllowed(const DnsblSettings& settings, const DnsblTarget& target);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNSBL_DNSBL_CONFIG_H_
