// IpNetwork: an IPv4 or IPv6 address with a prefix length (CIDR block).
// A plain address is a /32 (IPv4) or /128 (IPv6). Value type.
#ifndef MAILREP_EXPORTER_UTIL_IP_NETWORK_H_
#define MAILREP_EXPORTER_UTIL_IP_NETWORK_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/util/status.h"

namespace mailrep {

struct IpAddress {
  enum class Family { kV4, kV6 };
  Family family = Family::kV4;
  // Network byte order; IPv4 uses the first 4 bytes.
  std::array<uint8_t, 16> bytes{};

  // "192.0.2.1", "2001:db8::1" (inet_ntop's canonical form).
  std::string ToString() const;
  static StatusOr<IpAddress> Parse(std::string_view text);
  int bit_length() const { return family == Family::kV4 ? 32 : 128; }
  bool operator==(const IpAddress&) const = default;
  auto operator<=>(const IpAddress&) const = default;
};

// An IPv4-mapped IPv6 address (::ffff:192.0.2.1) as the IPv4 address it
// carries; any other address unchanged.
IpAddress UnmapIpv4(const IpAddress& ip);

struct IpNetwork {
  IpAddress address;  // host bits are zero
  int prefix_length = 32;

  // Accepts "192.0.2.10", "198.51.100.0/28", "2001:db8::/64". Host bits set
  // below the prefix ("198.51.100.1/28") are an error naming the network.
  static StatusOr<IpNetwork> Parse(std::string_view text);
  // "198.51.100.0/28"; a single address prints without "/32" or "/128".
  std::string ToString() const;
  bool is_single_address() const { return prefix_length == address.bit_length(); }
  // Number of addresses, saturating at UINT64_MAX for huge IPv6 blocks.
  uint64_t size() const;
  bool operator==(const IpNetwork&) const = default;

  // The first min(size(), limit) addresses of the block, in order.
  std::vector<IpAddress> Addresses(uint64_t limit) const;
  bool Contains(const IpAddress& address) const;
};

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_UTIL_IP_NETWORK_H_
