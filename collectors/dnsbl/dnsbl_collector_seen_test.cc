// collectors.dnsbl.seen_senders: the sending IPs the delivery collector saw
// become targets for as long as they stay within the window.
#include <gtest/gtest.h>

#include <set>

#include "collectors/dns/static_resolver.h"
#include "collectors/dnsbl/dnsbl_collector.h"
#include "collectors/host/seen_sending_ips.h"
#include "exporter/core/collector_testing.h"
#include "exporter/core/fake_clock.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

const std::vector<CollectorDefaults> kKnown = {
    {"dnsbl", true, std::chrono::minutes(15), std::chrono::minutes(5)}};

constexpr char kConfig[] =
    "senders: [{ips: [8.8.4.4]}]\n"
    "collectors:\n"
    "  dnsbl:\n"
    "    lists: [zen.spamhaus.org]\n"
    "    seen_senders: {enabled: true, window: 24h, max: 2}\n";

class SeenSendersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    resolver_ = std::make_shared<StaticResolver>();
    resolver_->SetAddresses("2.0.0.127.zen.spamhaus.org", {"127.0.0.2"});
    resolver_->SetAddresses("44.33.22.11.zen.spamhaus.org", {"127.0.0.3"});  // listed
  }

  std::unique_ptr<DnsblCollector> Make(const std::string& yaml, Shard shard = {}) {
    StatusOr<Config> config = ParseConfig(yaml, "t.yml", kKnown);
    EXPECT_OK(config);
    ConfigNode options = config->collectors.at("dnsbl").options->WithOwnErrors();
    StatusOr<DnsblSettings> settings = ParseDnsblSettings(*config, options);
    EXPECT_OK(settings);
    settings->shard = shard;
    auto resolver = resolver_;
    return std::make_unique<DnsblCollector>(
        std::move(settings).value(),
        [resolver]() -> StatusOr<std::shared_ptr<Resolver>> {
          return std::shared_ptr<Resolver>(resolver);
        },
        nullptr, clock_, "", seen_);
  }

  MetricSet RunOnce(DnsblCollector& c) {
    MetricSet out;
    CollectContext ctx{{}, std::chrono::steady_clock::now() + std::chrono::seconds(10)};
    EXPECT_OK(c.Collect(ctx, &out));
    return out;
  }

  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  std::shared_ptr<SeenSendingIps> seen_ = std::make_shared<SeenSendingIps>();
  std::shared_ptr<StaticResolver> resolver_;
};

Labels Zen(const std::string& ip) { return {{"ip", ip}, {"dnsbl", "zen.spamhaus.org"}}; }

TEST_F(SeenSendersTest, SeenIpIsATargetUntilItLeavesTheWindow) {
  auto c = Make(kConfig);
  MetricSet before = RunOnce(*c);
  EXPECT_EQ(SampleValue(before, "mailrep_dnsbl_seen_targets", {}), 0);
  EXPECT_EQ(SampleValue(before, "mailrep_dnsbl_targets", {{"kind", "ip"}}), 1);

  int64_t now = clock_->UnixSeconds();
  ASSERT_TRUE(seen_->Record("11.22.33.44", now));
  ASSERT_TRUE(seen_->Record("8.8.4.4", now));    // configured already: not counted twice
  ASSERT_FALSE(seen_->Record("10.0.0.5", now));  // private: never a target
  MetricSet during = RunOnce(*c);
  EXPECT_EQ(SampleValue(during, "mailrep_dnsbl_seen_targets", {}), 1);
  EXPECT_EQ(SampleValue(during, "mailrep_dnsbl_targets", {{"kind", "ip"}}), 2);
  // The same families as a configured address.
  EXPECT_EQ(SampleValue(during, "mailrep_dnsbl_listed", Zen("11.22.33.44")), 1);
  EXPECT_EQ(SampleValue(during, "mailrep_dnsbl_listed", Zen("8.8.4.4")), 0);
  EXPECT_EQ(SampleValue(during, "mailrep_dnsbl_listed_lists", {{"ip", "11.22.33.44"}}), 1);
  EXPECT_EQ(SampleValue(during, "mailrep_dnsbl_listed", Zen("10.0.0.5")), std::nullopt);

  // Seen again 23 h later: still a target 24 h after the first sighting.
  clock_->Advance(std::chrono::hours(23));
  ASSERT_TRUE(seen_->Record("11.22.33.44", clock_->UnixSeconds()));
  clock_->Advance(std::chrono::hours(2));
  EXPECT_EQ(SampleValue(RunOnce(*c), "mailrep_dnsbl_listed", Zen("11.22.33.44")), 1);

  // Not seen for over 24 h: gone from the series at the next run.
  clock_->Advance(std::chrono::hours(23));
  MetricSet after = RunOnce(*c);
  EXPECT_EQ(SampleValue(after, "mailrep_dnsbl_seen_targets", {}), 0);
  EXPECT_EQ(SampleValue(after, "mailrep_dnsbl_listed", Zen("11.22.33.44")), std::nullopt);
  EXPECT_EQ(SampleValue(after, "mailrep_dnsbl_listed", Zen("8.8.4.4")), 0);
}

TEST_F(SeenSendersTest, AtMostMaxFirstSeenFirst) {
  auto c = Make(kConfig);  // max: 2
  int64_t now = clock_->UnixSeconds();
  ASSERT_TRUE(seen_->Record("11.0.0.3", now));
  ASSERT_TRUE(seen_->Record("11.0.0.1", now + 1));
  ASSERT_TRUE(seen_->Record("11.0.0.2", now + 2));
  clock_->Advance(std::chrono::seconds(2));
  MetricSet out = RunOnce(*c);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_seen_targets", {}), 2);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", Zen("11.0.0.3")), 0);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", Zen("11.0.0.1")), 0);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", Zen("11.0.0.2")), std::nullopt);
}

TEST_F(SeenSendersTest, ReplicasSplitTheSeenIps) {
  int64_t now = clock_->UnixSeconds();
  for (const char* ip : {"11.0.0.1", "11.0.0.2"}) ASSERT_TRUE(seen_->Record(ip, now));
  std::multiset<std::string> checked;
  double seen_targets = 0;
  for (uint32_t i = 0; i < 3; ++i) {
    MetricSet out = RunOnce(*Make(kConfig, Shard{i, 3}));
    seen_targets += SampleValue(out, "mailrep_dnsbl_seen_targets", {}).value_or(-1);
    for (const char* ip : {"11.0.0.1", "11.0.0.2"}) {
      if (SampleValue(out, "mailrep_dnsbl_listed", Zen(ip))) {
        checked.insert(ip);
        EXPECT_TRUE(Shard({i, 3}).Owns(ip)) << ip;
      }
    }
  }
  EXPECT_EQ(checked, (std::multiset<std::string>{"11.0.0.1", "11.0.0.2"}));
  EXPECT_EQ(seen_targets, 2);
}

TEST_F(SeenSendersTest, DisabledIgnoresTheStoreAndExportsNoGauge) {
  auto c =
      Make("senders: [{ips: [8.8.4.4]}]\ncollectors:\n  dnsbl:\n    lists: [zen.spamhaus.org]\n");
  ASSERT_TRUE(seen_->Record("11.22.33.44", clock_->UnixSeconds()));
  MetricSet out = RunOnce(*c);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_seen_targets", {}), std::nullopt);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", Zen("11.22.33.44")), std::nullopt);
}

TEST_F(SeenSendersTest, ProbeStillRefusesSeenIps) {
  auto c = Make(kConfig);
  ASSERT_TRUE(seen_->Record("11.22.33.44", clock_->UnixSeconds()));
  RunOnce(*c);
  MetricSet out;
  ProbeRequest request{
      "11.22.33.44", {}, std::chrono::steady_clock::now() + std::chrono::seconds(5), {}};
  StatusOr<bool> probed = c->Probe(request, &out);
  ASSERT_FALSE(probed.ok());
  EXPECT_EQ(probed.status().code(), Status::Code::kPermissionDenied);
}

}  // namespace
}  // namespace mailrep
