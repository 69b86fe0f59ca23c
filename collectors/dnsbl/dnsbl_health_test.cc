#include "collectors/dnsbl/dnsbl_health.h"

#include <gtest/gtest.h>

#include "collectors/dnsbl/dnsbl_test_util.h"

namespace mailrep {
namespace {

using testing::AAnswer;
using testing::OutcomeAnswer;

const DnsblList& Zen() { return *DnsblCatalogue::BuiltIn().Find("zen.spamhaus.org"); }

std::optional<DnsblResult> R(const DnsAnswer& a) { return DecodeDnsblAnswer(Zen(), a); }

TEST(HealthTest, TestPointPrefixes) {
  EXPECT_EQ(TestPointsOf(Zen()).listed_prefix, "2.0.0.127");
  EXPECT_EQ(TestPointsOf(Zen()).clean_prefix, "1.0.0.127");
  const DnsblList* dbl = DnsblCatalogue::BuiltIn().Find("dbl.spamhaus.org");
  EXPECT_EQ(TestPointsOf(*dbl).listed_prefix, "dbltest.com");
  EXPECT_EQ(TestPointsOf(*dbl).clean_prefix, "invalid");
  DnsblList six = Zen();
  six.ip4 = false;
  six.test_listed = "::ffff:7f00:2";
  six.test_clean = "::ffff:7f00:1";
  EXPECT_EQ(TestPointsOf(six).listed_prefix,
            "2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0");
}

struct Case {
  const char* name;
  std::optional<DnsblResult> listed;
  std::optional<DnsblResult> clean;
  bool healthy;
};

TEST(HealthTest, Judges) {
  auto nx = R(OutcomeAnswer(DnsOutcome::kNxDomain));
  auto listed = R(AAnswer({"127.0.0.2"}));
  std::vector<Case> cases = {
      {"healthy", listed, nx, true},
      {"wildcard lists the clean point", listed, R(AAnswer({"127.0.0.2"})), false},
      {"dead list: nothing listed", nx, nx, false},
      {"refusal code on both", R(AAnswer({"127.255.255.254"})), R(AAnswer({"127.255.255.254"})),
       false},
      {"parked: outside 127/8", R(AAnswer({"192.0.2.53"})), R(AAnswer({"192.0.2.53"})), false},
      {"timeout", R(OutcomeAnswer(DnsOutcome::kTimeout)), nx, false},
      {"servfail on clean point", listed, R(OutcomeAnswer(DnsOutcome::kServFail)), false},
      {"no clean point (hostkarma)", listed, std::nullopt, true},
      {"no points at all", std::nullopt, std::nullopt, true},
  };
  for (const Case& c : cases) {
    DnsblHealth h = JudgeDnsblHealth(c.listed, c.clean);
    EXPECT_EQ(h.healthy, c.healthy) << c.name << ": " << h.reason;
    EXPECT_EQ(h.reason.empty(), c.healthy) << c.name;
  }
}

}  // namespace
}  // namespace mailrep
