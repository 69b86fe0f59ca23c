#include "collectors/dnsbl/dnsbl_targets.h"

#include <gtest/gtest.h>

#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

IpAddress Ip(const char* text) { return *IpAddress::Parse(text); }

TEST(TargetsTest, ReversedNames) {
  EXPECT_EQ(ReversedAddressName(Ip("192.0.2.99")), "99.2.0.192");
  EXPECT_EQ(ReversedAddressName(Ip("2001:db8:1:2:3:4:567:89ab")),
            "b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2");
  EXPECT_EQ(ReversedAddressName(Ip("::ffff:7f00:2")),
            "2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0");
}

TEST(TargetsTest, QueryNames) {
  EXPECT_EQ(DnsblQueryName("2.0.0.127", "", "zen.spamhaus.org"), "2.0.0.127.zen.spamhaus.org");
  EXPECT_EQ(DnsblQueryName("2.0.0.127", "abc123", "zen.dq.spamhaus.net"),
            "2.0.0.127.abc123.zen.dq.spamhaus.net");
  EXPECT_EQ(IpTarget(Ip("2001:DB8::1")).value, "2001:db8::1");
  EXPECT_EQ(IpTarget(Ip("2001:DB8::1")).kind, DnsblKind::kIp6);
}

TEST(TargetsTest, ParsesTargets) {
  EXPECT_EQ(ParseDnsblTarget("192.0.2.1")->kind, DnsblKind::kIp4);
  EXPECT_EQ(ParseDnsblTarget("Example.COM.")->value, "example.com");
  EXPECT_EQ(ParseDnsblTarget("mail_1.example.com")->kind, DnsblKind::kDomain);
  for (const char* bad :
       {"", ".", "com", "exa mple.com", "a..b", "192.0.2.0/24", "::g", "example.com/x", "-"}) {
    EXPECT_FALSE(ParseDnsblTarget(bad).ok()) << bad;
  }
  EXPECT_FALSE(ParseDnsblTarget(std::string(64, 'a') + ".com").ok());
}

TEST(TargetsTest, ExpandsBlocks) {
  auto v = ExpandNetwork(*IpNetwork::Parse("10.0.0.0/23"), 1024);
  ASSERT_OK(v);
  ASSERT_EQ(v->size(), 512u);
  EXPECT_EQ(v->front().ToString(), "10.0.0.0");
  EXPECT_EQ((*v)[256].ToString(), "10.0.1.0");
  EXPECT_EQ(v->back().ToString(), "10.0.1.255");
  EXPECT_EQ(ExpandNetwork(*IpNetwork::Parse("198.51.100.0/22"), 1024)->size(), 1024u);
  auto six = ExpandNetwork(*IpNetwork::Parse("2001:db8::fe/127"), 1024);
  ASSERT_EQ(six->size(), 2u);
  EXPECT_EQ((*six)[1].ToString(), "2001:db8::ff");
  EXPECT_EQ(ExpandNetwork(*IpNetwork::Parse("192.0.2.7"), 1024)->size(), 1u);
}

TEST(TargetsTest, RefusesBlocksAboveTheLimit) {
  auto v4 = ExpandNetwork(*IpNetwork::Parse("198.51.96.0/21"), 1024);
  ASSERT_FALSE(v4.ok());
  EXPECT_NE(v4.status().message().find("block 198.51.96.0/21 has 2048 addresses; at most 1024"),
            std::string::npos)
      << v4.status().message();
  auto v6 = ExpandNetwork(*IpNetwork::Parse("2001:db8::/64"), 1024);
  ASSERT_FALSE(v6.ok());
  EXPECT_NE(v6.status().message().find("2001:db8::/64"), std::string::npos);
  EXPECT_FALSE(ExpandNetwork(*IpNetwork::Parse("192.0.2.0/30"), 3).ok());
}

}  // namespace
}  // namespace mailrep
