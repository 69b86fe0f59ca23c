#include "collectors/queue/queue_composition.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "collectors/queue/submitter_labels.h"

namespace mailrep {
namespace {

QueueOrigin Origin(std::string sender, SubmitterKind kind, std::string name) {
  return {std::move(sender), kind, std::move(name)};
}

TEST(QueueCompositionTest, CountsMessagesRecipientsDomainsAndOldestPerQueue) {
  QueueComposition c;
  std::vector<std::string> two = {"a@x.test", "b@X.test"};
  std::vector<std::string> one = {"c@y.test"};
  c.Add(1, 3, Origin("s@one.test", SubmitterKind::kSasl, "alice"), 2, two, 200);
  c.Add(1, 3, Origin("s@one.test", SubmitterKind::kSasl, "alice"), 1, one, 100);
  c.Add(2, 3, Origin("", SubmitterKind::kUnknown, "ignored"), 1, one, 50);
  ASSERT_EQ(c.queues.size(), 3u);
  EXPECT_TRUE(c.queues[0].senders.empty());
  const QueueTally& s = c.queues[1].senders.at("s@one.test");
  EXPECT_EQ(s.messages, 2u);
  EXPECT_EQ(s.recipients, 3u);
  EXPECT_EQ(s.oldest_arrival, 100);
  EXPECT_EQ(c.queues[1].submitters.at("sasl:alice").messages, 2u);
  EXPECT_EQ(c.queues[1].destinations.at("x.test").messages, 1u);  // once per message
  EXPECT_EQ(c.queues[1].destinations.at("x.test").recipients, 2u);
  EXPECT_EQ(c.queues[2].senders.at("<>").messages, 1u);
  EXPECT_EQ(c.queues[2].submitters.at("unknown:").messages, 1u);
}

TEST(QueueCompositionTest, KeysPastTheLimitCountAsOther) {
  QueueComposition c;
  c.max_keys = 2;
  for (const char* s : {"a@t", "b@t", "c@t", "d@t", "a@t"}) {
    c.Add(0, 1, Origin(s, SubmitterKind::kLocal, s), 1, {}, 1);
  }
  const auto& senders = c.queues[0].senders;
  EXPECT_EQ(senders.at("a@t").messages, 2u);
  EXPECT_EQ(senders.at("b@t").messages, 1u);
  EXPECT_EQ(senders.at("other").messages, 2u);
  EXPECT_EQ(senders.size(), 3u);  // the limit plus "other"
}

TEST(QueueCompositionTest, MergeAddsCounts) {
  QueueComposition a, b;
  a.Add(0, 2, Origin("s@t", SubmitterKind::kClient, "192.0.2.1"), 1, {}, 30);
  b.Add(0, 2, Origin("s@t", SubmitterKind::kClient, "192.0.2.1"), 2, {}, 20);
  b.Add(1, 2, Origin("r@t", SubmitterKind::kLocal, "uid=1000"), 1, {}, 10);
  a.Merge(b);
  EXPECT_EQ(a.queues[0].senders.at("s@t").messages, 2u);
  EXPECT_EQ(a.queues[0].senders.at("s@t").recipients, 3u);
  EXPECT_EQ(a.queues[0].senders.at("s@t").oldest_arrival, 20);
  EXPECT_EQ(a.queues[1].submitters.at("local:uid=1000").messages, 1u);
}

TEST(QueueCompositionTest, SetSubmitterPrefersTheLoginThenLocalThenClient) {
  QueueOrigin o;
  SetSubmitter(&o, "alice", true, "root", "192.0.2.1");
  EXPECT_EQ(SubmitterKey(o.kind, o.submitter), "sasl:alice");
  SetSubmitter(&o, "", true, "root", "192.0.2.1");
  EXPECT_EQ(SubmitterKey(o.kind, o.submitter), "local:root");
  SetSubmitter(&o, "", false, "root", "192.0.2.1");
  EXPECT_EQ(SubmitterKey(o.kind, o.submitter), "client:192.0.2.1");
  SetSubmitter(&o, "", true, "", "");
  EXPECT_EQ(SubmitterKey(o.kind, o.submitter), "unknown:");
}

TEST(QueueCompositionTest, LabelsAndKeys) {
  EXPECT_EQ(SenderDomainLabel("A@Example.TEST"), "example.test");
  EXPECT_EQ(SenderDomainLabel(""), "<>");
  EXPECT_EQ(SenderDomainLabel("MAILER-DAEMON"), "(none)");
  EXPECT_EQ(SplitSubmitterKey("sasl:a:b"),
            std::make_pair(SubmitterKind::kSasl, std::string("a:b")));
  EXPECT_EQ(SplitSubmitterKey("other"),
            std::make_pair(SubmitterKind::kUnknown, std::string("other")));
  auto ranked = RankByMessages({{"b", {2, 0, {}}}, {"a", {2, 0, {}}}, {"c", {5, 0, {}}}});
  ASSERT_EQ(ranked.size(), 3u);
  EXPECT_EQ(ranked[0].first, "c");
  EXPECT_EQ(ranked[1].first, "a");  // ties by key
}

TEST(SubmitterLabelsTest, Modes) {
  EXPECT_EQ(ParseSubmitterLabels("hash"), SubmitterLabels::kHash);
  EXPECT_EQ(ParseSubmitterLabels("names"), std::nullopt);
  SubmitterLabeling name;
  EXPECT_EQ(SubmitterLabel(name, SubmitterKind::kSasl, "alice"), "alice");
  EXPECT_EQ(SubmitterLabel(name, SubmitterKind::kUnknown, ""), "(unknown)");
  SubmitterLabeling none{SubmitterLabels::kNone, ""};
  EXPECT_EQ(SubmitterLabel(none, SubmitterKind::kSasl, "alice"), "(hidden)");
  SubmitterLabeling hash{SubmitterLabels::kHash, "k1"};
  std::string h = SubmitterLabel(hash, SubmitterKind::kSasl, "alice");
  EXPECT_EQ(h.size(), 14u);
  EXPECT_EQ(h.substr(0, 2), "h:");
  EXPECT_EQ(h, SubmitterLabel(hash, SubmitterKind::kSasl, "alice"));  // stable
  EXPECT_NE(h, SubmitterLabel(hash, SubmitterKind::kSasl, "bob"));
  EXPECT_NE(h, SubmitterLabel(hash, SubmitterKind::kLocal, "alice"));  // the kind is hashed too
  SubmitterLabeling other_key{SubmitterLabels::kHash, "k2"};
  EXPECT_NE(h, SubmitterLabel(other_key, SubmitterKind::kSasl, "alice"));  // keyed
  // HMAC-SHA256("k1", "sasl:alice"), first 6 bytes (openssl dgst -sha256 -hmac k1).
  EXPECT_EQ(h, "h:ee03a69ef75f");
}

}  // namespace
}  // namespace mailrep
