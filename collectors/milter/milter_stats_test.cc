#include "collectors/milter/milter_stats.h"

#include <gtest/gtest.h>

#include "exporter/core/collector_testing.h"

namespace mailrep {
namespace {

double Value(const MetricSet& set, std::string_view name, const Labels& labels = {}) {
  return SampleValue(set, name, labels).value_or(-1);
}

// mailrep_milter_format_problems_total counts problems; the messages counter
// counts each message with any problem once, so their share is exact.
TEST(MilterStatsTest, MessagesWithFormatProblemsCountOnce) {
  MilterStats stats({"example.com"}, {});
  MessageFindings two;
  two.format_problems = {FormatProblem::kDateMissing, FormatProblem::kMessageIdMissing};
  MessageFindings one;
  one.format_problems = {FormatProblem::kDateMissing};
  MessageFindings clean;
  stats.RecordAnalysed("example.com", 1, two);
  stats.RecordAnalysed("example.com", 1, one);
  stats.RecordAnalysed("other.example", 1, clean);
  MetricSet set;
  stats.Export(&set);
  EXPECT_EQ(Value(set, "mailrep_milter_format_problems_total", {{"problem", "date_missing"}}), 2);
  EXPECT_EQ(Value(set, "mailrep_milter_format_problems_total", {{"problem", "message_id_missing"}}),
            1);
  EXPECT_EQ(Value(set, "mailrep_milter_messages_with_format_problems_total"), 2);

  // Kept across a reload.
  MilterStats next({}, {});
  next.Adopt(stats);
  MetricSet after;
  next.Export(&after);
  EXPECT_EQ(Value(after, "mailrep_milter_messages_with_format_problems_total"), 2);
}

TEST(MilterStatsTest, MessagesWithUnconvertibleLinkHosts) {
  MilterStats stats({}, {});
  MessageFindings idn;
  idn.unconvertible_link_hosts = 2;
  stats.RecordAnalysed("example.com", 1, idn);
  stats.RecordAnalysed("example.com", 1, MessageFindings{});
  MetricSet set;
  stats.Export(&set);
  EXPECT_EQ(Value(set, "mailrep_milter_unconvertible_link_messages_total"), 1);
}

}  // namespace
}  // namespace mailrep
