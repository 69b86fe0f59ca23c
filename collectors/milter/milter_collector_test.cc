#include "collectors/milter/milter_collector.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "collectors/auth/psl_testing.h"
#include "collectors/dns/dns_engine.h"
#include "collectors/dns/static_resolver.h"
#include "collectors/milter/milter_metrics.h"
#include "collectors/milter/milter_test_mta.h"
#include "exporter/core/collector_testing.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/source_file.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

double Value(const MetricSet& set, std::string_view name, const Labels& labels = {}) {
  return SampleValue(set, name, labels).value_or(-1);
}

constexpr std::string_view kBulk =
    "From: news@example.org\r\n"
    "Date: Tue, 8 Dec 2026 00:00:00 +0000\r\n"
    "Message-ID: <1@example.org>\r\n"
    "List-Unsubscribe: <http://example.org/u>\r\n"
    "Subject: News\r\n"
    "\r\n"
    "Read http://listed-link.com/x and http://clean.net/\r\n";

constexpr std::string_view kNoDate =
    "From: a@example.org\r\n"
    "Message-ID: <2@example.org>\r\n"
    "\r\n"
    "hello\r\n";

class MilterCollectorTest : public ::testing::Test {
 protected:
  std::unique_ptr<MilterCollector> Make(std::shared_ptr<DnsEngine> dns, size_t max_bytes) {
    MilterCollectorOptions o;
    o.server.listen = "unix:" + dir_.path() + "/milter.sock";
    o.server.budget.max_message_bytes = max_bytes;
    o.sender_domains = {"example.org"};
    std::string error =
        DomainLists(DnsblCatalogue::BuiltIn(), {"dbl.spamhaus.org"}, {}, &o.lists).value_or("");
    EXPECT_EQ(error, "");
    return std::make_unique<MilterCollector>(std::move(o), TestPsl(), std::move(dns));
  }
  MetricSet Collect(MilterCollector& c) {
    MetricSet set;
    EXPECT_OK(c.Collect(TestContext(), &set));
    return set;
  }

  ScopedTempDir dir_;
};

TEST_F(MilterCollectorTest, CountsWhatItSeesAndAlwaysAccepts) {
  auto resolver = std::make_shared<StaticResolver>();
  resolver->SetAddresses("dbltest.com.dbl.spamhaus.org", {"127.0.1.2"});
  resolver->SetAddresses("listed-link.com.dbl.spamhaus.org", {"127.0.1.2"});
  auto collector = Make(DnsEngine::ForResolver(resolver), 10 << 20);
  MetricSet first = Collect(*collector);
  EXPECT_EQ(Value(first, "mailrep_milter_up"), 1);
  EXPECT_EQ(Value(first, "mailrep_milter_messages_total",
                  {{"stream", "bulk"}, {"sender_domain", "example.org"}}),
            0);

  {
    TestMta mta(dir_.path() + "/milter.sock");
    ASSERT_TRUE(mta.connected());
    ASSERT_TRUE(mta.Negotiate());
    EXPECT_EQ(mta.Message("<news@Example.org>", kBulk), 'a');
    EXPECT_EQ(mta.Message("<a@elsewhere.net>", kNoDate), 'a');
    mta.Send('Q', "");
  }
  collector->Drain();
  // The counting follows the ACCEPT; give the connection thread its turn.
  MetricSet set;
  for (int i = 0; i < 200; ++i) {
    set = Collect(*collector);
    if (Value(set, "mailrep_milter_messages_total",
              {{"stream", "transactional"}, {"sender_domain", "other"}}) == 1)
      break;
    usleep(10000);
  }
  collector->Drain();
  set = Collect(*collector);
  EXPECT_EQ(Value(set, "mailrep_milter_messages_total",
                  {{"stream", "bulk"}, {"sender_domain", "example.org"}}),
            1);
  EXPECT_EQ(Value(set, "mailrep_milter_messages_total",
                  {{"stream", "transactional"}, {"sender_domain", "other"}}),
            1);
  EXPECT_EQ(Value(set, "mailrep_milter_recipients_total"), 2);
  EXPECT_EQ(Value(set, "mailrep_milter_format_problems_total", {{"problem", "date_missing"}}), 1);
  EXPECT_EQ(Value(set, "mailrep_milter_format_problems_total", {{"problem", "from_missing"}}), 0);
  EXPECT_EQ(Value(set, "mailrep_milter_messages_with_format_problems_total"), 1);
  EXPECT_EQ(Value(set, "mailrep_milter_unsubscribe_problems_total", {{"problem", "no_one_click"}}),
            1);
  EXPECT_EQ(Value(set, "mailrep_milter_unsubscribe_problems_total", {{"problem", "not_https"}}), 1);
  EXPECT_EQ(Value(set, "mailrep_milter_unsubscribe_problems_total", {{"problem", "missing"}}), 0);
  EXPECT_EQ(Value(set, "mailrep_milter_link_checks_total", {{"result", "checked"}}), 1);
  EXPECT_EQ(Value(set, "mailrep_milter_listed_link_messages_total", {{"list", "dbl.spamhaus.org"}}),
            1);
  EXPECT_EQ(Value(set, "mailrep_milter_connections_total", {{"result", "accepted"}}), 1);
  // Nothing of the content in any label.
  for (const auto& family : set.families()) {
    for (const auto& metric : family.metric) {
      for (const auto& l : metric.label) {
        EXPECT_EQ(l.value.find("listed-link"), std::string::npos);
        EXPECT_EQ(l.value.find("elsewhere"), std::string::npos);
      }
    }
  }
}

TEST_F(MilterCollectorTest, SkipsMessagesOverTheBudgetAndSurvivesBadClients) {
  auto collector = Make(nullptr, 1024);
  Collect(*collector);
  {
    // An MTA that waits for a reply to each body chunk.
    TestMta mta(dir_.path() + "/milter.sock");
    ASSERT_TRUE(mta.Negotiate(0x1fffff & ~(kMilterNoReplyEndOfHeaders | kMilterNoReplyBody)));
    mta.Send('M', std::string("<a@example.org>\0", 16));
    mta.Send('N', "");
    EXPECT_EQ(mta.Reply(), 'c');
    mta.Send('B', std::string(2000, 'x'));
    EXPECT_EQ(mta.Reply(), 'a');  // accepted at once, not analysed
    mta.Send('Q', "");
  }
  {
    // One that streams everything but end of message (Postfix): accepted there.
    TestMta mta(dir_.path() + "/milter.sock");
    ASSERT_TRUE(mta.Negotiate());
    mta.Send('M', std::string("<a@example.org>\0", 16));
    mta.Send('N', "");
    mta.Send('B', std::string(2000, 'x'));
    mta.Send('B', std::string(2000, 'y'));
    mta.Send('E', "");
    EXPECT_EQ(mta.Reply(), 'a');
    mta.Send('Q', "");
  }
  {
    TestMta garbage(dir_.path() + "/milter.sock");
    garbage.Send('O', "x");  // too short a negotiation: the milter hangs up
    EXPECT_EQ(garbage.Reply(), '\0');
  }
  MetricSet set;
  for (int i = 0; i < 200; ++i) {
    set = Collect(*collector);
    if (Value(set, "mailrep_milter_messages_skipped_total", {{"reason", "too_large"}}) == 2 &&
        Value(set, "mailrep_milter_connections", {}) == 0) {
      break;
    }
    usleep(10000);
  }
  EXPECT_EQ(Value(set, "mailrep_milter_messages_skipped_total", {{"reason", "too_large"}}), 2);
  EXPECT_EQ(Value(set, "mailrep_milter_connections_total", {{"result", "accepted"}}), 3);
  EXPECT_EQ(Value(set, "mailrep_milter_connections"), 0);
}

TEST_F(MilterCollectorTest, ReloadHandsOverCountsAndTheSocket) {
  auto old = Make(nullptr, 10 << 20);
  Collect(*old);
  {
    TestMta mta(dir_.path() + "/milter.sock");
    ASSERT_TRUE(mta.Negotiate());
    EXPECT_EQ(mta.Message("<a@example.org>", kNoDate), 'a');
    mta.Send('Q', "");
  }
  for (int i = 0; i < 200; ++i) {
    MetricSet s = Collect(*old);
    if (Value(s, "mailrep_milter_format_problems_total", {{"problem", "date_missing"}}) == 1) break;
    usleep(10000);
  }
  auto next = Make(nullptr, 10 << 20);
  next->AdoptState(*old);
  old.reset();
  MetricSet set = Collect(*next);
  EXPECT_EQ(Value(set, "mailrep_milter_up"), 1);
  EXPECT_EQ(Value(set, "mailrep_milter_format_problems_total", {{"problem", "date_missing"}}), 1);
  TestMta mta(dir_.path() + "/milter.sock");
  EXPECT_TRUE(mta.connected());
}

StatusOr<std::unique_ptr<Collector>> Build(std::string_view yaml) {
  StatusOr<Config> config =
      ParseConfig(std::string(yaml), "test.yml", {MilterCollectorSpec().defaults});
  if (!config.ok()) return config.status();
  const CollectorSettings& settings = config->collectors.at("milter");
  ConfigNode options = settings.options->WithOwnErrors();
  return NewMilterCollector({*config, settings, ""}, options);
}

TEST(MilterCollectorConfig, ValidFullConfig) {
  StatusOr<std::unique_ptr<Collector>> c =
      Build(testing::ReadSourceFile("collectors/milter/testdata/valid-full.yml"));
  ASSERT_OK(c);
  MetricSet set;
  ASSERT_OK((*c)->Collect(TestContext(), &set));
  EXPECT_EQ(SampleValue(set, "mailrep_milter_up", {}), 1);
  EXPECT_EQ(SampleValue(set, "mailrep_milter_messages_total",
                        {{"stream", "bulk"}, {"sender_domain", "example.com"}}),
            0);
  EXPECT_EQ(
      SampleValue(set, "mailrep_milter_listed_link_messages_total", {{"list", "multi.uribl.com"}}),
      0);
}

TEST(MilterCollectorConfig, RefusesAMissingOrBadListenAddressAndUnknownLists) {
  for (std::string_view yaml : {
           "collectors:\n  milter:\n    enabled: true\n",
           "collectors:\n  milter:\n    listen: unix:relative.sock\n",
           "collectors:\n  milter:\n    listen: inet:mail.example.com:25\n",
           "collectors:\n  milter:\n    listen: inet:127.0.0.1:99999\n",
           "collectors:\n  milter:\n    listen: inet:127.0.0.1:0\n    lists: [zen.spamhaus.org]\n",
       }) {
    EXPECT_FALSE(Build(yaml).ok()) << yaml;
  }
}

TEST(MilterCollectorSpec, DescribesEveryFamilyOnce) {
  CollectorSpec spec = MilterCollectorSpec();
  EXPECT_EQ(spec.defaults.name, "milter");
  EXPECT_FALSE(spec.defaults.enabled);
  EXPECT_EQ(spec.metrics.size(), std::size(kMilterFamilies));
}

}  // namespace
}  // namespace mailrep
