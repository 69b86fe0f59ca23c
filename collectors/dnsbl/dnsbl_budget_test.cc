// Query budgets end to end: the dnsbl collector on a FakeClock, through the
// real c-ares resolver, against tests/dns/fake_dns_server.py, which counts the
// queries it receives. A simulated UTC day of runs every 5 minutes of a block
// whose sweeps would need several times the budget.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "collectors/dns/cares_resolver.h"
#include "collectors/dns/query_budget.h"
#include "collectors/dnsbl/dnsbl_collector.h"
#include "collectors/dnsbl/dnsbl_pacing.h"
#include "exporter/core/collector_testing.h"
#include "exporter/core/fake_clock.h"
#include "exporter/util/ip_network.h"
#include "exporter/util/testing/status_matchers.h"
#include "tests/dns/fake_dns_server.h"

namespace mailrep {
namespace {

using std::chrono::seconds;

constexpr int64_t kMidnightUtc = 1700006400;  // 2023-11-15 00:00:00 UTC

TEST(DnsblPacingTest, FitsAtTheConfiguredInterval) {
  DnsblPace pace = PaceDnsblList({10, 300000, 0, kMidnightUtc, 300, std::nullopt});
  EXPECT_EQ(pace.projected, 2880);
  EXPECT_FALSE(pace.stretched);
  EXPECT_TRUE(pace.due);
  EXPECT_EQ(pace.effective_interval, 300);
}

TEST(DnsblPacingTest, StretchesToSpreadWhatIsLeftOverTheRestOfTheDay) {
  // A /22 against ZEN every 5 minutes: 1,026 queries a sweep, 295,488 a day.
  DnsblPace fresh = PaceDnsblList({1026, 100000, 0, kMidnightUtc, 300, std::nullopt});
  EXPECT_EQ(fresh.projected, 1026.0 * 288);
  EXPECT_TRUE(fresh.stretched);
  EXPECT_TRUE(fresh.due);  // never swept: now
  EXPECT_NEAR(fresh.effective_interval, 1026.0 * 86400 / 100000, 1e-9);
  // Noon, half the budget left: the same spacing.
  DnsblPace noon = PaceDnsblList({1026, 100000, 50000, kMidnightUtc + 43200, 300, 600.0});
  EXPECT_NEAR(noon.effective_interval, 1026.0 * 43200 / 50000, 1e-9);
  EXPECT_FALSE(noon.due);  // 600 s since the last sweep < 886 s
  EXPECT_TRUE(PaceDnsblList({1026, 100000, 50000, kMidnightUtc + 43200, 300, 900.0}).due);
  // Less left than one sweep: not before midnight.
  DnsblPace spent = PaceDnsblList({1026, 100000, 99000, kMidnightUtc + 80000, 300, 9999.0});
  EXPECT_FALSE(spent.due);
  EXPECT_EQ(spent.effective_interval, 6400);
}

class DnsblBudgetDayTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    StatusOr<std::unique_ptr<testing::FakeDnsServer>> server = testing::FakeDnsServer::Start();
    ASSERT_OK(server);
    server_ = std::move(*server);
  }
  static void TearDownTestSuite() { server_.reset(); }
  static std::unique_ptr<testing::FakeDnsServer> server_;
};

std::unique_ptr<testing::FakeDnsServer> DnsblBudgetDayTest::server_;

// Two zones of one operator (a ZEN-like IP list and a DBL-like domain list)
// share their budget group's one budget, as Spamhaus' public zones do.
TEST_F(DnsblBudgetDayTest, ADayOfSweepsOfAGroupStaysWithinItsSharedBudgetAndSaysSo) {
  ASSERT_NE(server_, nullptr);
  auto clock = std::make_shared<FakeClock>(kMidnightUtc);
  auto budget = std::make_shared<QueryBudget>(clock);

  constexpr uint64_t kBudget = 2000;
  constexpr int kIps = 30;
  constexpr int kDomains = 10;
  DnsblListConfig ips;
  ips.list.zone = "zen.day.test";
  ips.list.name = "Day test IP list";
  ips.list.ip4 = true;
  ips.list.codes = {{0x7f000002, 0x7f000002, "listed", DnsblCodeClass::kListed}};
  ips.list.test_clean = "127.0.0.1";  // one test point, answered NXDOMAIN
  ips.list.budget_group = "daygroup";
  ips.list.daily_query_budget = kBudget;
  DnsblListConfig domains = ips;
  domains.list.zone = "dbl.day.test";
  domains.list.name = "Day test domain list";
  domains.list.ip4 = false;
  domains.list.domain = true;
  domains.list.codes = {{0x7f000102, 0x7f000102, "listed", DnsblCodeClass::kListed}};
  domains.list.test_clean = "invalid";
  DnsblSettings settings;
  settings.lists = {ips, domains};
  settings.interval = seconds(300);
  for (int i = 0; i < kIps; ++i) {
    settings.targets.push_back(IpTarget(*IpAddress::Parse("192.0.2." + std::to_string(i + 1))));
  }
  for (int i = 0; i < kDomains; ++i) {
    settings.targets.push_back(*DomainTarget("d" + std::to_string(i) + ".example"));
  }
  // Per sweep of the group 31 + 11 queries; every 5 minutes that is 12,096 a
  // day: 6x the group's budget (and each zone alone over half of it).
  constexpr uint64_t kIpSweep = kIps + 1;
  constexpr uint64_t kDomainSweep = kDomains + 1;
  constexpr uint64_t kPerSweep = kIpSweep + kDomainSweep;

  CaresResolverOptions options;
  options.servers = {server_->v4()};
  options.timeout = std::chrono::milliseconds(1000);
  options.clock = clock;
  options.query_budget = budget;
  StatusOr<std::unique_ptr<CaresResolver>> made = CaresResolver::Create(options);
  ASSERT_OK(made);
  std::shared_ptr<CaresResolver> resolver = std::move(*made);
  budget->SetBudget("daygroup", kBudget);  // as the collector's factory does
  DnsblCollector collector(
      settings,
      [resolver]() -> StatusOr<std::shared_ptr<Resolver>> {
        return std::shared_ptr<Resolver>(resolver);
      },
      nullptr, clock, "", nullptr, budget);

  const Labels group = {{"budget_group", "daygroup"}};
  int sweeps = 0;
  MetricSet last;
  for (int run = 0; run < 288; ++run) {
    uint64_t before = budget->UsageOf("daygroup")->spent;
    MetricSet out;
    ASSERT_OK(collector.Collect(TestContext(), &out));
    sweeps += budget->UsageOf("daygroup")->spent > before;
    if (run == 0) {
      EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_query_budget_projected_queries", group),
                kPerSweep * 288.0);
      for (const char* zone : {"zen.day.test", "dbl.day.test"}) {
        EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_budget_stretched", {{"dnsbl", zone}}), 1);
        // Both stretch to the group's one interval.
        EXPECT_NEAR(
            *SampleValue(out, "mailrep_dnsbl_effective_interval_seconds", {{"dnsbl", zone}}),
            kPerSweep * 86400.0 / kBudget, 1e-6);
      }
    }
    last = std::move(out);
    clock->Advance(seconds(300));
  }

  StatusOr<uint64_t> received = server_->QueriesReceived("day.test");
  StatusOr<uint64_t> received_ips = server_->QueriesReceived("zen.day.test");
  StatusOr<uint64_t> received_domains = server_->QueriesReceived("dbl.day.test");
  ASSERT_OK(received);
  ASSERT_OK(received_ips);
  ASSERT_OK(received_domains);
  std::printf(
      "group day: budget %llu, server saw %llu (zen-like %llu, dbl-like %llu) in %d sweeps\n",
      static_cast<unsigned long long>(kBudget), static_cast<unsigned long long>(*received),
      static_cast<unsigned long long>(*received_ips),
      static_cast<unsigned long long>(*received_domains), sweeps);
  // The two zones together never over the group's budget, and evenly spent:
  // the day's sweeps used most of it.
  EXPECT_LE(*received, kBudget);
  EXPECT_GE(*received, kBudget * 8 / 10);
  EXPECT_EQ(*received, *received_ips + *received_domains);
  // Neither zone was skipped: both swept in every sweep of the group.
  EXPECT_EQ(*received_ips, sweeps * kIpSweep);
  EXPECT_EQ(*received_domains, sweeps * kDomainSweep);
  EXPECT_LT(sweeps, 288 / 5);
  // The metrics of the last run are the truth: spent is what the server saw,
  // once for the group, not per list.
  EXPECT_EQ(SampleValue(last, "mailrep_dnsbl_query_budget_spent_queries", group),
            static_cast<double>(*received));
  EXPECT_EQ(SampleValue(last, "mailrep_dnsbl_query_budget_queries", group), kBudget);
  EXPECT_EQ(
      SampleValue(last, "mailrep_dnsbl_query_budget_queries", {{"budget_group", "zen.day.test"}}),
      std::nullopt);
  for (const char* zone : {"zen.day.test", "dbl.day.test"}) {
    EXPECT_EQ(SampleValue(last, "mailrep_dnsbl_budget_stretched", {{"dnsbl", zone}}), 1);
    // No lookup hit the engine's hard guard: pacing kept every sweep whole.
    EXPECT_EQ(SampleValue(last, "mailrep_dnsbl_lookup_errors_total",
                          {{"dnsbl", zone}, {"reason", "budget_exhausted"}}),
              0);
  }
  EXPECT_EQ(resolver->stats().budget_refused, 0u);
  // Listings were checked all day: the targets carry a recent check time.
  for (const auto& [family, label, value] :
       {std::tuple{"mailrep_dnsbl_last_check_timestamp_seconds", "ip", "192.0.2.1"},
        std::tuple{"mailrep_dnsbl_domain_last_check_timestamp_seconds", "domain", "d0.example"}}) {
    std::optional<double> checked = SampleValue(last, family, {{label, value}});
    ASSERT_TRUE(checked.has_value()) << family;
    EXPECT_GE(*checked, kMidnightUtc + 86400 - 2 * kPerSweep * 86400.0 / kBudget) << family;
  }

  // Midnight UTC: a new day's budget, spent from zero.
  MetricSet out;
  ASSERT_OK(collector.Collect(TestContext(), &out));
  std::optional<double> spent = SampleValue(out, "mailrep_dnsbl_query_budget_spent_queries", group);
  ASSERT_TRUE(spent.has_value());
  EXPECT_TRUE(*spent == 0 || *spent == kPerSweep) << *spent;
}

// /probe spends the same budget; over it, the lookup fails unsent with a
// reason that says so, and no query reaches the server.
TEST_F(DnsblBudgetDayTest, AProbeOverTheBudgetFailsWithItsReason) {
  ASSERT_NE(server_, nullptr);
  auto clock = std::make_shared<FakeClock>(kMidnightUtc);
  auto budget = std::make_shared<QueryBudget>(clock);
  DnsblListConfig list;
  list.list.zone = "probe.test";
  list.list.name = "Probe test list";
  list.list.ip4 = true;
  list.list.codes = {{0x7f000002, 0x7f000002, "listed", DnsblCodeClass::kListed}};
  list.list.test_clean = "127.0.0.1";
  list.list.budget_group = "probe.test";  // a group of one
  list.list.daily_query_budget = 1;       // the test point's query, then nothing
  DnsblSettings settings;
  settings.lists = {list};
  settings.probe_networks = {*IpNetwork::Parse("192.0.2.0/24")};

  CaresResolverOptions options;
  options.servers = {server_->v4()};
  options.timeout = std::chrono::milliseconds(1000);
  options.clock = clock;
  options.query_budget = budget;
  StatusOr<std::unique_ptr<CaresResolver>> made = CaresResolver::Create(options);
  ASSERT_OK(made);
  std::shared_ptr<CaresResolver> resolver = std::move(*made);
  budget->SetBudget("probe.test", 1);
  DnsblCollector collector(
      settings,
      [resolver]() -> StatusOr<std::shared_ptr<Resolver>> {
        return std::shared_ptr<Resolver>(resolver);
      },
      nullptr, clock, "", nullptr, budget);

  ProbeRequest request;
  request.target = "192.0.2.7";
  request.deadline = std::chrono::steady_clock::now() + seconds(5);
  MetricSet out(MetricSet::kMeasuredNow);
  StatusOr<bool> ok = collector.Probe(request, &out);
  ASSERT_OK(ok);
  EXPECT_FALSE(*ok);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_lookup_failed",
                        {{"dnsbl", "probe.test"}, {"reason", "budget_exhausted"}}),
            1);
  StatusOr<uint64_t> received = server_->QueriesReceived("probe.test");
  ASSERT_OK(received);
  EXPECT_EQ(*received, 1u);
  EXPECT_EQ(budget->UsageOf("probe.test")->spent, 1u);
}

}  // namespace
}  // namespace mailrep
