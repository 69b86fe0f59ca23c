// What the DNSBL collector looks up, and the query names for it (RFC 5782 §2):
// IPv4 as reversed octets, IPv6 as 32 reversed nibbles, domains as they are;
// then an optional key, then the zone.
#ifndef MAILREP_COLLECTORS_DNSBL_DNSBL_TARGETS_H_
#define MAILREP_COLLECTORS_DNSBL_DNSBL_TARGETS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/dnsbl/dnsbl_catalogue.h"
#include "exporter/util/ip_network.h"
#include "exporter/util/status.h"

namespace mailrep {

// One thing to look up: an IP address or a domain.
struct DnsblTarget {
  DnsblKind kind = DnsblKind::kIp4;
  std::string value;  // "192.0.2.1", "2001:db8::1" (canonical) or "example.com"
  // The part before the key and zone: "1.2.0.192", 32 nibbles, or the domain.
  std::string query_prefix;
  // For an address of a configured sender block reported in summary (larger
  // than collectors.dnsbl.detail_max_block_addresses): that block's index in
  // DnsblSettings::summary_blocks. -1 otherwise (reported in detail).
  int32_t block = -1;

  bool operator==(const DnsblTarget&) const = default;
};

// "99.2.0.192" for 192.0.2.99; "b.a.9.8....0.0.2" (32 nibbles) for IPv6.
std::string ReversedAddressName(const IpAddress& address);

DnsblTarget IpTarget(const IpAddress& address);
// Lower-cases, drops one trailing dot and checks the name (LDH/underscore
// labels of 1-63 bytes, at least two labels, at most 253 bytes; not an IP).
StatusOr<DnsblTarget> DomainTarget(std::string_view domain);
// An IP address or a domain, as typed by a person or given to /probe.
StatusOr<DnsblTarget> ParseDnsblTarget(std::string_view text);

// "<prefix>.<key>.<zone>" (no key: "<prefix>.<zone>").
std::string DnsblQueryName(std::string_view prefix, std::string_view key, std::string_view zone);

// Every address of `network`, in order. A block with more than
// `max_addresses` addresses is an InvalidArgument naming the block.
StatusOr<std::vector<IpAddress>> ExpandNetwork(const IpNetwork& network, uint64_t max_addresses);

// The addresses checked for a sender's block: every address when there are at
// most `max_addresses`. An IPv6 block wider than that is checked at the first
// address of each of its /64 networks (IPv6 lists list /64s at the widest, and
// operators configure the /64 they send from), as long as there are at most
// `max_addresses` of them; *one_per_64 then becomes true. Anything wider is an
// InvalidArgument naming the block.
StatusOr<std::vector<IpAddress>> ExpandSenderBlock(const IpNetwork& network, uint64_t max_addresses,
                                                   bool* one_per_64);

// The default limit: a /16 (65,536 addresses) per block.
inline constexpr uint64_t kDefaultMaxBlockAddresses = 65536;
// Blocks of at most this many checked addresses are reported address by
// address; larger ones in summary (a /24).
inline constexpr uint64_t kDefaultDetailMaxBlockAddresses = 256;

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNSBL_DNSBL_TARGETS_H_
