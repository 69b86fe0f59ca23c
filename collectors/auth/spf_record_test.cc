#include "collectors/auth/spf_record.h"

#include <string>

#include "exporter/util/testing/status_matchers.h"
#include "gtest/gtest.h"

namespace mailrep {
namespace {

TEST(SpfRecordTest, VersionDetection) {
  struct Case {
    const char* text;
    bool spf1;
  } cases[] = {
      {"v=spf1", true},        {"v=spf1 -all", true},
      {"V=SpF1 mx", true},     {"v=spf10", false},
      {"v=spf1\t-all", false}, {"spf2.0/mfrom -all", false},
      {" v=spf1 -all", false}, {"", false},
      {"v=spf1-all", false},
  };
  for (const Case& c : cases) EXPECT_EQ(IsSpf1Record(c.text), c.spf1) << c.text;
}

TEST(SpfRecordTest, SenderIdScopes) {
  EXPECT_EQ(SenderIdScopes("spf2.0/mfrom,pra -all"), (std::vector<std::string>{"mfrom", "pra"}));
  EXPECT_EQ(SenderIdScopes("SPF2.0/PRA"), (std::vector<std::string>{"pra"}));
  EXPECT_FALSE(SenderIdScopes("spf2.0/ -all"));
  EXPECT_FALSE(SenderIdScopes("spf2.0/mfrom,,pra"));
  EXPECT_FALSE(SenderIdScopes("v=spf1 -all"));
}

TEST(SpfRecordTest, TopLabel) {
  struct Case {
    const char* label;
    bool valid;
  } cases[] = {{"com", true},   {"xn--zckzah", true}, {"123", false}, {"-com", false},
               {"com-", false}, {"1-2", true},        {"", false},    {"c_m", false}};
  for (const Case& c : cases) EXPECT_EQ(IsSpfTopLabel(c.label), c.valid) << c.label;
}

TEST(SpfRecordTest, ParsesMechanisms) {
  StatusOr<SpfRecord> record = ParseSpfRecord(
      "v=spf1  +a -mx:mail.example.com/24//64 ~ptr:example.org ?ip4:192.0.2.1/24 "
      "ip6:2001:DB8::1/48 include:_spf.example.net exists:%{ir}.%{l1r+-}._spf.%{d} "
      "IP4:198.51.100.7 all redirect=_spf.example.com exp=explain.%{d} moo.cow-far_out=man ");
  ASSERT_OK(record);
  ASSERT_EQ(record->mechanisms.size(), 9u);
  const SpfMechanism& mx = record->mechanisms[1];
  EXPECT_EQ(mx.kind, SpfMechanismKind::kMx);
  EXPECT_EQ(mx.qualifier, SpfQualifier::kFail);
  EXPECT_EQ(mx.domain_spec, "mail.example.com");
  EXPECT_EQ(mx.cidr4, 24);
  EXPECT_EQ(mx.cidr6, 64);
  EXPECT_EQ(record->mechanisms[2].qualifier, SpfQualifier::kSoftFail);
  EXPECT_EQ(record->mechanisms[3].network.ToString(), "192.0.2.0/24");
  EXPECT_EQ(record->mechanisms[3].qualifier, SpfQualifier::kNeutral);
  EXPECT_EQ(record->mechanisms[4].network.ToString(), "2001:db8::/48");
  EXPECT_EQ(record->mechanisms[5].domain_spec, "_spf.example.net");
  EXPECT_TRUE(record->mechanisms[6].QueriesDns());
  EXPECT_FALSE(record->mechanisms[7].QueriesDns());
  EXPECT_TRUE(record->has_all());
  EXPECT_EQ(record->redirect, "_spf.example.com");
  EXPECT_EQ(record->exp, "explain.%{d}");
  ASSERT_EQ(record->unknown_modifiers.size(), 1u);
  EXPECT_EQ(record->unknown_modifiers[0].name, "moo.cow-far_out");
  EXPECT_EQ(record->term_count, 12u);
}

TEST(SpfRecordTest, DualCidrDefaults) {
  StatusOr<SpfRecord> record = ParseSpfRecord("v=spf1 a//0 mx/0 a:foo:bar/baz.example.com");
  ASSERT_OK(record);
  EXPECT_EQ(record->mechanisms[0].cidr4, 32);
  EXPECT_EQ(record->mechanisms[0].cidr6, 0);
  EXPECT_EQ(record->mechanisms[1].cidr4, 0);
  EXPECT_EQ(record->mechanisms[1].cidr6, 128);
  EXPECT_EQ(record->mechanisms[2].domain_spec, "foo:bar/baz.example.com");
}

TEST(SpfRecordTest, SenderIdRecord) {
  StatusOr<SpfRecord> record = ParseSpfRecord("spf2.0/mfrom,pra ip4:192.0.2.0/24 -all");
  ASSERT_OK(record);
  EXPECT_EQ(record->version, "spf2.0");
  EXPECT_EQ(record->scopes, (std::vector<std::string>{"mfrom", "pra"}));
}

TEST(SpfRecordTest, ValidRecords) {
  const char* valid[] = {
      "v=spf1",
      "v=spf1 ",
      "v=spf1 -all moo=",
      "v=spf1 default=+",
      "v=spf1 a:foo.example.xn--zckzah",
      "v=spf1 a:%{H}.bar",
      "v=spf1 a:macro%%percent%_%_space%-url-space.example.com",
      "v=spf1 exists:%{i}.%{l2r-}.user.%{d2}",
      "v=spf1 include:o.spf.example.com.",
      "v=spf1 ip6:::1.1.1.1/0 ip4:0.0.0.0/0",
      "v=spf1 ip6:::FFFF:1.2.3.4",
      "v=spf1 a:x.1-2",
      "v=spf1 redirect=%{d}.d.spf.example.com.",
  };
  for (const char* text : valid) {
    StatusOr<SpfRecord> record = ParseSpfRecord(text);
    EXPECT_OK(record) << text;
  }
}

TEST(SpfRecordTest, InvalidRecordsArePermerrors) {
  struct Case {
    const char* text;
    const char* reason;  // a substring of the error
  } cases[] = {
      {"v=spf1 ip4:1.2.3.4 -all moo", "unknown mechanism"},
      {"v=spf1 moo.cow/far_out=man:dog/cat", "unknown mechanism"},
      {"v=spf1 moo.cow:far_out=man:dog/cat", "unknown mechanism"},
      {"v=spf1 redirect:t2.example.com", "unknown mechanism"},
      {"v=spf1 a:foo-bar -all", "top label"},
      {"v=spf1 -all.", "unknown mechanism"},
      {"v=spf1 -all:foobar", "takes no argument"},
      {"v=spf1 -all/8", "takes no argument"},
      {"v=spf1 ptr/0 -all", "no CIDR"},
      {"v=spf1 ptr:", "empty domain-spec"},
      {"v=spf1 a//33 a//129", "IPv6 CIDR"},
      {"v=spf1 a/33", "IPv4 CIDR"},
      {"v=spf1 a/24/64", "IPv4 CIDR"},
      {"v=spf1 a/24x", "malformed"},
      {"v=spf1 a:example.com:8080", "top label"},
      {"v=spf1 a:111.222.33.44", "top label"},
      {"v=spf1 a:abc.123", "top label"},
      {"v=spf1 a:example.-com", "top label"},
      {"v=spf1 a:museum", "top label"},
      {"v=spf1 a:museum.", "top label"},
      {"v=spf1 a:", "empty domain-spec"},
      {"v=spf1 include +all", "missing ':'"},
      {"v=spf1 include:", "empty domain-spec"},
      {"v=spf1 include:ip5.example.com/24", "top label"},
      {"v=spf1 exists", "missing ':'"},
      {"v=spf1 exists:mail.example.com/24", "top label"},
      {"v=spf1 ip4", "missing address"},
      {"v=spf1 ip4:1.2.3.4/33", "IPv4 CIDR"},
      {"v=spf1 ip4:1.2.3.4/032", "IPv4 CIDR"},
      {"v=spf1 ip4:1.2.3.4//32", "IPv4 CIDR"},
      {"v=spf1 ip4:1.2.3.4:8080", "invalid IPv4"},
      {"v=spf1 ip4:1.2.3", "invalid IPv4"},
      {"v=spf1 ip4:1.2.03.4", "invalid IPv4"},
      {"v=spf1 ip4:2001:db8::1", "invalid IPv4"},
      {"v=spf1 -all ip6", "missing address"},
      {"v=spf1 ip6:::1.1.1.1/129", "IPv6 CIDR"},
      {"v=spf1 ip6:::1.1.1.1//33", "IPv6 CIDR"},
      {"v=spf1 ip6::CAFE::BABE", "invalid IPv6"},
      {"v=spf1 ip6:192.0.2.1", "invalid IPv6"},
      {"v=spf1 1up=foo", "unknown mechanism"},
      {"v=spf1 =all", "empty modifier name"},
      {"v=spf1 -all foo=%abc", "'%' followed by 'a'"},
      {"v=spf1 exp= -all", "empty domain-spec"},
      {"v=spf1 exp=-all", "top label"},
      {"v=spf1 exp=a.example.com -all exp=b.example.com", "twice"},
      {"v=spf1 redirect=a.example.com redirect=a.example.com", "twice"},
      {"v=spf1 ?all redirect=", "empty domain-spec"},
      {"v=spf1 -all exp=%{r}.example.com", "outside exp"},
      {"v=spf1 -exists:%(ir).sbl.example.com", "'%' followed by '('"},
      {"v=spf1 exists:foo%.sbl.example.com", "'%' followed by '.'"},
      {"v=spf1 a:%{a}.example.com", "unknown macro letter"},
      {"v=spf1 a:%{d0}.example.com", "zero part count"},
      {"v=spf1 a:%{d*}.example.com", "invalid delimiter"},
      {"v=spf1 a:%{d.example.com", "unterminated"},
      {"v=spf1 a:ctrl.example.com\rptr -all", "byte 13"},
      {"v=spf1 ip4:192.0.2.5\n include:x.example.com", "byte 10"},
      {"v=spf1 \x80"
       "a:example.net -all",
       "byte 128"},
      {"v=spf3 -all", "not an SPF record"},
  };
  for (const Case& c : cases) {
    StatusOr<SpfRecord> record = ParseSpfRecord(c.text);
    ASSERT_FALSE(record.ok()) << c.text;
    EXPECT_NE(record.status().message().find(c.reason), std::string::npos)
        << c.text << " -> " << record.status().message();
  }
}

TEST(SpfRecordTest, HostileRecordsParseInLinearTime) {
  std::string many = "v=spf1";
  for (int i = 0; i < 5000; ++i) many += " ip4:192.0.2." + std::to_string(i % 256);
  StatusOr<SpfRecord> record = ParseSpfRecord(many);
  ASSERT_OK(record);
  EXPECT_EQ(record->mechanisms.size(), 5000u);
  std::string huge = "v=spf1 a:" + std::string(65536, 'x') + ".example.com";
  EXPECT_OK(ParseSpfRecord(huge));
  std::string macros = "v=spf1 exists:";
  for (int i = 0; i < 8000; ++i) macros += "%{s}";
  EXPECT_OK(ParseSpfRecord(macros));
}

}  // namespace
}  // namespace mailrep
