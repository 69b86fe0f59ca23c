#include "exporter/core/metric_set.h"

#include <gtest/gtest.h>

namespace mailrep {
namespace {

TEST(MetricSetTest, GroupsSamplesByFamilyInFirstUseOrder) {
  MetricSet set;
  set.AddGauge("b_gauge", "B.", {{"x", "1"}}, 1);
  set.AddCounter("a_total", "A.", {}, 3);
  set.AddGauge("b_gauge", "ignored help", {{"x", "2"}}, 2);
  ASSERT_EQ(set.families().size(), 2u);
  EXPECT_EQ(set.families()[0].name, "b_gauge");
  EXPECT_EQ(set.families()[0].help, "B.");
  ASSERT_EQ(set.families()[0].metric.size(), 2u);
  EXPECT_EQ(set.families()[0].metric[1].label[0].value, "2");
  EXPECT_EQ(set.families()[0].metric[1].gauge.value, 2);
  EXPECT_EQ(set.families()[1].type, prometheus::MetricType::Counter);
  EXPECT_EQ(set.families()[1].metric[0].counter.value, 3);
  EXPECT_EQ(set.series_count(), 3u);
}

TEST(MetricSetTest, OneHotSetsExactlyTheCurrentState) {
  MetricSet set;
  set.AddOneHot("x_status", "X.", {{"ip", "192.0.2.1"}}, "status", {"ok", "missing", "error"},
                "missing");
  ASSERT_EQ(set.families().size(), 1u);
  const auto& metrics = set.families()[0].metric;
  ASSERT_EQ(metrics.size(), 3u);
  EXPECT_EQ(metrics[1].label[1].name, "status");
  EXPECT_EQ(metrics[1].label[1].value, "missing");
  EXPECT_EQ(metrics[0].gauge.value + metrics[1].gauge.value + metrics[2].gauge.value, 1);
  EXPECT_EQ(metrics[1].gauge.value, 1);
}

TEST(MetricSetTest, DeclareCreatesAnEmptyFamily) {
  MetricSet set;
  set.Declare("empty_gauge", "Nothing yet.", prometheus::MetricType::Gauge);
  std::vector<prometheus::MetricFamily> families = std::move(set).Take();
  ASSERT_EQ(families.size(), 1u);
  EXPECT_TRUE(families[0].metric.empty());
}

constexpr MetricFamily kTestResult{
    "test_result", prometheus::MetricType::Gauge, {"ip", "result"}, "The result.", true};
constexpr MetricFamily kTestRuns{
    "test_runs_total", prometheus::MetricType::Counter, {"ip"}, "Runs."};

TEST(MetricSetTest, AddTakesNamesTypeAndHelpFromTheDescription) {
  MetricSet set;
  set.Add(kTestRuns, {"192.0.2.1"}, 4);
  std::string ip = "192.0.2.2";
  set.AddOneHot(kTestResult, {ip}, {"pass", "fail"}, "fail");
  ASSERT_EQ(set.families().size(), 2u);
  const prometheus::MetricFamily& runs = set.families()[0];
  EXPECT_EQ(runs.name, "test_runs_total");
  EXPECT_EQ(runs.help, "Runs.");
  EXPECT_EQ(runs.type, prometheus::MetricType::Counter);
  EXPECT_EQ(runs.metric[0].label[0].name, "ip");
  EXPECT_EQ(runs.metric[0].counter.value, 4);
  const prometheus::MetricFamily& result = set.families()[1];
  // The cached note is appended once, however many samples.
  EXPECT_EQ(result.help, std::string("The result.") + std::string(kCachedNote));
  ASSERT_EQ(result.metric.size(), 2u);
  EXPECT_EQ(result.metric[1].label[1].name, "result");
  EXPECT_EQ(result.metric[1].label[1].value, "fail");
  EXPECT_EQ(result.metric[1].gauge.value, 1);
  EXPECT_EQ(result.metric[0].gauge.value, 0);
}

TEST(MetricSetTest, DeclaredDescriptionIsEmittedEmpty) {
  MetricSet set;
  set.Declare(kTestResult);
  ASSERT_EQ(set.families().size(), 1u);
  EXPECT_EQ(set.families()[0].name, "test_result");
  EXPECT_TRUE(set.families()[0].metric.empty());
}

TEST(MetricSetTest, MeasuredNowLeavesTheCachedNoteOut) {
  MetricSet probe(MetricSet::kMeasuredNow);
  probe.Add(kTestResult, {"192.0.2.1", "pass"}, 1);
  EXPECT_EQ(probe.families()[0].help, "The result.");
}

#ifdef NDEBUG
TEST(MetricSetTest, WrongLabelArityIsDroppedAndCountedInRelease) {
  MetricSet set;
  set.Add(kTestRuns, {"192.0.2.1", "extra"}, 1);
  set.Add(kTestRuns, {}, 1);
  EXPECT_EQ(set.dropped_samples(), 2u);
  EXPECT_EQ(set.series_count(), 0u);
}
#else
TEST(MetricSetDeathTest, WrongLabelArityAssertsInDebug) {
  MetricSet set;
  EXPECT_DEATH(set.Add(kTestRuns, {"192.0.2.1", "extra"}, 1), "label values");
}
#endif

}  // namespace
}  // namespace mailrep
