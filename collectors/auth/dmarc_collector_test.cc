#include "collectors/auth/dmarc_collector.h"

#include <gtest/gtest.h>

#include "collectors/auth/psl_testing.h"
#include "collectors/dns/static_resolver.h"
#include "exporter/core/collector_testing.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

TEST(DmarcTargetsTest, DistinctNormalizedDomainsWithTheirSendersIdentities) {
  Config config;
  SenderConfig a;
  a.domains = {"Example.com.", "example.net"};
  a.dkim = {{"s1", "example.com", ""}, {"esp", "esp.example.org", ""}};
  SenderConfig b;
  b.domains = {"example.com"};
  b.dkim = {{"s2", "mail.example.com", ""}};
  config.senders = {a, b};
  std::vector<DmarcTarget> targets = DmarcTargetsFromConfig(config);
  ASSERT_EQ(targets.size(), 4u);
  EXPECT_EQ(targets[0].domain, "example.com");
  EXPECT_EQ(targets[0].envelope_domains, (std::vector<std::string>{"example.com", "example.net"}));
  EXPECT_EQ(targets[0].dkim_domains,
            (std::vector<std::string>{"example.com", "esp.example.org", "mail.example.com"}));
  EXPECT_EQ(targets[1].domain, "example.net");
  EXPECT_EQ(targets[2].domain, "esp.example.org");
  EXPECT_EQ(targets[3].domain, "mail.example.com");
  EXPECT_EQ(targets[3].envelope_domains, (std::vector<std::string>{"example.com"}));
}

TEST(DmarcCollectorTest, MetricsPerRecord) {
  struct Case {
    std::string name;
    std::vector<std::pair<std::string, std::string>> zone;  // TXT name, text
    DmarcTarget target;
    std::string status;
    std::string policy;  // "" = all policy series 0
    double pct;
    double fallback;
    double unauthorized;
    double spf_aligned;
    double dkim_aligned;
  } cases[] = {
      {"own record",
       {{"_dmarc.example.com", "v=DMARC1; p=reject; pct=50"}},
       {"example.com", {"example.com"}, {"example.com"}},
       "valid",
       "reject",
       50,
       0,
       0,
       1,
       1},
      {"org domain fallback applies sp",
       {{"_dmarc.example.com", "v=DMARC1; p=reject; sp=quarantine"}},
       {"news.example.com", {"bounce.example.com"}, {"example.com"}},
       "valid",
       "quarantine",
       100,
       1,
       0,
       1,
       1},
      {"strict alignment",
       {{"_dmarc.example.com", "v=DMARC1; p=none; aspf=s; adkim=s"}},
       {"example.com", {"bounce.example.com"}, {"mail.example.com"}},
       "valid",
       "none",
       100,
       0,
       0,
       0,
       0},
      {"DKIM signed by another organization",
       {{"_dmarc.example.com", "v=DMARC1; p=quarantine"}},
       {"example.com", {"example.com"}, {"esp.example.net"}},
       "valid",
       "quarantine",
       100,
       0,
       0,
       1,
       0},
      {"missing", {}, {"example.com", {"example.com"}, {}}, "missing", "", 100, 0, 0, 1, 0},
      {"invalid policy",
       {{"_dmarc.example.com", "v=DMARC1; p=block"}},
       {"example.com", {"example.com"}, {}},
       "invalid",
       "",
       100,
       0,
       0,
       1,
       0},
      {"multiple",
       {{"_dmarc.example.com", "v=DMARC1; p=none"}, {"_dmarc.example.com", "v=DMARC1; p=reject"}},
       {"example.com", {"example.com"}, {}},
       "multiple",
       "",
       100,
       0,
       0,
       1,
       0},
      {"external rua without authorization",
       {{"_dmarc.example.com",
         "v=DMARC1; p=reject; rua=mailto:a@reports.example.net,mailto:b@example.org"},
        {"example.com._report._dmarc.example.org", "v=DMARC1"}},
       {"example.com", {"example.com"}, {}},
       "valid",
       "reject",
       100,
       0,
       1,
       1,
       0},
  };
  for (const Case& c : cases) {
    auto dns = std::make_shared<StaticResolver>();
    std::map<std::string, std::vector<std::string>> texts;
    for (const auto& [name, text] : c.zone) texts[name].push_back(text);
    for (const auto& [name, list] : texts) dns->SetTexts(name, list);
    DmarcCollector collector({c.target}, dns, TestPsl());
    MetricSet out;
    ASSERT_OK(collector.Collect(TestContext(), &out)) << c.name;
    Labels domain = {{"domain", c.target.domain}};
    for (DmarcStatus s : kAllDmarcStatuses) {
      std::string name(DmarcStatusName(s));
      EXPECT_EQ(
          SampleValue(out, "mailrep_dmarc_status", {{"domain", c.target.domain}, {"status", name}}),
          name == c.status ? 1 : 0)
          << c.name << " " << name;
    }
    EXPECT_EQ(SampleValue(out, "mailrep_dmarc_record_valid", domain), c.status == "valid" ? 1 : 0)
        << c.name;
    for (DmarcPolicy p : kAllDmarcPolicies) {
      std::string name(DmarcPolicyName(p));
      EXPECT_EQ(
          SampleValue(out, "mailrep_dmarc_policy", {{"domain", c.target.domain}, {"policy", name}}),
          name == c.policy ? 1 : 0)
          << c.name << " " << name;
    }
    EXPECT_EQ(SampleValue(out, "mailrep_dmarc_pct", domain), c.pct) << c.name;
    EXPECT_EQ(SampleValue(out, "mailrep_dmarc_org_domain_fallback", domain), c.fallback) << c.name;
    EXPECT_EQ(SampleValue(out, "mailrep_dmarc_unauthorized_report_destinations", domain),
              c.unauthorized)
        << c.name;
    EXPECT_EQ(SampleValue(out, "mailrep_dmarc_spf_aligned", domain), c.spf_aligned) << c.name;
    EXPECT_EQ(SampleValue(out, "mailrep_dmarc_dkim_aligned", domain), c.dkim_aligned) << c.name;
    EXPECT_EQ(out.series_count(), 5u + 1u + 3u + 5u) << c.name;
  }
}

TEST(DmarcCollectorTest, DnsErrorKeepsTheLastGoodValues) {
  auto dns = std::make_shared<StaticResolver>();
  dns->SetTexts("_dmarc.example.com", {"v=DMARC1; p=reject; pct=20"});
  DmarcCollector collector({{"example.com", {"example.com"}, {}}}, dns, TestPsl());
  Labels domain = {{"domain", "example.com"}};
  MetricSet first;
  ASSERT_OK(collector.Collect(TestContext(), &first));
  for (DnsOutcome outcome : {DnsOutcome::kTimeout, DnsOutcome::kServFail}) {
    dns->SetOutcome("_dmarc.example.com", RecordType::kTxt, outcome);
    MetricSet out;
    ASSERT_OK(collector.Collect(TestContext(), &out));
    EXPECT_EQ(SampleValue(out, "mailrep_dmarc_status",
                          {{"domain", "example.com"}, {"status", "dns_error"}}),
              1);
    EXPECT_EQ(SampleValue(out, "mailrep_dmarc_status",
                          {{"domain", "example.com"}, {"status", "missing"}}),
              0);
    EXPECT_EQ(SampleValue(out, "mailrep_dmarc_record_valid", domain), 1);
    EXPECT_EQ(
        SampleValue(out, "mailrep_dmarc_policy", {{"domain", "example.com"}, {"policy", "reject"}}),
        1);
    EXPECT_EQ(SampleValue(out, "mailrep_dmarc_pct", domain), 20);
  }
  dns->SetOutcome("_dmarc.example.com", RecordType::kTxt, DnsOutcome::kNxDomain);
  MetricSet gone;
  ASSERT_OK(collector.Collect(TestContext(), &gone));
  EXPECT_EQ(
      SampleValue(gone, "mailrep_dmarc_status", {{"domain", "example.com"}, {"status", "missing"}}),
      1);
  EXPECT_EQ(SampleValue(gone, "mailrep_dmarc_record_valid", domain), 0);
  EXPECT_EQ(
      SampleValue(gone, "mailrep_dmarc_policy", {{"domain", "example.com"}, {"policy", "reject"}}),
      0);
}

TEST(DmarcCollectorTest, FirstRunDnsErrorStartsAtZero) {
  auto dns = std::make_shared<StaticResolver>();
  dns->SetOutcome("_dmarc.example.com", RecordType::kTxt, DnsOutcome::kTimeout);
  DmarcCollector collector({{"example.com", {"example.com"}, {}}}, dns, TestPsl());
  MetricSet out;
  ASSERT_OK(collector.Collect(TestContext(), &out));
  EXPECT_EQ(SampleValue(out, "mailrep_dmarc_status",
                        {{"domain", "example.com"}, {"status", "dns_error"}}),
            1);
  EXPECT_EQ(SampleValue(out, "mailrep_dmarc_record_valid", {{"domain", "example.com"}}), 0);
  EXPECT_EQ(out.series_count(), 14u);
}

TEST(DmarcCollectorTest, HelpSaysCached) {
  auto dns = std::make_shared<StaticResolver>();
  DmarcCollector collector({{"example.com", {}, {}}}, dns, TestPsl());
  MetricSet out;
  ASSERT_OK(collector.Collect(TestContext(), &out));
  for (const auto& family : out.families()) {
    EXPECT_NE(family.help.find(std::string(kCachedNote)), std::string::npos) << family.name;
  }
}

TEST(DmarcCollectorTest, ProbeOnlyForConfiguredDomains) {
  auto dns = std::make_shared<StaticResolver>();
  dns->SetTexts("_dmarc.example.com", {"v=DMARC1; p=reject"});
  DmarcCollector collector({{"example.com", {"example.com"}, {}}}, dns, TestPsl());
  ProbeModule module = collector.ProbeModules().at(0);
  EXPECT_EQ(module.name, "dmarc");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  MetricSet out;
  EXPECT_EQ(module.run({"other.example", {}, deadline, {}}, &out).status().code(),
            Status::Code::kPermissionDenied);
  EXPECT_TRUE(dns->queries().empty());
  StatusOr<bool> ran = module.run({"Example.COM.", {}, deadline, {}}, &out);
  ASSERT_OK(ran);
  EXPECT_TRUE(*ran);
  EXPECT_EQ(
      SampleValue(out, "mailrep_dmarc_policy", {{"domain", "example.com"}, {"policy", "reject"}}),
      1);
}

}  // namespace
}  // namespace mailrep
