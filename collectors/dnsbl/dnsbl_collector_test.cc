#include "collectors/dnsbl/dnsbl_collector.h"

#include <gtest/gtest.h>

#include <optional>
#include <set>

#include "collectors/dns/dns_engine.h"
#include "collectors/dns/static_resolver.h"
#include "collectors/dnsbl/dnsbl_test_util.h"
#include "exporter/core/collector_testing.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using testing::AAnswer;

const std::vector<CollectorDefaults> kKnown = {
    {"dnsbl", true, std::chrono::minutes(15), std::chrono::minutes(5)}};

DnsblSettings Settings(const std::string& yaml) {
  StatusOr<Config> config = ParseConfig(yaml, "t.yml", kKnown);
  EXPECT_OK(config);
  ConfigNode options = config->collectors.at("dnsbl").options->WithOwnErrors();
  StatusOr<DnsblSettings> s = ParseDnsblSettings(*config, options);
  EXPECT_OK(s);
  return *s;
}

constexpr char kOneIp[] =
    "senders: [{ips: [192.0.2.1], domains: [example.com]}]\n"
    "collectors:\n  dnsbl:\n    lists: [zen.spamhaus.org, dbl.spamhaus.org, list.dnswl.org]\n";

class CollectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    resolver_ = std::make_shared<StaticResolver>();
    // Healthy lists by default.
    resolver_->SetAddresses("2.0.0.127.zen.spamhaus.org", {"127.0.0.2", "127.0.0.10"});
    resolver_->SetAddresses("dbltest.com.dbl.spamhaus.org", {"127.0.1.2"});
    resolver_->SetAddresses("2.0.0.127.list.dnswl.org", {"127.0.10.0"});
  }

  std::unique_ptr<DnsblCollector> Make(const std::string& yaml,
                                       std::unique_ptr<InterfaceLister> lister = nullptr,
                                       Shard shard = {}) {
    auto resolver = resolver_;
    DnsblSettings settings = Settings(yaml);
    settings.shard = shard;
    return std::make_unique<DnsblCollector>(
        std::move(settings),
        [this, resolver]() -> StatusOr<std::shared_ptr<Resolver>> {
          ++factory_calls_;
          return std::shared_ptr<Resolver>(resolver);
        },
        std::move(lister));
  }

  MetricSet RunOnce(DnsblCollector& c) {
    MetricSet out;
    CollectContext ctx{{}, std::chrono::steady_clock::now() + std::chrono::seconds(10)};
    Status s = c.Collect(ctx, &out);
    EXPECT_OK(s) << s.message();
    return out;
  }

  std::shared_ptr<StaticResolver> resolver_;
  int factory_calls_ = 0;
};

const Labels kZen = {{"ip", "192.0.2.1"}, {"dnsbl", "zen.spamhaus.org"}};

TEST_F(CollectorTest, NoTargetsSendsNoQueries) {
  auto c =
      Make("collectors: {}\n", NewFixedInterfaceLister({{"eth0", *IpAddress::Parse("10.0.0.5")},
                                                        {"eth0", *IpAddress::Parse("fd00::5")}}));
  MetricSet out = RunOnce(*c);
  EXPECT_EQ(factory_calls_, 0);
  EXPECT_TRUE(resolver_->queries().empty());
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_targets", {{"kind", "ip"}}), 0);
  EXPECT_EQ(SampleCount(out, "mailrep_dnsbl_listed"), 0u);
  EXPECT_EQ(SampleCount(out, "mailrep_dnsbl_lookup_errors_total"), 0u);
  EXPECT_EQ(SampleCount(out, "mailrep_dnsbl_list_healthy"), 0u);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_list_info",
                        {{"dnsbl", "zen.spamhaus.org"}, {"severity", "major"}}),
            1);
}

TEST_F(CollectorTest, HostPublicAddressesAreChecked) {
  auto c = Make("collectors:\n  dnsbl:\n    lists: [zen.spamhaus.org]\n",
                NewFixedInterfaceLister({{"eth0", *IpAddress::Parse("10.0.0.5")},
                                         {"eth0", *IpAddress::Parse("8.8.4.4")}}));
  MetricSet out = RunOnce(*c);
  EXPECT_EQ(
      SampleValue(out, "mailrep_dnsbl_listed", {{"ip", "8.8.4.4"}, {"dnsbl", "zen.spamhaus.org"}}),
      0);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", {{"ip", "10.0.0.5"}}), std::nullopt);
  EXPECT_EQ(resolver_->queries().size(), 3u);  // target + two test points
  EXPECT_EQ(resolver_->queries()[0].rate_key, "zen.spamhaus.org");
}

class FailingLister : public InterfaceLister {
 public:
  StatusOr<std::vector<InterfaceAddress>> List() override {
    return Status::IoError("getifaddrs: out of memory");
  }
};

TEST_F(CollectorTest, FailedHostAddressListingIsCountedAndKeptOverAReload) {
  const std::string yaml = "collectors:\n  dnsbl:\n    lists: [zen.spamhaus.org]\n";
  auto c = Make(yaml, std::make_unique<FailingLister>());
  RunOnce(*c);
  MetricSet out = RunOnce(*c);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_host_address_errors_total", {}), 2);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_targets", {{"kind", "ip"}}), 0);

  auto next = Make(yaml, std::make_unique<FailingLister>());
  next->AdoptState(*c);
  EXPECT_EQ(SampleValue(RunOnce(*next), "mailrep_dnsbl_host_address_errors_total", {}), 3);
}

TEST_F(CollectorTest, ShardsSplitTheTargetsAsPrometheusHashmodDoes) {
  const std::string yaml =
      "senders: [{ips: [192.0.2.0/29], domains: [example.com, example.org]}]\n"
      "collectors:\n  dnsbl:\n    lists: [zen.spamhaus.org, dbl.spamhaus.org]\n";
  std::set<std::string> seen;
  for (uint64_t i = 0; i < 3; ++i) {
    MetricSet out = RunOnce(*Make(yaml, nullptr, Shard{i, 3}));
    for (std::string target : {"192.0.2.0", "192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4",
                               "192.0.2.5", "192.0.2.6", "192.0.2.7"}) {
      bool checked =
          SampleValue(out, "mailrep_dnsbl_listed", {{"ip", target}, {"dnsbl", "zen.spamhaus.org"}})
              .has_value();
      EXPECT_EQ(checked, HashMod(target, 3) == i) << target << " on shard " << i;
      if (checked) {
        EXPECT_TRUE(seen.insert(target).second) << target << " checked twice";
      }
    }
    for (std::string domain : {"example.com", "example.org"}) {
      bool checked = SampleValue(out, "mailrep_dnsbl_domain_listed",
                                 {{"domain", domain}, {"dnsbl", "dbl.spamhaus.org"}})
                         .has_value();
      EXPECT_EQ(checked, HashMod(domain, 3) == i) << domain << " on shard " << i;
      if (checked) {
        EXPECT_TRUE(seen.insert(domain).second) << domain << " checked twice";
      }
    }
  }
  EXPECT_EQ(seen.size(), 10u) << "every target has an owner";
}

TEST_F(CollectorTest, CleanTargetsArePresentFromTheFirstRun) {
  auto c = Make(kOneIp);
  MetricSet out = RunOnce(*c);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", kZen), 0);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed_lists", {{"ip", "192.0.2.1"}}), 0);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_allowlisted",
                        {{"ip", "192.0.2.1"}, {"dnsbl", "list.dnswl.org"}}),
            0);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", {{"dnsbl", "list.dnswl.org"}}), std::nullopt);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_domain_listed",
                        {{"domain", "example.com"}, {"dnsbl", "dbl.spamhaus.org"}}),
            0);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_list_healthy", {{"dnsbl", "zen.spamhaus.org"}}), 1);
  EXPECT_GT(SampleValue(out, "mailrep_dnsbl_last_check_timestamp_seconds", {{"ip", "192.0.2.1"}}),
            1.7e9);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_lookup_errors_total",
                        {{"dnsbl", "zen.spamhaus.org"}, {"reason", "refusal_code"}}),
            0);
}

TEST_F(CollectorTest, ListingWithSeveralCodes) {
  resolver_->SetAddresses("1.2.0.192.zen.spamhaus.org", {"127.0.0.2", "127.0.0.4"});
  resolver_->SetAddresses("example.com.dbl.spamhaus.org", {"127.0.1.4"});
  resolver_->SetAddresses("1.2.0.192.list.dnswl.org", {"127.0.5.1"});
  auto c = Make(kOneIp);
  MetricSet out = RunOnce(*c);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", kZen), 1);
  EXPECT_EQ(SampleCount(out, "mailrep_dnsbl_listing_info"), 2u);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listing_info",
                        {{"ip", "192.0.2.1"},
                         {"code", "127.0.0.4"},
                         {"meaning", "XBL: exploited host (botnet, open proxy)"}}),
            1);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed_lists", {{"ip", "192.0.2.1"}}), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_allowlisted",
                        {{"ip", "192.0.2.1"}, {"dnsbl", "list.dnswl.org"}}),
            1);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_domain_listed",
                        {{"domain", "example.com"}, {"dnsbl", "dbl.spamhaus.org"}}),
            1);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_domain_listing_info",
                        {{"domain", "example.com"}, {"code", "127.0.1.4"}}),
            1);
}

TEST_F(CollectorTest, RefusalCodeIsAnErrorNotAListing) {
  resolver_->SetAddresses("1.2.0.192.zen.spamhaus.org", {"127.255.255.254"});
  auto c = Make(kOneIp);
  MetricSet out = RunOnce(*c);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", kZen), 0);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_lookup_errors_total",
                        {{"dnsbl", "zen.spamhaus.org"}, {"reason", "refusal_code"}}),
            1);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_last_check_timestamp_seconds", {{"ip", "192.0.2.1"}}),
            0);
}

TEST_F(CollectorTest, ErrorKeepsTheLastGoodValue) {
  resolver_->SetAddresses("1.2.0.192.zen.spamhaus.org", {"127.0.0.2"});
  auto c = Make(kOneIp);
  RunOnce(*c);
  resolver_->SetOutcome("1.2.0.192.zen.spamhaus.org", RecordType::kA, DnsOutcome::kTimeout);
  MetricSet out = RunOnce(*c);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", kZen), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listing_info", {{"code", "127.0.0.2"}}), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_lookup_errors_total",
                        {{"dnsbl", "zen.spamhaus.org"}, {"reason", "timeout"}}),
            1);
  resolver_->SetOutcome("1.2.0.192.zen.spamhaus.org", RecordType::kA, DnsOutcome::kNxDomain);
  out = RunOnce(*c);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", kZen), 0);
  EXPECT_EQ(SampleCount(out, "mailrep_dnsbl_listing_info"), 0u);
}

TEST_F(CollectorTest, UnhealthyListIsSuppressedAndKeepsItsLastValue) {
  // A wildcard: the "must not be listed" point answers as listed.
  resolver_->SetAddresses("1.0.0.127.zen.spamhaus.org", {"127.0.0.2"});
  resolver_->SetAddresses("1.2.0.192.zen.spamhaus.org", {"127.0.0.2"});
  auto c = Make(kOneIp);
  MetricSet out = RunOnce(*c);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_list_healthy", {{"dnsbl", "zen.spamhaus.org"}}), 0);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", kZen), 0);  // 0 before any good value

  resolver_->SetOutcome("1.0.0.127.zen.spamhaus.org", RecordType::kA, DnsOutcome::kNxDomain);
  out = RunOnce(*c);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_list_healthy", {{"dnsbl", "zen.spamhaus.org"}}), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", kZen), 1);

  // The list dies (test point no longer listed) while the target is clean: the
  // listing stays at its last good value rather than flapping to 0.
  resolver_->SetOutcome("2.0.0.127.zen.spamhaus.org", RecordType::kA, DnsOutcome::kNxDomain);
  resolver_->SetOutcome("1.2.0.192.zen.spamhaus.org", RecordType::kA, DnsOutcome::kNxDomain);
  out = RunOnce(*c);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_list_healthy", {{"dnsbl", "zen.spamhaus.org"}}), 0);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", kZen), 1);
}

// A reload that changes the lists: the new instance keeps the error counters
// and last good answers of the lists still configured, wherever they moved.
TEST_F(CollectorTest, ReloadKeepsErrorCountersAndLastGoodValues) {
  resolver_->SetAddresses("1.2.0.192.zen.spamhaus.org", {"127.0.0.2"});
  auto old = Make(kOneIp);
  RunOnce(*old);
  resolver_->SetOutcome("1.2.0.192.zen.spamhaus.org", RecordType::kA, DnsOutcome::kTimeout);
  RunOnce(*old);

  auto next = Make(
      "senders: [{ips: [192.0.2.1], domains: [example.com]}]\n"
      "collectors:\n  dnsbl:\n    lists: [list.dnswl.org, zen.spamhaus.org]\n");
  next->AdoptState(*old);
  old.reset();
  MetricSet out = RunOnce(*next);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_lookup_errors_total",
                        {{"dnsbl", "zen.spamhaus.org"}, {"reason", "timeout"}}),
            2)
      << "one timeout before the reload, one after";
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", kZen), 1) << "last good value kept";
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_lookup_errors_total",
                        {{"dnsbl", "dbl.spamhaus.org"}, {"reason", "timeout"}}),
            std::nullopt)
      << "a list no longer configured is not reported";
}

TEST_F(CollectorTest, ProbeChecksOnlyAllowedTargets) {
  resolver_->SetAddresses("1.2.0.192.zen.spamhaus.org", {"127.0.0.3"});
  auto c = Make(kOneIp);
  std::vector<ProbeModule> modules = c->ProbeModules();
  ASSERT_EQ(modules.size(), 1u);
  EXPECT_EQ(modules[0].name, "dnsbl");
  ProbeRequest request;
  request.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);

  request.target = "192.0.2.1";
  MetricSet out;
  StatusOr<bool> ok = modules[0].run(request, &out);
  ASSERT_OK(ok);
  EXPECT_TRUE(*ok);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", kZen), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listing_info", {{"code", "127.0.0.3"}}), 1);

  size_t before = resolver_->queries().size();
  request.target = "192.0.2.2";
  MetricSet denied;
  EXPECT_EQ(modules[0].run(request, &denied).status().code(), Status::Code::kPermissionDenied);
  request.target = "not a target!";
  EXPECT_EQ(modules[0].run(request, &denied).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(resolver_->queries().size(), before);

  request.target = "example.com";
  resolver_->SetOutcome("example.com.dbl.spamhaus.org", RecordType::kA, DnsOutcome::kServFail);
  MetricSet failed;
  ok = modules[0].run(request, &failed);
  ASSERT_OK(ok);
  EXPECT_FALSE(*ok);
  EXPECT_EQ(SampleValue(failed, "mailrep_dnsbl_lookup_failed",
                        {{"dnsbl", "dbl.spamhaus.org"}, {"reason", "servfail"}}),
            1);
}

TEST_F(CollectorTest, FactoryRefusesBadOptions) {
  StatusOr<Config> config =
      ParseConfig("collectors:\n  dnsbl:\n    lists: [ix.dnsbl.manitu.net]\n", "t.yml", kKnown);
  ASSERT_OK(config);
  ConfigNode options = *config->collectors.at("dnsbl").options;
  CollectorEnv env{*config, config->collectors.at("dnsbl"), ""};
  auto c = NewDnsblCollector(env, options);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("t.yml:3:13: collectors.dnsbl.lists[0]: list "
                                      "\"ix.dnsbl.manitu.net\" is defunct: NiX Spam"),
            std::string::npos)
      << c.status().message();
}

// The factory's collector puts its lists' rates on the environment's one
// engine, at its first run (not when it is built).
TEST_F(CollectorTest, ListRatesGoOnTheSharedEngineAtTheFirstRun) {
  StatusOr<Config> config = ParseConfig(kOneIp, "t.yml", kKnown);
  ASSERT_OK(config);
  ConfigNode options = *config->collectors.at("dnsbl").options;
  std::shared_ptr<DnsEngine> engine = DnsEngine::ForResolver(resolver_);
  CollectorEnv env{*config, config->collectors.at("dnsbl"), "", engine};
  StatusOr<std::unique_ptr<Collector>> c = NewDnsblCollector(env, options);
  ASSERT_OK(c);
  std::chrono::steady_clock::duration wait{};
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(engine->rate_limiter().TryAcquire("zen.spamhaus.org", &wait)) << "no rate yet";
  }
  MetricSet out;
  CollectContext ctx{{}, std::chrono::steady_clock::now() + std::chrono::seconds(10)};
  Status s = (*c)->Collect(ctx, &out);
  ASSERT_OK(s);
  int granted = 0;
  for (int i = 0; i < 20; ++i) {
    granted += engine->rate_limiter().TryAcquire("zen.spamhaus.org", &wait) ? 1 : 0;
  }
  EXPECT_LE(granted, 10) << "the catalogue caps zen.spamhaus.org at 10 queries/s, burst 10";
}

}  // namespace
}  // namespace mailrep
