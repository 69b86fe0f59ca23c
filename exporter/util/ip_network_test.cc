#include "exporter/util/ip_network.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

TEST(IpAddressTest, ParsesAndPrintsCanonically) {
  struct Case {
    const char* text;
    IpAddress::Family family;
    const char* canonical;
  } cases[] = {
      {"192.0.2.1", IpAddress::Family::kV4, "192.0.2.1"},
      {"0.0.0.0", IpAddress::Family::kV4, "0.0.0.0"},
      {"255.255.255.255", IpAddress::Family::kV4, "255.255.255.255"},
      {"2001:db8::1", IpAddress::Family::kV6, "2001:db8::1"},
      {"2001:DB8:0:0:0:0:0:1", IpAddress::Family::kV6, "2001:db8::1"},
      {"::1", IpAddress::Family::kV6, "::1"},
      {"::ffff:192.0.2.1", IpAddress::Family::kV6, "::ffff:192.0.2.1"},
  };
  for (const Case& c : cases) {
    StatusOr<IpAddress> got = IpAddress::Parse(c.text);
    ASSERT_OK(got) << c.text;
    EXPECT_EQ(got->family, c.family) << c.text;
    EXPECT_EQ(got->ToString(), c.canonical);
  }
}

TEST(IpAddressTest, BytesAreNetworkOrder) {
  StatusOr<IpAddress> v4 = IpAddress::Parse("192.0.2.1");
  ASSERT_OK(v4);
  EXPECT_EQ(v4->bytes[0], 192);
  EXPECT_EQ(v4->bytes[3], 1);
  EXPECT_EQ(v4->bytes[4], 0);
  EXPECT_EQ(v4->bit_length(), 32);
  StatusOr<IpAddress> v6 = IpAddress::Parse("2001:db8::1");
  ASSERT_OK(v6);
  EXPECT_EQ(v6->bytes[0], 0x20);
  EXPECT_EQ(v6->bytes[15], 1);
  EXPECT_EQ(v6->bit_length(), 128);
}

TEST(IpAddressTest, RejectsGarbage) {
  for (const char* text :
       {"", "192.0.2", "192.0.2.256", "192.0.2.1 ", " 192.0.2.1", "1.2.3.4.5", "example.com",
        "2001:db8:::1", "fe80::1%eth0", "192.0.2.1/32", "0x7f.0.0.1", "::ffff:192.0.2.1.2"}) {
    StatusOr<IpAddress> got = IpAddress::Parse(text);
    EXPECT_FALSE(got.ok()) << text;
  }
  EXPECT_FALSE(IpAddress::Parse(std::string_view("1.2.3.4\0", 8)).ok());
  EXPECT_FALSE(IpAddress::Parse(std::string(100, '1')).ok());
}

TEST(IpAddressTest, Orders) {
  IpAddress a = *IpAddress::Parse("192.0.2.1");
  IpAddress b = *IpAddress::Parse("192.0.2.2");
  EXPECT_LT(a, b);
  EXPECT_EQ(a, *IpAddress::Parse("192.0.2.1"));
  EXPECT_NE(*IpAddress::Parse("::ffff:192.0.2.1"), a);
}

TEST(IpNetworkTest, Valid) {
  struct Case {
    const char* text;
    int prefix;
    const char* printed;
    uint64_t size;
  } cases[] = {
      {"192.0.2.10", 32, "192.0.2.10", 1},
      {"192.0.2.10/32", 32, "192.0.2.10", 1},
      {"198.51.100.0/28", 28, "198.51.100.0/28", 16},
      {"0.0.0.0/0", 0, "0.0.0.0/0", uint64_t{1} << 32},
      {"2001:db8::1", 128, "2001:db8::1", 1},
      {"2001:db8::/64", 64, "2001:db8::/64", std::numeric_limits<uint64_t>::max()},
      {"2001:db8::/96", 96, "2001:db8::/96", uint64_t{1} << 32},
      {"2001:db8::/65", 65, "2001:db8::/65", uint64_t{1} << 63},
      {"::/0", 0, "::/0", std::numeric_limits<uint64_t>::max()},
      {"::ffff:192.0.2.0/120", 120, "::ffff:192.0.2.0/120", 256},
  };
  for (const Case& c : cases) {
    StatusOr<IpNetwork> got = IpNetwork::Parse(c.text);
    ASSERT_OK(got) << c.text;
    EXPECT_EQ(got->prefix_length, c.prefix) << c.text;
    EXPECT_EQ(got->ToString(), c.printed);
    EXPECT_EQ(got->size(), c.size) << c.text;
    EXPECT_EQ(got->is_single_address(), c.size == 1) << c.text;
  }
}

TEST(IpNetworkTest, MappedV6StaysV6) {
  StatusOr<IpNetwork> got = IpNetwork::Parse("::ffff:192.0.2.1");
  ASSERT_OK(got);
  EXPECT_EQ(got->address.family, IpAddress::Family::kV6);
  EXPECT_EQ(got->prefix_length, 128);
  EXPECT_FALSE(*got == *IpNetwork::Parse("192.0.2.1"));
}

TEST(IpNetworkTest, Invalid) {
  struct Case {
    const char* text;
    const char* reason;
  } cases[] = {
      {"198.51.100.1/28", "host bits set below the prefix; did you mean \"198.51.100.0/28\"?"},
      {"2001:db8::1/64", "did you mean \"2001:db8::/64\"?"},
      {"192.0.2.0/33", "prefix length must be 0-32"},
      {"2001:db8::/129", "prefix length must be 0-128"},
      {"192.0.2.0/", "prefix length"},
      {"192.0.2.0/-1", "prefix length"},
      {"192.0.2.0/+8", "prefix length"},
      {"192.0.2.0/08", "prefix length"},
      {"192.0.2.0/24/8", "prefix length"},
      {"192.0.2.0/2a", "prefix length"},
      {"192.0.2.0/0000000000024", "prefix length"},
      {"mail.example.com/24", "address is invalid"},
      {"banana", "not an IP address"},
      {"", "not an IP address"},
  };
  for (const Case& c : cases) {
    StatusOr<IpNetwork> got = IpNetwork::Parse(c.text);
    ASSERT_FALSE(got.ok()) << c.text;
    EXPECT_NE(got.status().message().find(c.reason), std::string::npos)
        << c.text << ": " << got.status().message();
  }
}

}  // namespace
}  // namespace mailrep

namespace mailrep {
namespace {

TEST(IpNetworkAddressesTest, EnumeratesWithCarryAndLimit) {
  IpNetwork v4 = *IpNetwork::Parse("198.51.100.254/31");
  std::vector<IpAddress> a = v4.Addresses(10);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[1].ToString(), "198.51.100.255");
  IpNetwork carry = *IpNetwork::Parse("10.0.0.0/23");
  std::vector<IpAddress> b = carry.Addresses(300);
  ASSERT_EQ(b.size(), 300u);
  EXPECT_EQ(b[256].ToString(), "10.0.1.0");
  IpNetwork v6 = *IpNetwork::Parse("2001:db8::/64");
  std::vector<IpAddress> c = v6.Addresses(3);
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[2].ToString(), "2001:db8::2");
}

TEST(IpNetworkAddressesTest, Contains) {
  IpNetwork net = *IpNetwork::Parse("198.51.100.0/28");
  EXPECT_TRUE(net.Contains(*IpAddress::Parse("198.51.100.15")));
  EXPECT_FALSE(net.Contains(*IpAddress::Parse("198.51.100.16")));
  EXPECT_FALSE(net.Contains(*IpAddress::Parse("::ffff:198.51.100.1")));
  EXPECT_TRUE(IpNetwork::Parse("2001:db8::/32")->Contains(*IpAddress::Parse("2001:db8:ffff::1")));
  EXPECT_TRUE(IpNetwork::Parse("0.0.0.0/0")->Contains(*IpAddress::Parse("203.0.113.9")));
}

}  // namespace
}  // namespace mailrep
