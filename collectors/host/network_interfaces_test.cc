#include "collectors/host/network_interfaces.h"

#include <gtest/gtest.h>

#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

IpAddress Ip(const char* text) {
  StatusOr<IpAddress> ip = IpAddress::Parse(text);
  EXPECT_OK(ip) << text;
  return ip.ok() ? *ip : IpAddress{};
}

struct AddressCase {
  const char* ip;
  bool is_public;
  bool host_only;
};

TEST(NetworkInterfacesTest, ClassifiesAddresses) {
  const AddressCase cases[] = {
      {"8.8.8.8", true, false},
      {"1.1.1.1", true, false},
      {"9.255.255.255", true, false},
      {"11.0.0.1", true, false},
      {"10.1.2.3", false, false},
      {"172.15.255.255", true, false},
      {"172.16.0.1", false, false},
      {"172.31.255.255", false, false},
      {"172.32.0.0", true, false},
      {"192.168.1.10", false, false},
      {"100.64.0.1", false, false},  // CGNAT
      {"100.127.255.255", false, false},
      {"100.128.0.0", true, false},
      {"192.0.2.5", false, false},     // TEST-NET-1
      {"198.51.100.7", false, false},  // TEST-NET-2
      {"203.0.113.9", false, false},   // TEST-NET-3
      {"198.18.0.1", false, false},    // benchmarking
      {"198.19.255.255", false, false},
      {"198.20.0.0", true, false},
      {"192.0.0.8", false, false},
      {"0.0.0.0", false, true},
      {"127.0.0.1", false, true},
      {"127.255.0.1", false, true},
      {"169.254.10.1", false, true},
      {"224.0.0.1", false, true},
      {"240.0.0.1", false, false},
      {"255.255.255.255", false, false},
      {"2a00:1450:4001::1", true, false},
      {"2001:4860:4860::8888", true, false},
      {"2001:db8::1", false, false},  // documentation
      {"3fff::1", false, false},      // documentation (RFC 9637)
      {"2001::1", false, false},      // Teredo / IETF protocol assignments
      {"fd00::1", false, false},      // ULA
      {"fc00::1", false, false},
      {"fec0::1", false, false},  // deprecated site-local
      {"::", false, true},
      {"::1", false, true},
      {"fe80::1", false, true},
      {"febf::1", false, true},
      {"ff02::1", false, true},
      {"::ffff:8.8.8.8", true, false},
      {"::ffff:10.0.0.1", false, false},
      {"::ffff:127.0.0.1", false, true},
      {"64:ff9b::808:808", false, false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(IsPublicAddress(Ip(c.ip)), c.is_public) << c.ip;
    EXPECT_EQ(IsHostOnlyAddress(Ip(c.ip)), c.host_only) << c.ip;
  }
}

TEST(NetworkInterfacesTest, FilterDropsHostOnlySortsAndDeduplicates) {
  std::vector<RawInterfaceAddress> raw = {
      {"lo", Ip("127.0.0.1")},   {"lo", Ip("::1")},
      {"eth1", Ip("10.0.0.5")},  {"eth0", Ip("2a00:1450:4001::25")},
      {"eth0", Ip("fe80::1")},   {"eth0", Ip("8.8.4.4")},
      {"eth0", Ip("8.8.4.4")},   {"eth0", Ip("169.254.1.1")},
      {"eth0", Ip("192.0.2.1")},
  };
  std::vector<InterfaceAddress> want = {
      {"eth0", Ip("8.8.4.4"), true},
      {"eth0", Ip("192.0.2.1"), false},
      {"eth0", Ip("2a00:1450:4001::25"), true},
      {"eth1", Ip("10.0.0.5"), false},
  };
  EXPECT_EQ(FilterInterfaceAddresses(raw), want);

  auto lister = NewFixedInterfaceLister(raw);
  StatusOr<std::vector<InterfaceAddress>> listed = lister->List();
  ASSERT_OK(listed);
  EXPECT_EQ(*listed, want);
}

TEST(NetworkInterfacesTest, EmptyInputGivesEmptyList) {
  EXPECT_TRUE(FilterInterfaceAddresses({}).empty());
  EXPECT_TRUE(FilterInterfaceAddresses({{"lo", Ip("127.0.0.1")}}).empty());
}

TEST(NetworkInterfacesTest, SystemListerNeverReturnsHostOnlyAddresses) {
  auto lister = NewSystemInterfaceLister();
  StatusOr<std::vector<InterfaceAddress>> listed = lister->List();
  ASSERT_OK(listed);
  for (const auto& a : *listed) {
    EXPECT_FALSE(IsHostOnlyAddress(a.address)) << a.interface << " " << a.address.ToString();
    EXPECT_FALSE(a.interface.empty());
    EXPECT_EQ(a.is_public, IsPublicAddress(a.address));
  }
}

}  // namespace
}  // namespace mailrep
