#include "collectors/host/network_interfaces.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <span>
#include <tuple>

namespace mailrep {
namespace {

struct Block {
  std::array<uint8_t, 16> prefix;
  int bits;
};

bool InBlock(const IpAddress& address, const Block& block) {
  for (int bit = 0; bit < block.bits; ++bit) {
    uint8_t mask = static_cast<uint8_t>(0x80 >> (bit % 8));
    if ((address.bytes[bit / 8] & mask) != (block.prefix[bit / 8] & mask)) return false;
  }
  return true;
}

bool InAny(const IpAddress& address, std::span<const Block> blocks) {
  return std::any_of(blocks.begin(), blocks.end(),
                     [&](const Block& b) { return InBlock(address, b); });
}

// IPv4 special-purpose blocks that are not globally reachable (IANA registry),
// plus multicast and the reserved 240.0.0.0/4.
constexpr Block kNonPublicV4[] = {
    {{0}, 8},              // "this network"
    {{10}, 8},             // RFC 1918
    {{100, 64}, 10},       // shared address space (CGNAT)
    {{127}, 8},            // loopback
    {{169, 254}, 16},      // link-local
    {{172, 16}, 12},       // RFC 1918
    {{192, 0, 0}, 24},     // IETF protocol assignments
    {{192, 0, 2}, 24},     // TEST-NET-1
    {{192, 88, 99}, 24},   // deprecated 6to4 relay anycast
    {{192, 168}, 16},      // RFC 1918
    {{198, 18}, 15},       // benchmarking
    {{198, 51, 100}, 24},  // TEST-NET-2
    {{203, 0, 113}, 24},   // TEST-NET-3
    {{224}, 4},            // multicast
    {{240}, 4},            // reserved, limited broadcast
};

constexpr Block kNonPublicV6InGlobal[] = {
    {{0x20, 0x01, 0x00, 0x00}, 23},  // IETF protocol assignments (Teredo, ORCHID...)
    {{0x20, 0x01, 0x0d, 0xb8}, 32},  // documentation
    {{0x3f, 0xff, 0x00, 0x00}, 20},  // documentation (RFC 9637)
};

constexpr Block kGlobalUnicastV6 = {{0x20}, 3};
constexpr Block kMappedV4 = {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff}, 96};

IpAddress V4FromMapped(const IpAddress& address) {
  IpAddress v4;
  v4.family = IpAddress::Family::kV4;
  std::copy(address.bytes.begin() + 12, address.bytes.end(), v4.bytes.begin());
  return v4;
}

bool IsUnspecified(const IpAddress& address) {
  int n = address.family == IpAddress::Family::kV4 ? 4 : 16;
  return std::all_of(address.bytes.begin(), address.bytes.begin() + n,
                     [](uint8_t b) { return b == 0; });
}

class FixedInterfaceLister : public InterfaceLister {
 public:
  explicit FixedInterfaceLister(std::vector<RawInterfaceAddress> raw) : raw_(std::move(raw)) {}
  StatusOr<std::vector<InterfaceAddress>> List() override { return FilterInterfaceAddresses(raw_); }

 private:
  std::vector<RawInterfaceAddress> raw_;
};

class SystemInterfaceLister : public InterfaceLister {
 public:
  StatusOr<std::vector<InterfaceAddress>> List() override {
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) != 0) {
      return Status::IoError(std::string("getifaddrs: ") + std::strerror(errno));
    }
    std::vector<RawInterfaceAddress> raw;
    for (ifaddrs* ifa = list; ifa != nullptr; ifa = ifa->ifa_next) {
      if (ifa->ifa_addr == nullptr || (ifa->ifa_flags & IFF_UP) == 0) continue;
      IpAddress address;
      if (ifa->ifa_addr->sa_family == AF_INET) {
        const auto* sin = reinterpret_cast<const sockaddr_in*>(ifa->ifa_addr);
        address.family = IpAddress::Family::kV4;
        std::memcpy(address.bytes.data(), &sin->sin_addr, 4);
      } else if (ifa->ifa_addr->sa_family == AF_INET6) {
        const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(ifa->ifa_addr);
        address.family = IpAddress::Family::kV6;
        std::memcpy(address.bytes.data(), &sin6->sin6_addr, 16);
      } else {
        continue;
      }
      raw.emplace_back(ifa->ifa_name != nullptr ? ifa->ifa_name : "", address);
    }
    freeifaddrs(list);
    return FilterInterfaceAddresses(std::move(raw));
  }
};

}  // namespace

bool IsHostOnlyAddress(const IpAddress& address) {
  if (IsUnspecified(address)) return true;
  if (address.family == IpAddress::Family::kV4) {
    constexpr Block kHostOnly[] = {{{127}, 8}, {{169, 254}, 16}, {{224}, 4}};
    return InAny(address, kHostOnly);
  }
  if (InBlock(address, kMappedV4)) return IsHostOnlyAddress(V4FromMapped(address));
  IpAddress loopback;
  loopback.family = IpAddress::Family::kV6;
  loopback.bytes[15] = 1;
  constexpr Block kHostOnly[] = {{{0xfe, 0x80}, 10}, {{0xff}, 8}};
  return address == loopback || InAny(address, kHostOnly);
}

bool IsPublicAddress(const IpAddress& address) {
  if (address.family == IpAddress::Family::kV4) return !InAny(address, kNonPublicV4);
  if (InBlock(address, kMappedV4)) return IsPublicAddress(V4FromMapped(address));
  return InBlock(address, kGlobalUnicastV6) && !InAny(address, kNonPublicV6InGlobal);
}

std::vector<InterfaceAddress> FilterInterfaceAddresses(std::vector<RawInterfaceAddress> raw) {
  std::vector<InterfaceAddress> out;
  for (auto& [name, address] : raw) {
    if (IsHostOnlyAddress(address)) continue;
    out.push_back({std::move(name), address, IsPublicAddress(address)});
  }
  std::sort(out.begin(), out.end(), [](const InterfaceAddress& a, const InterfaceAddress& b) {
    return std::tie(a.interface, a.address) < std::tie(b.interface, b.address);
  });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::unique_ptr<InterfaceLister> NewSystemInterfaceLister() {
  return std::make_unique<SystemInterfaceLister>();
}

std::unique_ptr<InterfaceLister> NewFixedInterfaceLister(std::vector<RawInterfaceAddress> raw) {
  return std::make_unique<FixedInterfaceLister>(std::move(raw));
}

}  // namespace mailrep
