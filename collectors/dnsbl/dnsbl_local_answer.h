// The DNS answer a DNSBL's local mirror gives for one query, shaped like the
// answer rbldnsd would send for the same data, so that it goes through the
// same decoding (DecodeDnsblAnswer) as an answer from DNS. Pure; no I/O.
//
//   not listed (or a name the zone's format cannot hold) -> NXDOMAIN
//   listed, type A   -> one A record per distinct value, in data order
//   listed, type TXT -> one TXT record per distinct text (substituted)
//   any other type   -> NODATA when listed, else NXDOMAIN
//
// The TTL is 0: the data is read locally, there is nothing to cache.
#ifndef MAILREP_COLLECTORS_DNSBL_DNSBL_LOCAL_ANSWER_H_
#define MAILREP_COLLECTORS_DNSBL_DNSBL_LOCAL_ANSWER_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "collectors/dns/dns_types.h"
#include "collectors/dnsbl/rbldnsd_zone.h"

namespace mailrep {

// The IPv4 address of a reversed query prefix ("10.2.0.192" -> 192.0.2.10,
// host byte order); nullopt for anything else (IPv6 nibbles, domains).
std::optional<uint32_t> ParseReversedIp4(std::string_view prefix);

// `prefix` is the query name before the key and zone: a reversed IPv4
// address for the ip4 formats, a domain for dnset (DnsblTarget::query_prefix
// or a test point's prefix).
DnsAnswer LocalDnsblAnswer(const RbldnsdZone& zone, std::string_view prefix,
                           RecordType type = RecordType::kA);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNSBL_DNSBL_LOCAL_ANSWER_H_
