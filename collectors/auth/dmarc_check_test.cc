#include "collectors/auth/dmarc_check.h"

#include <memory>
#include <string>
#include <vector>

#include "collectors/auth/psl_testing.h"
#include "collectors/dns/memory_dns.h"
#include "gtest/gtest.h"

namespace mailrep {
namespace {

struct Zone {
  std::string name;
  std::vector<std::string> texts;  // one TXT RR each; "TIMEOUT" / "SERVFAIL-ish" via AddTimeout
};

TEST(DmarcCheckTest, Discovery) {
  struct Case {
    std::string name;
    std::vector<Zone> zone;
    std::vector<std::string> timeouts;
    std::string domain;
    DmarcStatus status;
    std::string record_domain;
    std::optional<DmarcPolicy> applied;
  } cases[] = {
      {"own record",
       {{"_dmarc.example.com", {"v=DMARC1; p=reject"}}},
       {},
       "example.com",
       DmarcStatus::kValid,
       "example.com",
       DmarcPolicy::kReject},
      {"org fallback uses sp",
       {{"_dmarc.example.co.uk", {"v=DMARC1; p=reject; sp=quarantine"}}},
       {},
       "mail.example.co.uk",
       DmarcStatus::kValid,
       "example.co.uk",
       DmarcPolicy::kQuarantine},
      {"org fallback without sp uses p",
       {{"_dmarc.example.com", {"v=DMARC1; p=reject"}}},
       {},
       "a.b.example.com",
       DmarcStatus::kValid,
       "example.com",
       DmarcPolicy::kReject},
      {"no intermediate labels",
       {{"_dmarc.b.example.com", {"v=DMARC1; p=reject"}}},
       {},
       "a.b.example.com",
       DmarcStatus::kMissing,
       "",
       std::nullopt},
      {"own record wins over org",
       {{"_dmarc.example.com", {"v=DMARC1; p=none"}},
        {"_dmarc.sub.example.com", {"v=DMARC1; p=reject"}}},
       {},
       "sub.example.com",
       DmarcStatus::kValid,
       "sub.example.com",
       DmarcPolicy::kReject},
      {"non-DMARC TXT ignored",
       {{"_dmarc.example.com", {"v=spf1 -all", "hello", "v=DMARC1; p=quarantine"}}},
       {},
       "example.com",
       DmarcStatus::kValid,
       "example.com",
       DmarcPolicy::kQuarantine},
      {"only non-DMARC TXT",
       {{"_dmarc.example.com", {"v=spf1 -all"}}},
       {},
       "example.com",
       DmarcStatus::kMissing,
       "",
       std::nullopt},
      {"missing", {}, {}, "example.com", DmarcStatus::kMissing, "", std::nullopt},
      {"multiple",
       {{"_dmarc.example.com", {"v=DMARC1; p=none", "v=DMARC1; p=reject"}}},
       {},
       "example.com",
       DmarcStatus::kMultiple,
       "example.com",
       std::nullopt},
      {"multiple at subdomain stops discovery",
       {{"_dmarc.sub.example.com", {"v=DMARC1; p=none", "v=DMARC1; p=reject"}},
        {"_dmarc.example.com", {"v=DMARC1; p=reject"}}},
       {},
       "sub.example.com",
       DmarcStatus::kMultiple,
       "sub.example.com",
       std::nullopt},
      {"invalid p",
       {{"_dmarc.example.com", {"v=DMARC1; p=block"}}},
       {},
       "example.com",
       DmarcStatus::kInvalid,
       "example.com",
       std::nullopt},
      {"invalid p with rua acts as none",
       {{"_dmarc.example.com", {"v=DMARC1; p=block; rua=mailto:d@example.com"}}},
       {},
       "example.com",
       DmarcStatus::kInvalid,
       "example.com",
       DmarcPolicy::kNone},
      {"comma separator",
       {{"_dmarc.example.com", {"v=DMARC1, p=reject"}}},
       {},
       "example.com",
       DmarcStatus::kInvalid,
       "example.com",
       std::nullopt},
      {"timeout",
       {},
       {"_dmarc.example.com"},
       "example.com",
       DmarcStatus::kDnsError,
       "example.com",
       std::nullopt},
      {"timeout at org domain",
       {},
       {"_dmarc.example.com"},
       "sub.example.com",
       DmarcStatus::kDnsError,
       "example.com",
       std::nullopt},
      {"timeout blocks fallback",
       {{"_dmarc.example.com", {"v=DMARC1; p=reject"}}},
       {"_dmarc.sub.example.com"},
       "sub.example.com",
       DmarcStatus::kDnsError,
       "sub.example.com",
       std::nullopt},
  };
  for (const Case& c : cases) {
    MemoryDns dns;
    for (const Zone& z : c.zone) {
      for (const std::string& text : z.texts) dns.AddTxt(z.name, {text});
    }
    for (const std::string& name : c.timeouts) dns.AddTimeout(name);
    DmarcCheckResult result = CheckDmarc(c.domain, dns, *TestPsl());
    EXPECT_EQ(result.status, c.status) << c.name << ": " << DmarcStatusName(result.status);
    EXPECT_EQ(result.record_domain, c.record_domain) << c.name;
    EXPECT_EQ(result.applied_policy, c.applied) << c.name;
    EXPECT_TRUE(c.status == DmarcStatus::kValid || !result.details.empty()) << c.name;
  }
}

TEST(DmarcCheckTest, SplitStringsAreJoined) {
  MemoryDns dns;
  dns.AddTxt("_dmarc.example.com", {"v=DMARC1; p=rej", "ect; rua=mailto:d@example.com"});
  DmarcCheckResult result = CheckDmarc("Example.COM.", dns, *TestPsl());
  EXPECT_EQ(result.status, DmarcStatus::kValid);
  EXPECT_EQ(result.applied_policy, DmarcPolicy::kReject);
  EXPECT_EQ(result.domain, "example.com");
}

TEST(DmarcCheckTest, ExternalReportDestinations) {
  MemoryDns dns;
  dns.AddTxt("_dmarc.example.com",
             {"v=DMARC1; p=reject; rua=mailto:a@example.com,mailto:b@sub.example.com,"
              "mailto:c@vendor.net,mailto:d@other.org,https://x.example.org/r; "
              "ruf=mailto:e@vendor.net,mailto:f@flaky.net"});
  dns.AddTxt("example.com._report._dmarc.vendor.net", {"v=DMARC1"});
  dns.AddTxt("example.com._report._dmarc.other.org", {"not dmarc"});
  dns.AddTimeout("example.com._report._dmarc.flaky.net");
  DmarcCheckResult result = CheckDmarc("example.com", dns, *TestPsl());
  ASSERT_EQ(result.status, DmarcStatus::kValid);
  struct Expect {
    const char* tag;
    const char* domain;
    bool external;
    DmarcDestinationStatus status;
  } expected[] = {
      {"rua", "example.com", false, DmarcDestinationStatus::kNotNeeded},
      {"rua", "sub.example.com", false, DmarcDestinationStatus::kNotNeeded},
      {"rua", "vendor.net", true, DmarcDestinationStatus::kAuthorized},
      {"rua", "other.org", true, DmarcDestinationStatus::kNotAuthorized},
      {"rua", "", false, DmarcDestinationStatus::kNotNeeded},
      {"ruf", "vendor.net", true, DmarcDestinationStatus::kAuthorized},
      {"ruf", "flaky.net", true, DmarcDestinationStatus::kDnsError},
  };
  ASSERT_EQ(result.destinations.size(), std::size(expected));
  for (size_t i = 0; i < std::size(expected); ++i) {
    const DmarcReportDestination& d = result.destinations[i];
    EXPECT_EQ(d.tag, expected[i].tag) << i;
    EXPECT_EQ(d.domain, expected[i].domain) << i;
    EXPECT_EQ(d.external, expected[i].external) << i;
    EXPECT_EQ(d.status, expected[i].status) << i << " " << DmarcDestinationStatusName(d.status);
  }
  EXPECT_EQ(result.destinations[2].authorization_name, "example.com._report._dmarc.vendor.net");
  bool mentioned = false;
  for (const std::string& detail : result.details) {
    mentioned |= detail.find("other.org") != std::string::npos;
  }
  EXPECT_TRUE(mentioned);

  // Found at the organizational domain: the authorization names that domain.
  DmarcCheckResult sub = CheckDmarc("mail.example.com", dns, *TestPsl());
  ASSERT_EQ(sub.status, DmarcStatus::kValid);
  EXPECT_EQ(sub.destinations[2].authorization_name, "example.com._report._dmarc.vendor.net");
  DmarcCheckOptions off;
  off.check_report_destinations = false;
  EXPECT_TRUE(CheckDmarc("example.com", dns, *TestPsl(), off).destinations.empty());
}

TEST(DmarcCheckTest, AuthorizationLookupsAreCapped) {
  std::string record = "v=DMARC1; p=none; rua=";
  for (int i = 0; i < 50; ++i) {
    record += (i ? "," : "") + std::string("mailto:r@d") + std::to_string(i) + ".net";
  }
  MemoryDns dns;
  dns.AddTxt("_dmarc.example.com", {record});
  DmarcCheckOptions options;
  options.max_authorization_lookups = 3;
  DmarcCheckResult result = CheckDmarc("example.com", dns, *TestPsl(), options);
  ASSERT_EQ(result.destinations.size(), 50u);
  EXPECT_EQ(dns.lookups(), 1 + 3);
  EXPECT_EQ(result.destinations[2].status, DmarcDestinationStatus::kNotAuthorized);
  EXPECT_EQ(result.destinations[3].status, DmarcDestinationStatus::kNotChecked);
}

TEST(DmarcCheckTest, Alignment) {
  struct Case {
    const char* from;
    const char* other;
    bool relaxed;
    bool strict;
  } cases[] = {
      {"example.com", "example.com", true, true},
      {"example.com", "EXAMPLE.com.", true, true},
      {"example.com", "bounce.example.com", true, false},
      {"news.example.com", "bounce.example.com", true, false},
      {"example.com", "example.net", false, false},
      {"example.co.uk", "other.co.uk", false, false},
      {"a.example.co.uk", "example.co.uk", true, false},
      {"example.com", "", false, false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(DmarcAligned(c.from, c.other, DmarcAlignmentMode::kRelaxed, *TestPsl()), c.relaxed)
        << c.from << " / " << c.other;
    EXPECT_EQ(DmarcAligned(c.from, c.other, DmarcAlignmentMode::kStrict, *TestPsl()), c.strict)
        << c.from << " / " << c.other;
  }
  DmarcRecord record = *ParseDmarcRecord("v=DMARC1; p=reject; aspf=s");
  DmarcAlignmentReport report = CheckDmarcAlignment("example.com", "bounce.example.com",
                                                    {"example.com", "esp.net"}, record, *TestPsl());
  EXPECT_FALSE(report.spf_aligned);
  EXPECT_EQ(report.dkim_aligned, (std::vector<bool>{true, false}));
  EXPECT_TRUE(report.any_dkim_aligned);
  EXPECT_TRUE(report.would_pass_if_authenticated());
  DmarcAlignmentReport none =
      CheckDmarcAlignment("example.com", "esp.net", {"esp.net"}, record, *TestPsl());
  EXPECT_FALSE(none.would_pass_if_authenticated());
}

}  // namespace
}  // namespace mailrep
