#include "exporter/core/exposition_repair.h"

#include <gtest/gtest.h>

#include "exporter/core/exposition_text_checker.h"
#include "exporter/core/metric_set.h"
#include "exporter/core/snapshot_store.h"

namespace mailrep {
namespace {

constexpr char kFffd[] = "\xEF\xBF\xBD";

std::string Repaired(std::string s) {
  RepairUtf8Text(&s);
  return s;
}

TEST(RepairUtf8TextTest, KeepsValidTextUntouched) {
  for (std::string s :
       {std::string(""), std::string("v=spf1 -all"), std::string("tab\tand\nlf"),
        std::string("quote \" and \\ backslash"), std::string("\xC3\xA9t\xC3\xA9"),
        std::string("\xE2\x82\xAC \xF0\x9F\x93\xA7 \xF4\x8F\xBF\xBF \xED\x9F\xBF")}) {
    std::string copy = s;
    EXPECT_FALSE(RepairUtf8Text(&copy)) << s;
    EXPECT_EQ(copy, s);
  }
}

TEST(RepairUtf8TextTest, ReplacesIllFormedSequences) {
  EXPECT_EQ(Repaired("a\xFF"
                     "b"),
            std::string("a") + kFffd + "b");
  EXPECT_EQ(Repaired("\xFE\xFF"), std::string(kFffd) + kFffd);
  EXPECT_EQ(Repaired("\xC0\xAF"), kFffd) << "overlong '/'";
  EXPECT_EQ(Repaired("\xE0\x80\xAF"), kFffd) << "overlong, three bytes";
  EXPECT_EQ(Repaired("\xF0\x80\x80\xAF"), kFffd) << "overlong, four bytes";
  EXPECT_EQ(Repaired("\xED\xA0\x80"), kFffd) << "surrogate U+D800";
  EXPECT_EQ(Repaired("\xED\xBF\xBF"), kFffd) << "surrogate U+DFFF";
  EXPECT_EQ(Repaired("\xF4\x90\x80\x80"), kFffd) << "over U+10FFFF";
  EXPECT_EQ(Repaired("x\xE2\x82"), std::string("x") + kFffd) << "truncated at the end";
  EXPECT_EQ(Repaired("\xE2\x82x"), std::string(kFffd) + "x") << "truncated in the middle";
  EXPECT_EQ(Repaired("\x80"), kFffd) << "lone continuation byte";
}

TEST(RepairUtf8TextTest, ReplacesControlCharactersButTabAndLineFeed) {
  EXPECT_EQ(Repaired(std::string("a\0b", 3)), std::string("a") + kFffd + "b");
  EXPECT_EQ(Repaired("a\rb\x1B[31m\x7F"), std::string("a") + kFffd + "b" + kFffd + "[31m" + kFffd);
  EXPECT_EQ(Repaired("a\tb\nc"), "a\tb\nc");
}

TEST(NameValidationTest, MetricAndLabelNames) {
  EXPECT_TRUE(IsValidMetricName("mailrep_up"));
  EXPECT_TRUE(IsValidMetricName("job:rate5m"));
  EXPECT_FALSE(IsValidMetricName(""));
  EXPECT_FALSE(IsValidMetricName("1abc"));
  EXPECT_FALSE(IsValidMetricName("a-b"));
  EXPECT_TRUE(IsValidLabelName("zone"));
  EXPECT_FALSE(IsValidLabelName("a:b"));
  EXPECT_FALSE(IsValidLabelName("__name__"));
  EXPECT_FALSE(IsValidLabelName("é"));
}

std::string Serialize(const MetricSet& set) {
  Snapshot families = set.families();
  return SerializeMerged({&families});
}

TEST(ExpositionRepairTest, HostileLabelValuesSerializeToValidText) {
  MetricSet set;
  const std::string hostile[] = {
      "v=spf1 \xFF -all",  std::string("nul\0byte", 8),   "\xC0\x80", "\xED\xA0\x80",
      "trunc\xF0\x9F\x93", "quote\"back\\slash\nnewline", "cr\rlf\n", "\x1B[2J"};
  for (size_t i = 0; i < std::size(hostile); ++i) {
    set.AddGauge("mailrep_test", "Help with \xFF and \\ and\nnewline.",
                 {{"i", std::to_string(i)}, {"record", hostile[i]}}, 1);
  }
  uint64_t before = ExpositionRepairsTotal();
  std::string text = Serialize(set);
  EXPECT_EQ(CheckExpositionText(text), "") << text;
  EXPECT_EQ(ExpositionRepairsTotal() - before, 8u) << "help + seven repaired values";
  EXPECT_NE(text.find(std::string("record=\"v=spf1 ") + kFffd + " -all\""), std::string::npos);
  EXPECT_NE(text.find(R"(record="quote\"back\\slash\nnewline")"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(# HELP mailrep_test Help with )" + std::string(kFffd) +
                      R"( and \\ and\nnewline.)"),
            std::string::npos)
      << text;
}

TEST(ExpositionRepairTest, DropsFamiliesAndSeriesWithInvalidNames) {
  Snapshot families;
  families.push_back({"bad-name", "x", prometheus::MetricType::Gauge, {}});
  families.back().metric.push_back({});
  families.push_back({"good", "x", prometheus::MetricType::Gauge, {}});
  auto add = [&](std::vector<prometheus::ClientMetric::Label> labels) {
    prometheus::ClientMetric m;
    m.label = std::move(labels);
    families.back().metric.push_back(m);
  };
  add({{"ok", "1"}});
  add({{"bad label", "2"}});
  add({{"a", "3"}, {"a", "4"}});
  add({{"__name__", "5"}});
  families.push_back({"hist", "x", prometheus::MetricType::Histogram, {}});
  add({{"le", "6"}});
  EXPECT_EQ(RepairFamilies(&families), 5u);
  ASSERT_EQ(families.size(), 2u);
  EXPECT_EQ(families[0].name, "good");
  ASSERT_EQ(families[0].metric.size(), 1u);
  EXPECT_EQ(families[0].metric[0].label[0].value, "1");
  EXPECT_TRUE(families[1].metric.empty());
}

TEST(ExpositionTextCheckerTest, RejectsWhatPrometheusRejects) {
  EXPECT_EQ(CheckExpositionText("# TYPE a gauge\na{l=\"x\"} 1\n"), "");
  EXPECT_EQ(CheckExpositionText("a 1\nb NaN\nc +Inf 123\n"), "");
  EXPECT_NE(CheckExpositionText("a{l=\"\xFF\"} 1\n"), "");
  EXPECT_NE(CheckExpositionText("a{l=\"x\"} 1"), "") << "no final newline";
  EXPECT_NE(CheckExpositionText("a{l=\"\\x\"} 1\n"), "") << "bad escape";
  EXPECT_NE(CheckExpositionText(std::string("a{l=\"\0\"} 1\n", 11)), "");
  EXPECT_NE(CheckExpositionText("a{l=\"x\",l=\"y\"} 1\n"), "");
  EXPECT_NE(CheckExpositionText("a{l=\"x} 1\n"), "");
  EXPECT_NE(CheckExpositionText("a-b 1\n"), "");
  EXPECT_NE(CheckExpositionText("a one\n"), "");
  EXPECT_NE(CheckExpositionText("# HELP a \xFF\n"), "");
  EXPECT_NE(CheckExpositionText("# comment\n"), "");
}

}  // namespace
}  // namespace mailrep
