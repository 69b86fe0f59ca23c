#include "exporter/util/ip_network.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>
#include <limits>

namespace mailrep {
namespace {

// True when every bit of `address` at or after bit `prefix` is zero.
bool HostBitsZero(const IpAddress& address, int prefix) {
  for (int bit = prefix; bit < address.bit_length(); ++bit) {
    if (address.bytes[bit / 8] & (0x80 >> (bit % 8))) return false;
  }
  return true;
}

IpAddress Masked(IpAddress address, int prefix) {
  for (int bit = prefix; bit < address.bit_length(); ++bit) {
    address.bytes[bit / 8] &= static_cast<uint8_t>(~(0x80 >> (bit % 8)));
  }
  return address;
}

}  // namespace

std::string IpAddress::ToString() const {
  char buf[INET6_ADDRSTRLEN];
  int af = family == Family::kV4 ? AF_INET : AF_INET6;
  if (inet_ntop(af, bytes.data(), buf, sizeof(buf)) == nullptr) return "invalid";
  return buf;
}

StatusOr<IpAddress> IpAddress::Parse(std::string_view text) {
  // inet_pton needs a NUL-terminated string; longer input cannot be an address.
  char buf[INET6_ADDRSTRLEN + 1];
  if (text.empty() || text.size() >= sizeof(buf) || text.find('\0') != std::string_view::npos) {
    return Status::InvalidArgument("not an IP address: \"" + std::string(text) + "\"");
  }
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  IpAddress address;
  if (inet_pton(AF_INET, buf, address.bytes.data()) == 1) {
    address.family = Family::kV4;
    return address;
  }
  if (inet_pton(AF_INET6, buf, address.bytes.data()) == 1) {
    address.family = Family::kV6;
    return address;
  }
  return Status::InvalidArgument("not an IP address: \"" + std::string(text) + "\"");
}

StatusOr<IpNetwork> IpNetwork::Parse(std::string_view text) {
  size_t slash = text.find('/');
  StatusOr<IpAddress> address = IpAddress::Parse(text.substr(0, slash));
  if (!address.ok()) {
    if (slash == std::string_view::npos) return address.status();
    return Status::InvalidArgument("not an IP network: \"" + std::string(text) +
                                   "\" (the address is invalid)");
  }
  IpNetwork network;
  network.address = *address;
  network.prefix_length = address->bit_length();
  if (slash == std::string_view::npos) return network;

  std::string_view digits = text.substr(slash + 1);
  int prefix = 0;
  bool valid = !digits.empty() && digits.size() <= 3 && (digits[0] != '0' || digits.size() == 1);
  for (char c : digits) {
    if (c < '0' || c > '9') valid = false;
    if (valid) prefix = prefix * 10 + (c - '0');
  }
  if (!valid || prefix > address->bit_length()) {
    return Status::InvalidArgument("not an IP network: \"" + std::string(text) +
                                   "\" (prefix length must be 0-" +
                                   std::to_string(address->bit_length()) + ")");
  }
  network.prefix_length = prefix;
  if (!HostBitsZero(network.address, prefix)) {
    IpNetwork fixed{Masked(network.address, prefix), prefix};
    return Status::InvalidArgument("\"" + std::string(text) +
                                   "\" has host bits set below the prefix; did you mean \"" +
                                   fixed.address.ToString() + "/" + std::to_string(prefix) + "\"?");
  }
  return network;
}

std::string IpNetwork::ToString() const {
  if (is_single_address()) return address.ToString();
  return address.ToString() + "/" + std::to_string(prefix_length);
}

uint64_t IpNetwork::size() const {
  int host_bits = address.bit_length() - prefix_length;
  if (host_bits >= 64) return std::numeric_limits<uint64_t>::max();
  return uint64_t{1} << host_bits;
}

std::vector<IpAddress> IpNetwork::Addresses(uint64_t limit) const {
  std::vector<IpAddress> out;
  uint64_t n = std::min(size(), limit);
  out.reserve(n);
  IpAddress next = address;
  int last = address.bit_length() / 8 - 1;
  for (uint64_t i = 0; i < n; ++i) {
    out.push_back(next);
    for (int b = last; b >= 0 && ++next.bytes[b] == 0; --b) {
    }
  }
  return out;
}

bool IpNetwork::Contains(const IpAddress& candidate) const {
  if (candidate.family != address.family) return false;
  int full_bytes = prefix_length / 8;
  if (!std::equal(address.bytes.begin(), address.bytes.begin() + full_bytes,
                  candidate.bytes.begin())) {
    return false;
  }
  int rest = prefix_length % 8;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (address.bytes[full_bytes] & mask) == (candidate.bytes[full_bytes] & mask);
}

IpAddress UnmapIpv4(const IpAddress& ip) {
  if (ip.family != IpAddress::Family::kV6) return ip;
  for (int i = 0; i < 10; ++i) {
    if (ip.bytes[i] != 0) return ip;
  }
  if (ip.bytes[10] != 0xff || ip.bytes[11] != 0xff) return ip;
  IpAddress v4;
  v4.family = IpAddress::Family::kV4;
  std::copy(ip.bytes.begin() + 12, ip.bytes.end(), v4.bytes.begin());
  return v4;
}

}  // namespace mailrep
