// The collector's summary blocks (larger than detail_max_block_addresses):
// series follow the listings, not the estate.
#include <gtest/gtest.h>

#include <optional>

#include "collectors/dns/static_resolver.h"
#include "collectors/dnsbl/dnsbl_collector.h"
#include "exporter/core/collector_testing.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

const std::vector<CollectorDefaults> kKnown = {
    {"dnsbl", true, std::chrono::minutes(15), std::chrono::minutes(5)}};

class BlocksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    resolver_ = std::make_shared<StaticResolver>();
    resolver_->SetAddresses("2.0.0.127.zen.spamhaus.org", {"127.0.0.2", "127.0.0.10"});
  }

  // `ips` as one sender's blocks, checked against `lists` (ZEN by default).
  std::unique_ptr<DnsblCollector> Make(const std::string& ips, const std::string& extra = "",
                                       const std::string& lists = "zen.spamhaus.org",
                                       Shard shard = {}) {
    StatusOr<Config> config =
        ParseConfig("senders: [{ips: [" + ips + "]}]\n" + "collectors:\n  dnsbl:\n    lists: [" +
                        lists + "]\n" + extra,
                    "t.yml", kKnown);
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
        nullptr);
  }

  MetricSet RunOnce(DnsblCollector& c) {
    MetricSet out;
    CollectContext ctx{{}, std::chrono::steady_clock::now() + std::chrono::seconds(30)};
    EXPECT_OK(c.Collect(ctx, &out));
    return out;
  }

  void List(const std::string& reversed) {
    resolver_->SetAddresses(reversed + ".zen.spamhaus.org", {"127.0.0.2"});
  }

  std::shared_ptr<StaticResolver> resolver_;
};

const Labels kZen = {{"dnsbl", "zen.spamhaus.org"}};

Labels Ip(const std::string& ip) { return {{"ip", ip}, {"dnsbl", "zen.spamhaus.org"}}; }
Labels Block(const std::string& block) { return {{"block", block}, {"dnsbl", "zen.spamhaus.org"}}; }

// 256 addresses at the default threshold (256): every address in detail, as
// before the threshold existed; no block series.
TEST_F(BlocksTest, BlockAtTheThresholdIsInDetail) {
  List("7.2.0.192");
  auto c = Make("192.0.2.0/24");
  MetricSet out = RunOnce(*c);
  EXPECT_EQ(SampleCount(out, "mailrep_dnsbl_listed"), 256u);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", Ip("192.0.2.7")), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", Ip("192.0.2.8")), 0);
  EXPECT_EQ(SampleCount(out, "mailrep_dnsbl_last_check_timestamp_seconds"), 256u);
  EXPECT_EQ(SampleCount(out, "mailrep_dnsbl_listed_lists"), 256u);
  EXPECT_EQ(SampleCount(out, "mailrep_dnsbl_block_listed_addresses"), 0u);
  EXPECT_EQ(SampleCount(out, "mailrep_dnsbl_block_last_check_timestamp_seconds"), 0u);
}

// One address over the threshold (256 > 255): only the listed address has
// per-address series; the block has its counts.
TEST_F(BlocksTest, BlockOverTheThresholdIsInSummary) {
  List("7.2.0.192");
  auto c = Make("192.0.2.0/24", "    detail_max_block_addresses: 255\n");
  MetricSet out = RunOnce(*c);
  EXPECT_EQ(SampleCount(out, "mailrep_dnsbl_listed"), 1u);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", Ip("192.0.2.7")), 1);
  EXPECT_EQ(
      SampleValue(out, "mailrep_dnsbl_listing_info", {{"ip", "192.0.2.7"}, {"code", "127.0.0.2"}}),
      1);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed_lists", {{"ip", "192.0.2.7"}}), 1);
  EXPECT_EQ(SampleCount(out, "mailrep_dnsbl_listed_lists"), 1u);
  EXPECT_EQ(SampleCount(out, "mailrep_dnsbl_last_check_timestamp_seconds"), 0u);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_block_listed_addresses", Block("192.0.2.0/24")), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_block_checked_addresses", Block("192.0.2.0/24")), 256);
  EXPECT_GT(*SampleValue(out, "mailrep_dnsbl_block_last_check_timestamp_seconds",
                         {{"block", "192.0.2.0/24"}}),
            0);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_targets", {{"kind", "ip"}}), 256);
}

TEST_F(BlocksTest, DelistingRemovesTheSeries) {
  List("7.2.0.192");
  List("9.3.0.192");
  auto c = Make("192.0.2.0/23");  // 512 addresses: over the default 256
  MetricSet out = RunOnce(*c);
  EXPECT_EQ(SampleCount(out, "mailrep_dnsbl_listed"), 2u);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_block_listed_addresses", Block("192.0.2.0/23")), 2);

  resolver_->SetOutcome("7.2.0.192.zen.spamhaus.org", RecordType::kA, DnsOutcome::kNxDomain);
  out = RunOnce(*c);
  EXPECT_EQ(SampleCount(out, "mailrep_dnsbl_listed"), 1u);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", Ip("192.0.2.7")), std::nullopt);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", Ip("192.0.3.9")), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listing_info", {{"ip", "192.0.2.7"}}), std::nullopt);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed_lists", {{"ip", "192.0.2.7"}}), std::nullopt);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_block_listed_addresses", Block("192.0.2.0/23")), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_block_checked_addresses", Block("192.0.2.0/23")), 512);
}

TEST_F(BlocksTest, OnlyAllowlistedAddressesHaveAllowlistSeries) {
  resolver_->SetAddresses("2.0.0.127.list.dnswl.org", {"127.0.10.0"});
  resolver_->SetAddresses("7.2.0.192.list.dnswl.org", {"127.0.10.2"});
  auto c = Make("192.0.2.0/23", "", "zen.spamhaus.org, list.dnswl.org");
  MetricSet out = RunOnce(*c);
  EXPECT_EQ(SampleCount(out, "mailrep_dnsbl_allowlisted"), 1u);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_allowlisted",
                        {{"ip", "192.0.2.7"}, {"dnsbl", "list.dnswl.org"}}),
            1);
  EXPECT_EQ(SampleCount(out, "mailrep_dnsbl_listed"), 0u);
  EXPECT_EQ(SampleCount(out, "mailrep_dnsbl_listed_lists"), 0u);
  // Per (block, list) for both lists: listed 0 of 512 each.
  EXPECT_EQ(SampleCount(out, "mailrep_dnsbl_block_listed_addresses"), 2u);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_block_checked_addresses",
                        {{"block", "192.0.2.0/23"}, {"dnsbl", "list.dnswl.org"}}),
            512);
}

// Each replica counts the addresses it owns; one owning none of a block
// exports nothing for it (no 0 timestamp to page on).
TEST_F(BlocksTest, ShardsCountTheirOwnAddresses) {
  double checked = 0;
  int without = 0;
  for (uint32_t i = 0; i < 8; ++i) {
    auto c = Make("192.0.2.0/30", "    detail_max_block_addresses: 1\n", "zen.spamhaus.org",
                  Shard{i, 8});
    MetricSet out = RunOnce(*c);
    std::optional<double> mine =
        SampleValue(out, "mailrep_dnsbl_block_checked_addresses", Block("192.0.2.0/30"));
    if (!mine) {
      ++without;
      EXPECT_EQ(SampleCount(out, "mailrep_dnsbl_block_last_check_timestamp_seconds"), 0u);
      continue;
    }
    checked += *mine;
    EXPECT_GT(*SampleValue(out, "mailrep_dnsbl_block_last_check_timestamp_seconds",
                           {{"block", "192.0.2.0/30"}}),
              0);
  }
  EXPECT_EQ(checked, 4);
  EXPECT_GE(without, 4);  // 4 addresses over 8 replicas
}

// A lookup error keeps the address's last good answer (as in detail), and the
// block's last check is the oldest of its addresses'.
TEST_F(BlocksTest, LookupErrorKeepsTheListingAndAgesTheBlock) {
  List("7.2.0.192");
  auto c = Make("192.0.2.0/23");
  MetricSet out = RunOnce(*c);
  double first = *SampleValue(out, "mailrep_dnsbl_block_last_check_timestamp_seconds",
                              {{"block", "192.0.2.0/23"}});
  EXPECT_GT(first, 0);
  resolver_->SetOutcome("7.2.0.192.zen.spamhaus.org", RecordType::kA, DnsOutcome::kTimeout);
  resolver_->SetOutcome("8.2.0.192.zen.spamhaus.org", RecordType::kA, DnsOutcome::kTimeout);
  out = RunOnce(*c);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", Ip("192.0.2.7")), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_block_checked_addresses", Block("192.0.2.0/23")), 512);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_block_last_check_timestamp_seconds",
                        {{"block", "192.0.2.0/23"}}),
            first);
}

// A /16 with a handful listed: the series are the block's and the listings',
// not the 65,536 addresses'.
TEST_F(BlocksTest, SixteenWithAHandfulListed) {
  const std::vector<std::string> listed = {"1.0.20.10", "2.7.20.10", "255.255.20.10", "0.0.20.10",
                                           "9.128.20.10"};
  for (const std::string& r : listed) List(r);
  auto c = Make("10.20.0.0/16");
  MetricSet out = RunOnce(*c);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_targets", {{"kind", "ip"}}), 65536);
  EXPECT_EQ(SampleCount(out, "mailrep_dnsbl_listed"), 5u);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", Ip("10.20.255.255")), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_listed", Ip("10.20.7.2")), 1);
  EXPECT_EQ(SampleCount(out, "mailrep_dnsbl_listing_info"), 5u);
  EXPECT_EQ(SampleCount(out, "mailrep_dnsbl_listed_lists"), 5u);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_block_listed_addresses", Block("10.20.0.0/16")), 5);
  EXPECT_EQ(SampleValue(out, "mailrep_dnsbl_block_checked_addresses", Block("10.20.0.0/16")),
            65536);
  // The formula of the README: blocks x (lists x 2 + 1) + listed pairs x 2 +
  // listed addresses, on top of the per-list and per-collector series.
  size_t per_target = 0;
  for (const char* name :
       {"mailrep_dnsbl_listed", "mailrep_dnsbl_listing_info", "mailrep_dnsbl_listed_lists",
        "mailrep_dnsbl_allowlisted", "mailrep_dnsbl_last_check_timestamp_seconds",
        "mailrep_dnsbl_block_listed_addresses", "mailrep_dnsbl_block_checked_addresses",
        "mailrep_dnsbl_block_last_check_timestamp_seconds"}) {
    per_target += SampleCount(out, name);
  }
  EXPECT_EQ(per_target, 1u * (1 * 2 + 1) + 5u * 2 + 5u);
  EXPECT_LT(out.series_count(), 50u);
}

}  // namespace
}  // namespace mailrep
