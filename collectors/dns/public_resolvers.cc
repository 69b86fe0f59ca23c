#include "collectors/dns/public_resolvers.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace mailrep {
namespace {

struct KnownResolver {
  const char* address;
  const char* name;
};

constexpr KnownResolver kKnownResolvers[] = {
    {"8.8.8.8", "Google Public DNS"},
    {"8.8.4.4", "Google Public DNS"},
    {"2001:4860:4860::8888", "Google Public DNS"},
    {"2001:4860:4860::8844", "Google Public DNS"},
    {"1.1.1.1", "Cloudflare"},
    {"1.0.0.1", "Cloudflare"},
    {"1.1.1.2", "Cloudflare"},
    {"1.0.0.2", "Cloudflare"},
    {"1.1.1.3", "Cloudflare"},
    {"1.0.0.3", "Cloudflare"},
    {"2606:4700:4700::1111", "Cloudflare"},
    {"2606:4700:4700::1001", "Cloudflare"},
    {"2606:4700:4700::1112", "Cloudflare"},
    {"2606:4700:4700::1002", "Cloudflare"},
    {"2606:4700:4700::1113", "Cloudflare"},
    {"2606:4700:4700::1003", "Cloudflare"},
    {"9.9.9.9", "Quad9"},
    {"149.112.112.112", "Quad9"},
    {"9.9.9.10", "Quad9"},
    {"149.112.112.10", "Quad9"},
    {"9.9.9.11", "Quad9"},
    {"149.112.112.11", "Quad9"},
    {"2620:fe::fe", "Quad9"},
    {"2620:fe::9", "Quad9"},
    {"2620:fe::10", "Quad9"},
    {"2620:fe::fe:10", "Quad9"},
    {"2620:fe::11", "Quad9"},
    {"2620:fe::fe:11", "Quad9"},
    {"208.67.222.222", "OpenDNS"},
    {"208.67.220.220", "OpenDNS"},
    {"208.67.222.123", "OpenDNS"},
    {"208.67.220.123", "OpenDNS"},
    {"2620:119:35::35", "OpenDNS"},
    {"2620:119:53::53", "OpenDNS"},
    {"94.140.14.14", "AdGuard DNS"},
    {"94.140.15.15", "AdGuard DNS"},
    {"2a10:50c0::ad1:ff", "AdGuard DNS"},
    {"2a10:50c0::ad2:ff", "AdGuard DNS"},
    {"185.228.168.9", "CleanBrowsing"},
    {"185.228.169.9", "CleanBrowsing"},
    {"2a0d:2a00:1::2", "CleanBrowsing"},
    {"2a0d:2a00:2::2", "CleanBrowsing"},
    {"8.26.56.26", "Comodo Secure DNS"},
    {"8.20.247.20", "Comodo Secure DNS"},
    {"77.88.8.8", "Yandex DNS"},
    {"77.88.8.1", "Yandex DNS"},
    {"2a02:6b8::feed:ff", "Yandex DNS"},
    {"2a02:6b8:0:1::feed:ff", "Yandex DNS"},
    {"76.76.2.0", "Control D"},
    {"76.76.10.0", "Control D"},
    {"64.6.64.6", "Verisign Public DNS"},
    {"64.6.65.6", "Verisign Public DNS"},
    {"4.2.2.1", "Level3 / Lumen"},
    {"4.2.2.2", "Level3 / Lumen"},
    {"4.2.2.3", "Level3 / Lumen"},
    {"4.2.2.4", "Level3 / Lumen"},
    {"4.2.2.5", "Level3 / Lumen"},
    {"4.2.2.6", "Level3 / Lumen"},
    {"156.154.70.1", "Vercara UltraDNS Public"},
    {"156.154.71.1", "Vercara UltraDNS Public"},
    {"84.200.69.80", "DNS.WATCH"},
    {"84.200.70.40", "DNS.WATCH"},
};

// Compares the address bytes only; the family decides how many.
bool SameAddress(const IpAddress& a, const char* text) {
  std::array<uint8_t, 16> bytes{};
  if (std::strchr(text, ':') == nullptr) {
    if (a.family != IpAddress::Family::kV4) return false;
    if (inet_pton(AF_INET, text, bytes.data()) != 1) return false;
    return std::equal(bytes.begin(), bytes.begin() + 4, a.bytes.begin());
  }
  if (a.family != IpAddress::Family::kV6) return false;
  if (inet_pton(AF_INET6, text, bytes.data()) != 1) return false;
  return bytes == a.bytes;
}

}  // namespace

std::optional<std::string_view> WellKnownPublicResolverName(const IpAddress& address) {
  IpAddress plain = UnmapIpv4(address);
  for (const KnownResolver& known : kKnownResolvers) {
    if (SameAddress(plain, known.address)) return known.name;
  }
  return std::nullopt;
}

bool IsWellKnownPublicResolver(const IpAddress& address) {
  return WellKnownPublicResolverName(address).has_value();
}

}  // namespace mailrep
