#include "collectors/dns/dns_engine.h"

#include <gtest/gtest.h>

#include "collectors/dns/static_resolver.h"
#include "exporter/core/fake_clock.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

TEST(DnsEngineTest, StartsNothingUntilTheResolverIsFirstAsked) {
  int before = CaresResolver::LiveCount();
  DnsConfig dns;
  dns.servers = {"127.0.0.1:9"};
  StatusOr<std::shared_ptr<DnsEngine>> engine = DnsEngine::Create(dns, "");
  ASSERT_OK(engine);
  EXPECT_EQ(CaresResolver::LiveCount(), before);
  EXPECT_EQ((*engine)->stats().submitted, 0u);

  StatusOr<std::shared_ptr<Resolver>> first = (*engine)->resolver();
  ASSERT_OK(first);
  EXPECT_EQ(CaresResolver::LiveCount(), before + 1);
  StatusOr<std::shared_ptr<Resolver>> second = (*engine)->resolver();
  ASSERT_OK(second);
  EXPECT_EQ(first->get(), second->get());
  EXPECT_EQ(CaresResolver::LiveCount(), before + 1);

  (*first)->Resolve("example.test", RecordType::kA,
                    std::chrono::steady_clock::now() + std::chrono::milliseconds(200));
  EXPECT_EQ((*engine)->stats().submitted, 1u);

  first->reset();
  second->reset();
  engine->reset();
  EXPECT_EQ(CaresResolver::LiveCount(), before);
}

TEST(DnsEngineTest, RefusesAServerThatDoesNotParse) {
  DnsConfig dns;
  dns.servers = {"127.0.0.1", "not an address"};
  StatusOr<std::shared_ptr<DnsEngine>> engine = DnsEngine::Create(dns, "");
  ASSERT_FALSE(engine.ok());
  EXPECT_NE(engine.status().message().find("dns.servers[1]"), std::string::npos)
      << engine.status().message();
}

TEST(DnsEngineTest, RateLimitsGoToTheOneLimiterOnTheEnginesClock) {
  auto clock = std::make_shared<FakeClock>();
  StatusOr<std::shared_ptr<DnsEngine>> engine = DnsEngine::Create(DnsConfig{}, "", clock);
  ASSERT_OK(engine);
  (*engine)->rate_limiter().SetRate("zone.test", 1, 1);
  std::chrono::steady_clock::duration wait{};
  EXPECT_TRUE((*engine)->rate_limiter().TryAcquire("zone.test", &wait));
  EXPECT_FALSE((*engine)->rate_limiter().TryAcquire("zone.test", &wait));
  EXPECT_EQ(wait, std::chrono::seconds(1));
  EXPECT_TRUE((*engine)->rate_limiter().TryAcquire("other.test", &wait));
  clock->Advance(std::chrono::seconds(1));
  EXPECT_TRUE((*engine)->rate_limiter().TryAcquire("zone.test", &wait));
}

TEST(DnsEngineTest, ForResolverWrapsATestResolver) {
  auto fake = std::make_shared<StaticResolver>();
  std::shared_ptr<DnsEngine> engine = DnsEngine::ForResolver(fake);
  StatusOr<std::shared_ptr<Resolver>> resolver = engine->resolver();
  ASSERT_OK(resolver);
  EXPECT_EQ(resolver->get(), fake.get());
}

TEST(DnsEngineTest, SelfMetrics) {
  DnsEngineStats none = DnsEngineStatsOf(nullptr);
  EXPECT_EQ(none.queries, 0u);
  MetricSet out;
  AddDnsEngineMetrics(none, &out);
  EXPECT_EQ(out.series_count(), 7u);
}

}  // namespace
}  // namespace mailrep
