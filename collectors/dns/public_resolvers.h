// Well-known public recursive resolvers. The major DNSBLs (Spamhaus, URIBL,
// SURBL, dnswl, SpamRATS, ...) refuse queries that reach them through these,
// or answer them with error codes, so the exporter warns at start-up when one
// is configured (or found in /etc/resolv.conf).
#ifndef MAILREP_COLLECTORS_DNS_PUBLIC_RESOLVERS_H_
#define MAILREP_COLLECTORS_DNS_PUBLIC_RESOLVERS_H_

#include <optional>
#include <string_view>

#include "exporter/util/ip_network.h"

namespace mailrep {

// True when `address` is an anycast address of a well-known public resolver
// (Google, Cloudflare, Quad9, OpenDNS, AdGuard, ...), IPv4 or IPv6. IPv4-mapped
// IPv6 addresses (::ffff:8.8.8.8) count as their IPv4 address.
bool IsWellKnownPublicResolver(const IpAddress& address);

// The operator's name ("Google Public DNS"), or nullopt when not well known.
std::optional<std::string_view> WellKnownPublicResolverName(const IpAddress& address);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNS_PUBLIC_RESOLVERS_H_
