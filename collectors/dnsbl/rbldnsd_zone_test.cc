#include "collectors/dnsbl/rbldnsd_zone.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "collectors/dnsbl/rbldnsd_ip4.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

constexpr int64_t kNow = 1700000000;

RbldnsdZone Load(std::string_view text, RbldnsdFormat format) {
  StatusOr<RbldnsdZone> zone = RbldnsdZone::Parse(text, format, "t.zone", kNow);
  EXPECT_OK(zone);
  return std::move(zone).value();
}

uint32_t Ip(const char* text) {
  std::optional<Ip4Prefix> p = ParseIp4Prefix(text);
  EXPECT_TRUE(p && p->bits == 32) << text;
  return p ? p->address : 0;
}

// "-" = not listed; else "A1,A2|TXT1|TXT2".
std::string Ask(const RbldnsdZone& zone, const char* ip) {
  std::optional<RbldnsdAnswer> a = zone.LookupIp4(Ip(ip));
  if (!a) return "-";
  std::string out;
  for (uint32_t v : a->a) out += (out.empty() ? "" : ",") + Ip4ToString(v);
  for (const std::string& t : a->txt) out += "|" + t;
  return out;
}

std::string AskName(const RbldnsdZone& zone, const char* name) {
  std::optional<RbldnsdAnswer> a = zone.LookupDomain(name);
  if (!a) return "-";
  std::string out;
  for (uint32_t v : a->a) out += (out.empty() ? "" : ",") + Ip4ToString(v);
  for (const std::string& t : a->txt) out += "|" + t;
  return out;
}

TEST(RbldnsdZoneTest, Ip4setValuesDefaultsAndComments) {
  RbldnsdZone z = Load(
      "# comment\n"
      "; another\n"
      "\n"
      "10.0.0.1\n"
      ":127.0.0.2:IP address $ is listed\n"
      "10.0.0.4\n"
      "10.0.0.5 :5\n"
      "10.0.0.6 :6:\n"
      "  10.0.0.7   IP address $ running an open relay  \n"
      "10.0.1/24 ; the default\n"
      "10.0.0.8:8:colon\n",
      RbldnsdFormat::kIp4set);
  EXPECT_EQ(Ask(z, "10.0.0.1"), "127.0.0.2");  // no default yet: 127.0.0.2, no TXT
  EXPECT_EQ(Ask(z, "10.0.0.4"), "127.0.0.2|IP address 10.0.0.4 is listed");
  EXPECT_EQ(Ask(z, "10.0.0.5"), "127.0.0.5|IP address 10.0.0.5 is listed");
  EXPECT_EQ(Ask(z, "10.0.0.6"), "127.0.0.6");
  EXPECT_EQ(Ask(z, "10.0.0.7"), "127.0.0.2|IP address 10.0.0.7 running an open relay");
  EXPECT_EQ(Ask(z, "10.0.1.99"), "127.0.0.2|IP address 10.0.1.99 is listed");
  EXPECT_EQ(Ask(z, "10.0.0.8"), "127.0.0.8|colon");
  EXPECT_EQ(Ask(z, "10.0.0.9"), "-");
  EXPECT_EQ(z.report().entries, 7u);
  EXPECT_EQ(z.report().skipped_lines, 0u);
}

TEST(RbldnsdZoneTest, Ip4setTheMostSpecificOctetLevelDecides) {
  RbldnsdZone z = Load(
      "10.0.0.0/16 :2:wide\n"
      "!10.0.3.0/24\n"
      "10.0.3.7 :3:single\n"
      "!10.0.4.5\n"
      "10.0.5.0/25 :4:half\n"  // 128 single addresses
      "!10.0.5.0-10.0.5.255\n"
      "10.0.6.1 :5:a\n"
      "10.0.6.1 :6:b\n"
      "10.0.7.1 :7:a\n"
      "!10.0.7.1\n",
      RbldnsdFormat::kIp4set);
  EXPECT_EQ(Ask(z, "10.0.0.1"), "127.0.0.2|wide");
  EXPECT_EQ(Ask(z, "10.0.3.1"), "-");
  EXPECT_EQ(Ask(z, "10.0.3.7"), "127.0.0.3|single");  // /32 beats the /24 exclusion
  EXPECT_EQ(Ask(z, "10.0.4.5"), "-");
  EXPECT_EQ(Ask(z, "10.0.4.6"), "127.0.0.2|wide");
  EXPECT_EQ(Ask(z, "10.0.5.1"), "127.0.0.4|half");  // single addresses beat the /24
  EXPECT_EQ(Ask(z, "10.0.5.200"), "-");
  EXPECT_EQ(Ask(z, "10.0.6.1"), "127.0.0.5,127.0.0.6|a|b");
  EXPECT_EQ(Ask(z, "10.0.7.1"), "-");  // same level: the exclusion wins
  EXPECT_EQ(Ask(z, "10.1.0.0"), "-");
}

TEST(RbldnsdZoneTest, Ip4setBadLinesAreSkippedAndReported) {
  RbldnsdZone z = Load(
      "10.0.0.1\n"
      "bogus\n"
      "10.0.0.5/24\n"
      "10.0.0.2 :0:x\n"
      "0.0.0.0/0\n"
      "$BOGUS 1\n"
      "10.0.0.3\r\n"
      "10.0.0.4\n",
      RbldnsdFormat::kIp4set);
  EXPECT_EQ(Ask(z, "10.0.0.1"), "127.0.0.2");
  EXPECT_EQ(Ask(z, "10.0.0.4"), "127.0.0.2");
  EXPECT_EQ(Ask(z, "10.0.0.2"), "-");
  EXPECT_EQ(Ask(z, "10.0.0.9"), "-");
  EXPECT_EQ(z.report().skipped_lines, 6u);
  EXPECT_EQ(z.report().entries, 2u);
  ASSERT_EQ(z.report().messages.size(), 6u);
  EXPECT_EQ(z.report().messages[0], "t.zone:2: invalid address");
  EXPECT_EQ(z.report().messages[1], "t.zone:3: invalid range (non-zero host part)");
  EXPECT_THAT(z.report().messages[2], HasSubstr("t.zone:4: invalid A value"));
  EXPECT_EQ(z.report().messages[4], "t.zone:6: invalid or unrecognized special entry");
}

TEST(RbldnsdZoneTest, SpecialLines) {
  RbldnsdZone z = Load(
      "$SOA 1h ns.example. hostmaster.example. 0 1h 1h 1w 1h\n"
      "$NS 1h ns.example.\n"
      "$TTL 300\n"
      "#$1 first\n"
      "$1 second\n"
      ":$2 two\n"
      "$= [$=] $1 $2\n"
      ":3:entry $\n"
      "10.0.0.1\n"
      "$MAXRANGE4 /24\n"
      "10.0.0.0/23\n"
      "$MAXRANGE4 /16\n"
      "10.0.2.0/24\n",
      RbldnsdFormat::kIp4set);
  EXPECT_EQ(Ask(z, "10.0.0.1"), "127.0.0.3|[entry $] first two");
  EXPECT_EQ(Ask(z, "10.0.1.1"), "-");  // over $MAXRANGE4
  EXPECT_EQ(Ask(z, "10.0.2.1"), "127.0.0.3|[entry $] first two");
  EXPECT_EQ(z.report().skipped_lines, 1u);
  EXPECT_EQ(z.report().problems, 2u);  // and the attempt to grow $MAXRANGE4
}

TEST(RbldnsdZoneTest, Timestamp) {
  RbldnsdZone z = Load("$TIMESTAMP 2023:01:01 +1d\n10.0.0.1\n", RbldnsdFormat::kIp4set);
  EXPECT_EQ(z.expires(), 1672531200 + 86400);
  StatusOr<RbldnsdZone> future =
      RbldnsdZone::Parse("$TIMESTAMP 2037-01-01\n", RbldnsdFormat::kIp4set, "t.zone", kNow);
  EXPECT_FALSE(future.ok());
  EXPECT_THAT(future.status().message(), HasSubstr("t.zone:1: $TIMESTAMP is"));
}

TEST(RbldnsdZoneTest, Ip4trieLongestPrefixWins) {
  RbldnsdZone z = Load(
      ":2:default $\n"
      "10.0.0.0/8\n"
      "!10.1.0.0/16\n"
      "10.1.2.0/23 :3:inner\n"
      "10.1.2.128/25 :4:\n"
      "10.1.3\n"
      "10.1.2.0/23 :5:duplicate\n"
      "10.1.2.3-10.1.2.4\n"
      "10.2.0.0/15\n",
      RbldnsdFormat::kIp4trie);
  EXPECT_EQ(Ask(z, "10.9.9.9"), "127.0.0.2|default 10.9.9.9");
  EXPECT_EQ(Ask(z, "10.1.9.9"), "-");
  EXPECT_EQ(Ask(z, "10.1.2.1"), "127.0.0.3|inner");
  EXPECT_EQ(Ask(z, "10.1.2.200"), "127.0.0.4");
  EXPECT_EQ(Ask(z, "10.1.3.1"), "127.0.0.2|default 10.1.3.1");
  EXPECT_EQ(Ask(z, "11.0.0.0"), "-");
  EXPECT_EQ(z.report().skipped_lines, 2u);  // the duplicate and the range
  EXPECT_THAT(z.report().messages, ::testing::Contains(HasSubstr("t.zone:7: duplicate entry "
                                                                 "10.1.2.0/23")));
}

TEST(RbldnsdZoneTest, Ip4tsetSharesTheFirstDefault) {
  RbldnsdZone z = Load(
      "10.0.0.1\n"
      ":3:tset $\n"
      ":4:ignored\n"
      "10.0.0.2 :9:values are ignored\n"
      "10.0.0.0/24\n"
      "!10.0.0.1\n",
      RbldnsdFormat::kIp4tset);
  EXPECT_EQ(Ask(z, "10.0.0.1"), "127.0.0.3|tset 10.0.0.1");
  EXPECT_EQ(Ask(z, "10.0.0.2"), "127.0.0.3|tset 10.0.0.2");
  EXPECT_EQ(Ask(z, "10.0.0.3"), "-");
  EXPECT_EQ(z.report().skipped_lines, 2u);
}

TEST(RbldnsdZoneTest, DnsetWildcards) {
  RbldnsdZone z = Load(
      ":2:listed $\n"
      "Example.COM\n"
      "*.wild.example\n"
      ".both.example :3:both $\n"
      "!ok.both.example\n"
      "*.x.both.example :4:deeper $\n"
      "!*.y.both.example\n"
      "dup.example :5:a\n"
      "dup.example :6:b\n"
      ".\n"
      "bad..name\n",
      RbldnsdFormat::kDnset);
  EXPECT_EQ(AskName(z, "example.com"), "127.0.0.2|listed example.com");
  EXPECT_EQ(AskName(z, "EXAMPLE.com"), "127.0.0.2|listed example.com");
  EXPECT_EQ(AskName(z, "a.example.com"), "-");
  EXPECT_EQ(AskName(z, "wild.example"), "-");
  EXPECT_EQ(AskName(z, "a.b.wild.example"), "127.0.0.2|listed wild.example");
  EXPECT_EQ(AskName(z, "both.example"), "127.0.0.3|both both.example");
  EXPECT_EQ(AskName(z, "a.both.example"), "127.0.0.3|both both.example");
  EXPECT_EQ(AskName(z, "ok.both.example"), "-");
  EXPECT_EQ(AskName(z, "a.ok.both.example"), "127.0.0.3|both both.example");
  EXPECT_EQ(AskName(z, "a.x.both.example"), "127.0.0.4|deeper x.both.example");
  EXPECT_EQ(AskName(z, "a.y.both.example"), "-");
  EXPECT_EQ(AskName(z, "dup.example"), "127.0.0.5,127.0.0.6|a|b");
  EXPECT_EQ(AskName(z, "bad.name"), "127.0.0.2|listed bad.name");  // empty labels vanish
  EXPECT_EQ(z.report().skipped_lines, 1u);
}

TEST(RbldnsdZoneTest, FormatNames) {
  for (const char* name : {"ip4set", "ip4trie", "ip4tset", "dnset"}) {
    ASSERT_TRUE(ParseRbldnsdFormat(name)) << name;
    EXPECT_EQ(RbldnsdFormatName(*ParseRbldnsdFormat(name)), name);
  }
  EXPECT_FALSE(ParseRbldnsdFormat("ip6trie"));
}

TEST(RbldnsdZoneTest, LookupsOfTheOtherKindAreNotListed) {
  RbldnsdZone ip = Load("10.0.0.1\n", RbldnsdFormat::kIp4set);
  EXPECT_EQ(AskName(ip, "example.com"), "-");
  RbldnsdZone dn = Load("example.com\n", RbldnsdFormat::kDnset);
  EXPECT_EQ(Ask(dn, "10.0.0.1"), "-");
}

}  // namespace
}  // namespace mailrep
