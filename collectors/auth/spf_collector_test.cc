#include "collectors/auth/spf_collector.h"

#include <gtest/gtest.h>

#include "collectors/dns/dns_engine.h"
#include "collectors/dns/static_resolver.h"
#include "exporter/core/collector_testing.h"
#include "exporter/core/fake_clock.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

IpAddress Ip(const char* text) { return *IpAddress::Parse(text); }

TEST(SpfTargetsTest, PairsEveryAddressWithDomainsAndHelo) {
  Config config;
  SenderConfig sender;
  sender.ips = {*IpNetwork::Parse("198.51.100.0/31"), *IpNetwork::Parse("2001:db8::25")};
  sender.domains = {"example.com", "example.net"};
  sender.helo = "mail.example.com";
  config.senders.push_back(sender);
  std::vector<SpfTarget> targets = SpfTargetsFromConfig(config, 256);
  ASSERT_EQ(targets.size(), 9u);  // 3 addresses x (2 domains + helo)
  EXPECT_EQ(targets[0].domain, "example.com");
  EXPECT_TRUE(targets[2].helo_identity);
  EXPECT_EQ(targets[2].domain, "mail.example.com");
  EXPECT_EQ(targets[3].ip.ToString(), "198.51.100.1");
  EXPECT_EQ(SpfTargetsFromConfig(config, 1).size(), 6u);
}

TEST(SpfCollectorTest, OneHotResultsLookupsAndRecordInfo) {
  auto dns = std::make_shared<StaticResolver>();
  dns->SetTexts("example.com", {"v=spf1 ip4:198.51.100.0/24 include:_spf.example.net -all"});
  dns->SetTexts("_spf.example.net", {"v=spf1 ip4:203.0.113.0/24 ?all"});
  dns->SetTexts("mail.example.com", {"v=spf1 a -all"});
  dns->SetAddresses("mail.example.com", {"198.51.100.7"});
  SpfCollector collector({{Ip("198.51.100.7"), "example.com", "mail.example.com", false},
                          {Ip("192.0.2.1"), "example.com", "mail.example.com", false},
                          {Ip("198.51.100.7"), "mail.example.com", "mail.example.com", true}},
                         dns);
  MetricSet out;
  ASSERT_OK(collector.Collect(TestContext(), &out));
  Labels pass_ip = {{"identity", "mfrom"}, {"domain", "example.com"}, {"ip", "198.51.100.7"}};
  Labels with_pass = pass_ip;
  with_pass.push_back({"result", "pass"});
  EXPECT_EQ(SampleValue(out, "mailrep_spf_result", with_pass), 1);
  Labels with_fail = pass_ip;
  with_fail.push_back({"result", "fail"});
  EXPECT_EQ(SampleValue(out, "mailrep_spf_result", with_fail), 0);
  EXPECT_EQ(SampleValue(out, "mailrep_spf_result",
                        {{"ip", "192.0.2.1"}, {"domain", "example.com"}, {"result", "fail"}}),
            1);
  EXPECT_EQ(SampleValue(out, "mailrep_spf_dns_lookups", {{"ip", "192.0.2.1"}}), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_spf_result",
                        {{"identity", "helo"}, {"domain", "mail.example.com"}, {"result", "pass"}}),
            1);
  EXPECT_EQ(SampleValue(out, "mailrep_spf_record_info",
                        {{"domain", "example.com"},
                         {"record", "v=spf1 ip4:198.51.100.0/24 include:_spf.example.net -all"}}),
            1);
  int result_series = 0;
  for (const auto& f : out.families()) {
    if (f.name == "mailrep_spf_result") result_series = static_cast<int>(f.metric.size());
  }
  EXPECT_EQ(result_series, 3 * 7);
}

TEST(SpfCollectorTest, DnsFailureIsTemperrorNeverPassOrFail) {
  auto dns = std::make_shared<StaticResolver>();
  dns->SetOutcome("example.com", RecordType::kTxt, DnsOutcome::kServFail);
  SpfCollector collector({{Ip("198.51.100.7"), "example.com", "", false}}, dns);
  MetricSet out;
  ASSERT_OK(collector.Collect(TestContext(), &out));
  EXPECT_EQ(SampleValue(out, "mailrep_spf_result", {{"result", "temperror"}}), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_spf_result", {{"result", "pass"}}), 0);
  EXPECT_EQ(SampleValue(out, "mailrep_spf_result", {{"result", "fail"}}), 0);
}

TEST(SpfCollectorTest, WarningsAreReportedOncePerDomain) {
  auto dns = std::make_shared<StaticResolver>();
  dns->SetTexts("example.com", {"v=spf1 ptr +all"});
  SpfCollector collector({{Ip("198.51.100.7"), "example.com", "", false},
                          {Ip("198.51.100.8"), "example.com", "", false}},
                         dns);
  MetricSet out;
  ASSERT_OK(collector.Collect(TestContext(), &out));
  EXPECT_EQ(SampleValue(out, "mailrep_spf_warning_info", {{"warning", "pass_all"}}), 1);
}

TEST(SpfCollectorTest, ProbeChecksOnlyConfiguredDomains) {
  auto dns = std::make_shared<StaticResolver>();
  dns->SetTexts("example.com", {"v=spf1 ip4:198.51.100.0/24 -all"});
  SpfCollector collector({{Ip("198.51.100.7"), "example.com", "", false}}, dns);
  std::vector<ProbeModule> modules = collector.ProbeModules();
  ASSERT_EQ(modules.size(), 1u);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  MetricSet out;
  StatusOr<bool> ok = modules[0].run({"Example.COM", {{"ip", "198.51.100.9"}}, deadline, {}}, &out);
  ASSERT_OK(ok);
  EXPECT_TRUE(*ok);
  MetricSet other;
  EXPECT_EQ(modules[0]
                .run({"evil.example", {{"ip", "198.51.100.9"}}, deadline, {}}, &other)
                .status()
                .code(),
            Status::Code::kPermissionDenied);
  EXPECT_EQ(modules[0].run({"example.com", {}, deadline, {}}, &other).status().code(),
            Status::Code::kInvalidArgument);
  EXPECT_TRUE(dns->queries().size() == 1u) << "the refused probes sent nothing";
}

TEST(SpfCollectorTest, SenderIdMfromResultAndRecordPresence) {
  struct Case {
    std::string name;
    std::vector<std::string> texts;  // TXT at example.com
    std::string result;              // mailrep_senderid_result
    double present;                  // mailrep_senderid_record_present
    std::string spf_result;          // mailrep_spf_result, for contrast
  } cases[] = {
      {"spf2.0 mfrom record is used",
       {"spf2.0/mfrom,pra ip4:192.0.2.10 -all", "v=spf1 -all"},
       "pass",
       1,
       "fail"},
      {"falls back to v=spf1", {"v=spf1 ip4:192.0.2.10 -all"}, "pass", 0, "pass"},
      {"pra-only record does not cover mfrom",
       {"spf2.0/pra ip4:192.0.2.10 -all", "v=spf1 ~all"},
       "softfail",
       0,
       "softfail"},
      {"no record at all", {}, "none", 0, "none"},
  };
  for (const Case& c : cases) {
    auto dns = std::make_shared<StaticResolver>();
    if (!c.texts.empty()) dns->SetTexts("example.com", c.texts);
    SpfCollector collector({{Ip("192.0.2.10"), "example.com", "mail.example.com", false},
                            {Ip("192.0.2.10"), "mail.example.com", "mail.example.com", true}},
                           dns);
    MetricSet out;
    ASSERT_OK(collector.Collect(TestContext(), &out)) << c.name;
    for (SpfResult r : {SpfResult::kNone, SpfResult::kNeutral, SpfResult::kPass, SpfResult::kFail,
                        SpfResult::kSoftFail, SpfResult::kTempError, SpfResult::kPermError}) {
      std::string name(SpfResultName(r));
      EXPECT_EQ(SampleValue(out, "mailrep_senderid_result",
                            {{"ip", "192.0.2.10"}, {"domain", "example.com"}, {"result", name}}),
                name == c.result ? 1 : 0)
          << c.name << " " << name;
    }
    EXPECT_EQ(SampleValue(out, "mailrep_senderid_record_present", {{"domain", "example.com"}}),
              c.present)
        << c.name;
    EXPECT_EQ(
        SampleValue(out, "mailrep_spf_result",
                    {{"identity", "mfrom"}, {"domain", "example.com"}, {"result", c.spf_result}}),
        1)
        << c.name;
    EXPECT_EQ(SampleValue(out, "mailrep_senderid_result", {{"domain", "mail.example.com"}}),
              std::nullopt)
        << "no Sender ID for the HELO identity";
    for (const auto& family : out.families()) {
      if (family.name.starts_with("mailrep_senderid_")) {
        EXPECT_NE(family.help.find("last run"), std::string::npos) << family.name;
      }
    }
  }
}

TEST(SpfCollectorTest, SenderIdDnsErrorKeepsRecordPresence) {
  auto dns = std::make_shared<StaticResolver>();
  dns->SetTexts("example.com", {"spf2.0/mfrom ip4:192.0.2.10 -all"});
  SpfCollector collector(
      {{Ip("192.0.2.10"), "example.com", "", false}, {Ip("192.0.2.11"), "example.com", "", false}},
      dns);
  MetricSet first;
  ASSERT_OK(collector.Collect(TestContext(), &first));
  EXPECT_EQ(SampleValue(first, "mailrep_senderid_record_present", {{"domain", "example.com"}}), 1);
  EXPECT_EQ(
      SampleValue(first, "mailrep_senderid_result", {{"ip", "192.0.2.11"}, {"result", "fail"}}), 1);
  dns->SetOutcome("example.com", RecordType::kTxt, DnsOutcome::kTimeout);
  MetricSet out;
  ASSERT_OK(collector.Collect(TestContext(), &out));
  EXPECT_EQ(
      SampleValue(out, "mailrep_senderid_result", {{"ip", "192.0.2.10"}, {"result", "temperror"}}),
      1);
  EXPECT_EQ(SampleValue(out, "mailrep_senderid_record_present", {{"domain", "example.com"}}), 1);
  int present_series = 0;
  for (const auto& f : out.families()) {
    if (f.name == "mailrep_senderid_record_present") {
      present_series = static_cast<int>(f.metric.size());
    }
  }
  EXPECT_EQ(present_series, 1) << "once per domain";
}

TEST(SpfCollectorTest, NoSendersMeansNoResolverAndNoQueries) {
  Config config;
  CollectorSettings settings;
  ConfigNode options = *ConfigNode::Parse("", "test");
  CollectorEnv env{config, settings, ""};
  StatusOr<std::unique_ptr<Collector>> collector = NewSpfCollector(env, options);
  ASSERT_OK(collector);
  MetricSet out;
  EXPECT_OK((*collector)->Collect(TestContext(), &out));
  EXPECT_EQ(out.series_count(), 0u);
}

// A config with one sender, 198.51.100.7 for example.com.
Config OneSenderConfig() {
  Config config;
  SenderConfig sender;
  sender.ips = {*IpNetwork::Parse("198.51.100.7")};
  sender.domains = {"example.com"};
  config.senders.push_back(sender);
  return config;
}

// The factory takes its resolver from the environment's DNS engine; a test
// hands it a fake engine over in-memory answers.
TEST(SpfCollectorTest, FactoryUsesTheEnvironmentsDnsEngine) {
  auto dns = std::make_shared<StaticResolver>();
  dns->SetTexts("example.com", {"v=spf1 ip4:198.51.100.0/24 -all"});
  Config config = OneSenderConfig();
  CollectorSettings settings;
  ConfigNode options = *ConfigNode::Parse("", "test");
  CollectorEnv env{config, settings, "", DnsEngine::ForResolver(dns)};
  StatusOr<std::unique_ptr<Collector>> collector = NewSpfCollector(env, options);
  ASSERT_OK(collector);
  MetricSet out;
  ASSERT_OK((*collector)->Collect(TestContext(), &out));
  EXPECT_EQ(SampleValue(out, "mailrep_spf_result",
                        {{"identity", "mfrom"},
                         {"domain", "example.com"},
                         {"ip", "198.51.100.7"},
                         {"result", "pass"}}),
            1);
}

TEST(SpfCollectorTest, MacroTimeComesFromTheClock) {
  StaticResolver dns;
  dns.SetTexts("example.com", {"v=spf1 -all exp=explain.example.com"});
  dns.SetTexts("explain.example.com", {"checked at %{t}"});
  FakeClock clock(1795791200);
  SpfCheckResult r =
      RunSpfCheck(dns, {Ip("192.0.2.1"), "example.com", "", false},
                  std::chrono::steady_clock::now() + std::chrono::seconds(5), {}, clock);
  EXPECT_EQ(r.result, SpfResult::kFail);
  EXPECT_EQ(r.explanation, "checked at 1795791200");
}

TEST(SpfCollectorTest, TargetsWithoutADnsEngineAreAnError) {
  Config config = OneSenderConfig();
  CollectorSettings settings;
  ConfigNode options = *ConfigNode::Parse("", "test");
  CollectorEnv env{config, settings, ""};
  EXPECT_FALSE(NewSpfCollector(env, options).ok());
}

}  // namespace
}  // namespace mailrep
