#include "collectors/spamscore/spam_ip_join.h"

#include <gtest/gtest.h>

#include <string>

#include "exporter/core/collector_testing.h"

namespace mailrep {
namespace {

SpamVerdict Verdict(std::string_view message_id, SpamAction action,
                    SpamFilter filter = SpamFilter::kRspamd) {
  SpamVerdict v;
  v.filter = filter;
  v.action = action;
  v.message_id = message_id;
  return v;
}

std::optional<double> Joined(const MetricSet& out, const std::string& filter, const std::string& ip,
                             const std::string& action) {
  return SampleValue(out, "mailrep_spam_messages_by_sending_ip_total",
                     {{"filter", filter}, {"sending_ip", ip}, {"action", action}});
}

TEST(SpamIpJoinTest, AVerdictJoinsWhenItsDeliveryIsLoggedLater) {
  MessageIdIndex index;
  SpamIpJoin join;
  join.Hold(Verdict("m1@lab.example", SpamAction::kReject), 1000);
  join.Hold(Verdict("m2@lab.example", SpamAction::kSpam, SpamFilter::kSpamAssassin), 1000);
  join.Resolve(index, 1010);  // not delivered yet
  EXPECT_EQ(join.pending(), 2u);
  EXPECT_EQ(join.joined(), 0u);

  index.Add(MessageIdKey("<m1@Lab.Example>"), "192.0.2.25", "4F1C2A0B34", "", 1020);
  index.Add(MessageIdKey("<m2@lab.example>"), "2001:db8::25", "Q2", "", 1020);
  join.Resolve(index, 1030);
  EXPECT_EQ(join.pending(), 0u);
  EXPECT_EQ(join.joined(), 2u);
  MetricSet out;
  join.WriteMetrics(&out);
  EXPECT_EQ(Joined(out, "rspamd", "192.0.2.25", "reject"), 1);
  EXPECT_EQ(Joined(out, "spamassassin", "2001:db8::25", "spam"), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_spam_verdict_joins_total", {{"result", "joined"}}), 2);
  EXPECT_EQ(SampleValue(out, "mailrep_spam_verdicts_pending", {}), 0);
}

TEST(SpamIpJoinTest, NeverDeliveredExpiresAfterMaxAge) {
  MessageIdIndex index;
  SpamIpJoin join(10, std::chrono::hours(1));
  join.Hold(Verdict("gone@lab.example", SpamAction::kReject), 1000);
  join.Resolve(index, 1000 + 3600);
  EXPECT_EQ(join.pending(), 1u);
  join.Resolve(index, 1000 + 3601);
  EXPECT_EQ(join.pending(), 0u);
  EXPECT_EQ(join.expired(), 1u);
  EXPECT_EQ(join.joined(), 0u);
  // Delivered after it expired: no longer counted.
  index.Add(MessageIdKey("<gone@lab.example>"), "192.0.2.25", "Q", "", 1000 + 3700);
  join.Resolve(index, 1000 + 3700);
  EXPECT_EQ(join.joined(), 0u);
}

TEST(SpamIpJoinTest, FullDropsTheOldestAndCountsIt) {
  MessageIdIndex index;
  SpamIpJoin join(2, std::chrono::hours(1));
  join.Hold(Verdict("a@x", SpamAction::kNoAction), 100);
  join.Hold(Verdict("b@x", SpamAction::kNoAction), 101);
  join.Hold(Verdict("c@x", SpamAction::kNoAction), 102);
  EXPECT_EQ(join.pending(), 2u);
  EXPECT_EQ(join.dropped(), 1u);
  index.Add(MessageIdKey("a@x"), "192.0.2.1", "Q", "", 103);
  index.Add(MessageIdKey("c@x"), "192.0.2.1", "Q", "", 103);
  join.Resolve(index, 104);
  EXPECT_EQ(join.joined(), 1u);  // a was dropped
  EXPECT_EQ(join.pending(), 1u);
  MetricSet out;
  join.WriteMetrics(&out);
  EXPECT_EQ(SampleValue(out, "mailrep_spam_verdict_joins_total", {{"result", "dropped"}}), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_spam_verdicts_pending", {}), 1);
}

TEST(SpamIpJoinTest, NoMessageIdIsNotHeld) {
  SpamIpJoin join;
  join.Hold(Verdict("", SpamAction::kNoAction), 100);
  join.Hold(Verdict("not a message id", SpamAction::kNoAction), 100);
  EXPECT_EQ(join.pending(), 0u);
  EXPECT_EQ(join.dropped(), 0u);
}

TEST(SpamIpJoinTest, DistinctIpsAreCappedAndAnUnnamedAddressIsOther) {
  MessageIdIndex index;
  SpamIpJoin join;
  for (size_t i = 0; i <= SpamIpJoin::kMaxIpSeries; ++i) {
    std::string id = "m" + std::to_string(i) + "@x";
    join.Hold(Verdict(id, SpamAction::kNoAction), 100);
    index.Add(MessageIdKey(id), "10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256),
              "Q", "", 100);
  }
  join.Hold(Verdict("noip@x", SpamAction::kNoAction), 100);
  index.Add(MessageIdKey("noip@x"), "", "Q", "", 100);
  join.Resolve(index, 101);
  EXPECT_EQ(join.joined(), SpamIpJoin::kMaxIpSeries + 2);
  MetricSet out;
  join.WriteMetrics(&out);
  EXPECT_EQ(Joined(out, "rspamd", "10.0.0.0", "no_action"), 1);
  EXPECT_EQ(Joined(out, "rspamd", "other", "no_action"), 2);
}

}  // namespace
}  // namespace mailrep
