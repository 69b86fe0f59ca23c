#include "exporter/core/self_metrics.h"

#include <gtest/gtest.h>

namespace mailrep {
namespace {

const prometheus::MetricFamily* Find(const MetricSet& set, const std::string& name) {
  for (const auto& f : set.families()) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

TEST(SelfMetricsTest, BuildInfoAndReloadState) {
  MetricSet set;
  ReloadState reload;
  reload.last_successful = false;
  reload.failures = 2;
  AddSelfMetrics({"1.2.3", "abc"}, reload, Shard{2, 3}, {}, &set);
  const auto* build = Find(set, "mailrep_build_info");
  ASSERT_NE(build, nullptr);
  EXPECT_EQ(build->metric[0].gauge.value, 1);
  EXPECT_EQ(build->metric[0].label[0].value, "1.2.3");
  EXPECT_EQ(Find(set, "mailrep_config_last_reload_successful")->metric[0].gauge.value, 0);
  EXPECT_EQ(Find(set, "mailrep_config_reload_failures_total")->metric[0].counter.value, 2);
  const auto* logged = Find(set, "mailrep_log_messages_total");
  ASSERT_NE(logged, nullptr);
  ASSERT_EQ(logged->metric.size(), 2u);
  EXPECT_EQ(logged->metric[0].label[0].value, "warn");
  EXPECT_EQ(logged->metric[1].label[0].value, "error");
  EXPECT_EQ(Find(set, "mailrep_shard_ordinal")->metric[0].gauge.value, 2);
  EXPECT_EQ(Find(set, "mailrep_shards")->metric[0].gauge.value, 3);
}

TEST(SelfMetricsTest, CollectorWithoutRunsHasCountersButNoSuccessYet) {
  MetricSet set;
  CollectorStatus fresh;
  fresh.name = "host";
  CollectorStatus failed;
  failed.name = "dnsbl";
  failed.runs = 3;
  failed.errors = 1;
  failed.last_success = false;
  failed.last_duration_seconds = 0.25;
  AddSelfMetrics({"v", "r"}, {}, Shard{}, {fresh, failed}, &set);
  const auto* success = Find(set, "mailrep_collector_success");
  ASSERT_NE(success, nullptr);
  ASSERT_EQ(success->metric.size(), 1u);
  EXPECT_EQ(success->metric[0].label[0].value, "dnsbl");
  EXPECT_EQ(success->metric[0].gauge.value, 0);
  EXPECT_EQ(Find(set, "mailrep_collector_errors_total")->metric.size(), 2u);
  EXPECT_EQ(Find(set, "mailrep_collector_duration_seconds")->metric[0].gauge.value, 0.25);
}

}  // namespace
}  // namespace mailrep
