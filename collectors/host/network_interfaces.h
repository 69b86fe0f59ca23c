// The addresses this host can present to mail receivers, per interface, and
// which of them are public (globally routable).
#ifndef MAILREP_COLLECTORS_HOST_NETWORK_INTERFACES_H_
#define MAILREP_COLLECTORS_HOST_NETWORK_INTERFACES_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "exporter/util/ip_network.h"
#include "exporter/util/status.h"

namespace mailrep {

struct InterfaceAddress {
  std::string interface;  // "eth0"
  IpAddress address;
  // Globally routable: not private (RFC 1918, ULA), shared (CGNAT),
  // documentation, benchmarking, multicast or otherwise reserved. Only public
  // addresses are worth a DNSBL lookup.
  bool is_public = false;

  bool operator==(const InterfaceAddress&) const = default;
};

// One address as the system reports it, before filtering.
using RawInterfaceAddress = std::pair<std::string, IpAddress>;

class InterfaceLister {
 public:
  virtual ~InterfaceLister() = default;

  // Addresses of interfaces that are up, without loopback, link-local and
  // unspecified ones, sorted by interface, family, address, without
  // duplicates. Call from one thread at a time.
  virtual StatusOr<std::vector<InterfaceAddress>> List() = 0;
};

// The running system's addresses, from getifaddrs(3).
std::unique_ptr<InterfaceLister> NewSystemInterfaceLister();

// For tests: List() returns `raw` passed through FilterInterfaceAddresses.
std::unique_ptr<InterfaceLister> NewFixedInterfaceLister(std::vector<RawInterfaceAddress> raw);

// Drops loopback, link-local, unspecified and multicast addresses, marks the
// public ones, sorts and removes duplicates.
std::vector<InterfaceAddress> FilterInterfaceAddresses(std::vector<RawInterfaceAddress> raw);

// Globally routable unicast: IPv4 outside the IANA special-purpose blocks
// that are not globally reachable, IPv6 inside 2000::/3 minus documentation
// and IETF-protocol blocks. An IPv4-mapped IPv6 address is judged by its IPv4
// part.
bool IsPublicAddress(const IpAddress& address);

// 127.0.0.0/8, ::1, 169.254.0.0/16, fe80::/10, 0.0.0.0, ::, and multicast.
bool IsHostOnlyAddress(const IpAddress& address);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_HOST_NETWORK_INTERFACES_H_
