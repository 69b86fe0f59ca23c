#include "collectors/spamscore/spamscore_collector.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "collectors/delivery/message_id_index.h"
#include "exporter/core/collector_testing.h"
#include "exporter/core/fake_clock.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using ::testing::HasSubstr;

StatusOr<std::unique_ptr<Collector>> Build(const std::string& root, const std::string& yaml) {
  static Config config;
  static CollectorSettings settings;
  CollectorEnv env{config, settings, root};
  StatusOr<ConfigNode> options = ConfigNode::Parse(yaml, "test.yml");
  if (!options.ok()) return options.status();
  return NewSpamscoreCollector(env, *options);
}

// With the process's Message-ID index and a clock, as the exporter passes them.
StatusOr<std::unique_ptr<Collector>> BuildJoined(const std::string& root, const std::string& yaml,
                                                 std::shared_ptr<MessageIdIndex> index,
                                                 std::shared_ptr<FakeClock> clock) {
  static Config config;
  static CollectorSettings settings;
  CollectorEnv env{config, settings, root};
  env.message_ids = std::move(index);
  env.clock = std::move(clock);
  StatusOr<ConfigNode> options = ConfigNode::Parse(yaml, "test.yml");
  if (!options.ok()) return options.status();
  return NewSpamscoreCollector(env, *options);
}

void Append(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::app) << text;
}

// The `le` bucket's cumulative count of mailrep_spam_score{filter}.
std::optional<double> Bucket(const MetricSet& set, std::string_view filter, double le) {
  for (const auto& family : set.families()) {
    if (family.name != "mailrep_spam_score") continue;
    for (const auto& metric : family.metric) {
      if (metric.label.empty() || metric.label[0].value != filter) continue;
      for (const auto& b : metric.histogram.bucket) {
        if (b.upper_bound == le) return static_cast<double>(b.cumulative_count);
      }
    }
  }
  return std::nullopt;
}

constexpr char kRspamdHam[] =
    "2026-12-07 23:41:02 #2817(normal) <6c0e1f>; task; rspamd_task_write_log: id: <a@x.example>, "
    "qid: <4F1C2A0B33>, ip: 192.0.2.25, from: <a@x.example>, (default: F (no action): "
    "[-0.64/15.00] [R_DKIM_ALLOW(-0.20){x.example:s=m;},R_SPF_ALLOW(-0.20){+ip4:192.0.2.0/24;},"
    "MIME_GOOD(-0.10){text/plain;}]), len: 2348, time: 31.2ms, dns req: 5\n";
constexpr char kRspamdSpam[] =
    "2026-12-07 23:41:03 #2817(normal) <6c0e20>; task; rspamd_task_write_log: id: <b@x.example>, "
    "qid: <4F1C2A0B34>, (default: T (reject): [16.20/15.00] [DBL_SPAM(6.50){bad.example:url;},"
    "URIBL_BLACK(7.50){bad.example;},FAKE_REPLY(1.00){}]), len: 1\n";
constexpr char kSpamdSpam[] =
    "Dec  7 23:50:12 out1 spamd[8772]: spamd: result: Y 7 - RCVD_IN_SBL,TVD_SPACE_RATIO "
    "scantime=0.4,size=3138,user=debian-spamd,uid=114,required_score=5.0,rhost=::1,raddr=::1,"
    "rport=34624,mid=<c@x.example>,autolearn=no autolearn_force=no\n";
constexpr char kNoise[] = "Dec  7 23:50:12 out1 spamd[8772]: spamd: connection from ::1\n";
constexpr char kBroken[] =
    "2026-12-07 23:41:04 #2817(normal) <6c0e21>; task; rspamd_task_write_log: id: <c@x>, "
    "(default: F (no action): [abc/15.00] [])\n";

TEST(SpamscoreCollectorTest, CountsBothFiltersFromOneFile) {
  ScopedTempDir t;
  std::string log = t.WriteFile(
      "/var/log/mail.log", std::string(kRspamdHam) + kRspamdSpam + kSpamdSpam + kNoise + kBroken);
  auto c = Build(t.path(), "sources: [{path: /var/log/mail.log, from_start: true}]\n");
  ASSERT_OK(c);
  MetricSet out;
  ASSERT_OK((*c)->Collect(TestContext(), &out));
  EXPECT_EQ(SampleValue(out, "mailrep_spam_messages_total",
                        {{"filter", "rspamd"}, {"action", "no_action"}}),
            1);
  EXPECT_EQ(
      SampleValue(out, "mailrep_spam_messages_total", {{"filter", "rspamd"}, {"action", "reject"}}),
      1);
  EXPECT_EQ(SampleValue(out, "mailrep_spam_messages_total",
                        {{"filter", "spamassassin"}, {"action", "spam"}}),
            1);
  EXPECT_EQ(Bucket(out, "rspamd", -2), 0);
  EXPECT_EQ(Bucket(out, "rspamd", 0), 1);
  EXPECT_EQ(Bucket(out, "rspamd", 15), 1);
  EXPECT_EQ(Bucket(out, "rspamd", 20), 2);
  EXPECT_EQ(Bucket(out, "spamassassin", 6), 0);
  EXPECT_EQ(Bucket(out, "spamassassin", 7), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_spam_threshold", {{"filter", "rspamd"}}), 15);
  EXPECT_EQ(SampleValue(out, "mailrep_spam_threshold", {{"filter", "spamassassin"}}), 5);
  EXPECT_EQ(SampleValue(out, "mailrep_spam_symbol_hits_total",
                        {{"filter", "rspamd"}, {"symbol", "R_DKIM_ALLOW"}}),
            1);
  EXPECT_EQ(SampleValue(out, "mailrep_spam_symbol_hits_total",
                        {{"filter", "rspamd"}, {"symbol", "DBL_SPAM"}}),
            1);
  EXPECT_EQ(SampleValue(out, "mailrep_spam_symbol_hits_total",
                        {{"filter", "rspamd"}, {"symbol", "other"}}),
            2);  // MIME_GOOD, FAKE_REPLY
  EXPECT_EQ(SampleValue(out, "mailrep_spam_symbol_hits_total",
                        {{"filter", "spamassassin"}, {"symbol", "RCVD_IN_SBL"}}),
            1);
  EXPECT_EQ(SampleValue(out, "mailrep_spam_log_parse_errors_total",
                        {{"filter", "rspamd"}, {"reason", "bad_score"}}),
            1);
  EXPECT_EQ(SampleValue(out, "mailrep_spam_log_lines_total",
                        {{"source", "/var/log/mail.log"}, {"result", "parsed"}}),
            3);
  EXPECT_EQ(SampleValue(out, "mailrep_spam_log_lines_total",
                        {{"source", "/var/log/mail.log"}, {"result", "ignored"}}),
            1);
  EXPECT_EQ(SampleValue(out, "mailrep_spam_log_lines_total",
                        {{"source", "/var/log/mail.log"}, {"result", "malformed"}}),
            1);
  EXPECT_EQ(SampleValue(out, "mailrep_spam_log_source_up", {{"source", "/var/log/mail.log"}}), 1);

  // New lines are read on the next run; nothing is counted twice.
  Append(log, kSpamdSpam);
  MetricSet again;
  ASSERT_OK((*c)->Collect(TestContext(), &again));
  EXPECT_EQ(SampleValue(again, "mailrep_spam_messages_total",
                        {{"filter", "spamassassin"}, {"action", "spam"}}),
            2);
  EXPECT_EQ(SampleValue(again, "mailrep_spam_messages_total",
                        {{"filter", "rspamd"}, {"action", "reject"}}),
            1);
}

TEST(SpamscoreCollectorTest, FilterChoiceAndCustomSymbols) {
  ScopedTempDir t;
  t.WriteFile("/var/log/mail.log", std::string(kRspamdSpam) + kSpamdSpam);
  auto c = Build(t.path(),
                 "sources: [{path: /var/log/mail.log, from_start: true, filter: spamassassin}]\n"
                 "symbols: [TVD_*]\n");
  ASSERT_OK(c);
  MetricSet out;
  ASSERT_OK((*c)->Collect(TestContext(), &out));
  EXPECT_EQ(SampleCount(out, "mailrep_spam_messages_total"), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_spam_symbol_hits_total",
                        {{"filter", "spamassassin"}, {"symbol", "TVD_SPACE_RATIO"}}),
            1);
  EXPECT_EQ(SampleValue(out, "mailrep_spam_symbol_hits_total",
                        {{"filter", "spamassassin"}, {"symbol", "other"}}),
            1);  // RCVD_IN_SBL is not listed here
  EXPECT_EQ(SampleValue(out, "mailrep_spam_log_lines_total", {{"result", "ignored"}}), 1);
}

TEST(SpamscoreCollectorTest, StartsAtTheEndAndWaitsForAMissingFile) {
  ScopedTempDir t;
  std::string log = t.WriteFile("/var/log/rspamd/rspamd.log", kRspamdHam);
  auto c = Build(t.path(),
                 "sources: [{path: /var/log/rspamd/rspamd.log}, {path: /var/log/spamd.log}]\n");
  ASSERT_OK(c);
  MetricSet out;
  ASSERT_OK((*c)->Collect(TestContext(), &out));
  EXPECT_EQ(SampleCount(out, "mailrep_spam_messages_total"), 0);
  EXPECT_EQ(SampleValue(out, "mailrep_spam_log_source_up", {{"source", "/var/log/spamd.log"}}), 0);
  EXPECT_EQ(SampleValue(out, "mailrep_spam_log_lines_total",
                        {{"source", "/var/log/spamd.log"}, {"result", "parsed"}}),
            0);
  t.WriteFile("/var/log/spamd.log", kSpamdSpam);
  Append(log, kRspamdHam);
  MetricSet later;
  ASSERT_OK((*c)->Collect(TestContext(), &later));
  EXPECT_EQ(SampleValue(later, "mailrep_spam_log_source_up", {{"source", "/var/log/spamd.log"}}),
            1);
  EXPECT_EQ(SampleValue(later, "mailrep_spam_messages_total", {{"action", "spam"}}), 1);
  EXPECT_EQ(SampleValue(later, "mailrep_spam_messages_total", {{"action", "no_action"}}), 1);
}

TEST(SpamscoreCollectorTest, RotationIsFollowed) {
  ScopedTempDir t;
  std::string log = t.WriteFile("/var/log/mail.log", "");
  auto c = Build(t.path(), "sources: [{path: /var/log/mail.log}]\n");
  ASSERT_OK(c);
  MetricSet first;
  ASSERT_OK((*c)->Collect(TestContext(), &first));
  Append(log, kSpamdSpam);
  ASSERT_EQ(std::rename(log.c_str(), (log + ".1").c_str()), 0);
  Append(log + ".1", kSpamdSpam);  // written after the rename, before the reopen
  t.WriteFile("/var/log/mail.log", kSpamdSpam);
  MetricSet out;
  ASSERT_OK((*c)->Collect(TestContext(), &out));
  EXPECT_EQ(SampleValue(out, "mailrep_spam_messages_total", {{"action", "spam"}}), 3);
}

TEST(SpamscoreCollectorTest, ReloadKeepsCountsAndPosition) {
  ScopedTempDir t;
  std::string log = t.WriteFile("/var/log/mail.log", kRspamdSpam);
  auto old = Build(t.path(), "sources: [{path: /var/log/mail.log, from_start: true}]\n");
  ASSERT_OK(old);
  MetricSet out;
  ASSERT_OK((*old)->Collect(TestContext(), &out));
  Append(log, kRspamdSpam);
  // The new instance lists DBL_SPAM no more: its hits join other.
  auto next = Build(t.path(),
                    "sources: [{path: /var/log/mail.log, from_start: true}]\n"
                    "symbols: [URIBL_BLACK]\n");
  ASSERT_OK(next);
  (*next)->AdoptState(**old);
  MetricSet after;
  ASSERT_OK((*next)->Collect(TestContext(), &after));
  EXPECT_EQ(SampleValue(after, "mailrep_spam_messages_total", {{"action", "reject"}}), 2);
  EXPECT_EQ(SampleValue(after, "mailrep_spam_symbol_hits_total", {{"symbol", "URIBL_BLACK"}}), 2);
  EXPECT_EQ(SampleValue(after, "mailrep_spam_symbol_hits_total", {{"symbol", "other"}}), 4);
  EXPECT_EQ(SampleValue(after, "mailrep_spam_symbol_hits_total", {{"symbol", "DBL_SPAM"}}),
            std::nullopt);
}

TEST(SpamscoreCollectorTest, OverlongResultLineIsAParseError) {
  ScopedTempDir t;
  std::string huge = "rspamd_task_write_log: (default: F (no action): [1.00/15.00] [";
  huge += std::string(SpamscoreCollector::kMaxLineBytes, 'A');
  huge += "])\n";
  std::string other(SpamscoreCollector::kMaxLineBytes + 10, 'x');
  t.WriteFile("/var/log/mail.log", huge + other + "\n" + kSpamdSpam);
  auto c = Build(t.path(), "sources: [{path: /var/log/mail.log, from_start: true}]\n");
  ASSERT_OK(c);
  MetricSet out;
  ASSERT_OK((*c)->Collect(TestContext(), &out));
  EXPECT_EQ(SampleValue(out, "mailrep_spam_log_parse_errors_total",
                        {{"filter", "rspamd"}, {"reason", "too_long"}}),
            1);
  EXPECT_EQ(SampleValue(out, "mailrep_spam_log_lines_total", {{"result", "ignored"}}), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_spam_messages_total", {{"action", "spam"}}), 1);
}

TEST(SpamscoreCollectorTest, NoSourcesReportsNothingButLineFamilies) {
  ScopedTempDir t;
  auto c = Build(t.path(), "{}\n");
  ASSERT_OK(c);
  MetricSet out;
  ASSERT_OK((*c)->Collect(TestContext(), &out));
  EXPECT_EQ(SampleCount(out, "mailrep_spam_messages_total"), 0);
  EXPECT_EQ(SampleCount(out, "mailrep_spam_log_source_up"), 0);
}

TEST(SpamscoreCollectorTest, ConfigErrors) {
  ScopedTempDir t;
  auto bad_filter = Build(t.path(), "sources: [{path: /x.log, filter: amavis}]\n");
  ASSERT_FALSE(bad_filter.ok());
  EXPECT_THAT(bad_filter.status().message(), HasSubstr("unknown filter \"amavis\""));
  auto relative = Build(t.path(), "sources: [{path: x.log}]\n");
  ASSERT_FALSE(relative.ok());
  EXPECT_THAT(relative.status().message(), HasSubstr("absolute"));
  auto twice = Build(t.path(), "sources: [{path: /x.log}, {path: /x.log}]\n");
  ASSERT_FALSE(twice.ok());
  EXPECT_THAT(twice.status().message(), HasSubstr("listed twice"));
  auto symbol = Build(t.path(), "sources: [{path: /x.log}]\nsymbols: [GOOD, 'bad name']\n");
  ASSERT_FALSE(symbol.ok());
  EXPECT_THAT(symbol.status().message(), HasSubstr("want a symbol name"));
  auto journal = Build(t.path(), "sources: [{journal: {}}]\n");
  ASSERT_FALSE(journal.ok());
  EXPECT_THAT(journal.status().message(), HasSubstr("identifiers and/or units"));
}

TEST(SpamscoreCollectorTest, VerdictsJoinTheSendingIpOnceDeliveredAndSurviveAReload) {
  ScopedTempDir t;
  auto index = std::make_shared<MessageIdIndex>();
  auto clock = std::make_shared<FakeClock>();
  std::string log = t.WriteFile("/var/log/mail.log", std::string(kRspamdHam) + kRspamdSpam);
  const std::string yaml = "sources: [{path: /var/log/mail.log, from_start: true}]\n";
  auto old = BuildJoined(t.path(), yaml, index, clock);
  ASSERT_OK(old);
  MetricSet out;
  ASSERT_OK((*old)->Collect(TestContext(), &out));
  EXPECT_EQ(SampleValue(out, "mailrep_spam_verdicts_pending", {}), 2);
  EXPECT_EQ(SampleValue(out, "mailrep_spam_verdict_joins_total", {{"result", "joined"}}), 0);

  // The spam one is delivered; the reload keeps the other held.
  index->Add(MessageIdKey("<b@x.example>"), "198.51.100.7", "4F1C2A0B34", "", clock->UnixSeconds());
  auto next = BuildJoined(t.path(), yaml, index, clock);
  ASSERT_OK(next);
  (*next)->AdoptState(**old);
  clock->Advance(std::chrono::seconds(15));
  MetricSet after;
  ASSERT_OK((*next)->Collect(TestContext(), &after));
  EXPECT_EQ(
      SampleValue(after, "mailrep_spam_messages_by_sending_ip_total",
                  {{"filter", "rspamd"}, {"sending_ip", "198.51.100.7"}, {"action", "reject"}}),
      1);
  EXPECT_EQ(SampleValue(after, "mailrep_spam_verdict_joins_total", {{"result", "joined"}}), 1);
  EXPECT_EQ(SampleValue(after, "mailrep_spam_verdicts_pending", {}), 1);

  // The ham one is never delivered: expired after an hour.
  clock->Advance(SpamIpJoin::kDefaultMaxAge);
  MetricSet later;
  ASSERT_OK((*next)->Collect(TestContext(), &later));
  EXPECT_EQ(SampleValue(later, "mailrep_spam_verdict_joins_total", {{"result", "expired"}}), 1);
  EXPECT_EQ(SampleValue(later, "mailrep_spam_verdicts_pending", {}), 0);
}

TEST(SpamscoreCollectorTest, WithoutTheIndexNothingIsHeld) {
  ScopedTempDir t;
  t.WriteFile("/var/log/mail.log", kRspamdSpam);
  auto c = Build(t.path(), "sources: [{path: /var/log/mail.log, from_start: true}]\n");
  ASSERT_OK(c);
  MetricSet out;
  ASSERT_OK((*c)->Collect(TestContext(), &out));
  EXPECT_EQ(SampleValue(out, "mailrep_spam_verdicts_pending", {}), 0);
}

}  // namespace
}  // namespace mailrep
