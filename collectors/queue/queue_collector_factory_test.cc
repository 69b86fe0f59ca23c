#include <gtest/gtest.h>

#include <filesystem>

#include "collectors/queue/postfix_queue_file_writer.h"
#include "collectors/queue/postfix_queue_scan.h"
#include "collectors/queue/queue_collector.h"
#include "collectors/queue/queue_test_util.h"
#include "exporter/config/config_node.h"
#include "exporter/core/collector_testing.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

StatusOr<std::unique_ptr<Collector>> Build(const std::string& yaml, const std::string& root) {
  StatusOr<ConfigNode> node = ConfigNode::Parse(yaml, "test.yml");
  EXPECT_OK(node);
  if (!node.ok()) return node.status();
  Config config;
  CollectorSettings settings;
  CollectorEnv env{config, settings, root};
  return NewQueueCollector(*FindQueueMta("postfix"), env, *node);
}

void MakeQueue(const std::string& dir) {
  for (std::string_view q : kPostfixQueueNames) {
    std::filesystem::create_directories(dir + "/" + std::string(q));
  }
}

TEST(PostfixQueueFactoryTest, ExplicitInstancesUnderTheRoot) {
  ScopedTempDir tmp;
  MakeQueue(tmp.path() + "/var/spool/postfix-out");
  StatusOr<std::unique_ptr<Collector>> c = Build(
      "instances:\n  - {name: out, queue_directory: /var/spool/postfix-out}\n"
      "top_destinations: 3\n",
      tmp.path());
  ASSERT_OK(c);
  MetricSet out;
  ASSERT_OK((*c)->Collect({}, &out));
  EXPECT_EQ(out.series_count(), 6u * 4 + 1 + kAllReplyReasons.size() + kNumSpoolProblems + 1);
}

// composition adds, per queue, a top sender domain "other", a top submitter
// "other" and the share; with a message, its sender domain and submitter.
TEST(PostfixQueueFactoryTest, CompositionOptions) {
  ScopedTempDir tmp;
  MakeQueue(tmp.path() + "/var/spool/postfix");
  SyntheticPostfixMessage m;
  m.arrival = 1700000000;
  m.sender = "alice@auth.example";
  m.recipients = {{"y@two.example", 'R'}};
  m.attributes = {"client_address=192.0.2.9", "sasl_username=alice"};
  WriteTestFile(tmp.path() + "/var/spool/postfix/deferred/B99EEA720AC",
                BuildPostfixQueueFile(m).bytes);
  StatusOr<std::unique_ptr<Collector>> c = Build(
      "instances:\n  - {name: default, queue_directory: /var/spool/postfix}\n"
      "composition: true\ncomposition_top: 5\nsubmitter_labels: hash\n"
      "submitter_hash_key: k\n",
      tmp.path());
  ASSERT_OK(c);
  MetricSet out;
  ASSERT_OK((*c)->Collect({}, &out));
  EXPECT_EQ(SampleValue(out, "mailrep_queue_top_sender_domain_messages",
                        {{"queue", "deferred"}, {"sender_domain", "auth.example"}}),
            1);
  EXPECT_EQ(SampleValue(out, "mailrep_queue_top_submitter_messages",
                        {{"queue", "deferred"},
                         {"submitter_kind", "sasl"},
                         {"submitter", SubmitterLabel({SubmitterLabels::kHash, "k"},
                                                      SubmitterKind::kSasl, "alice")}}),
            1);
  EXPECT_EQ(SampleValue(out, "mailrep_queue_top_submitter_share", {{"queue", "deferred"}}), 1);
  EXPECT_EQ(SampleCount(out, "mailrep_queue_top_submitter_share"), 6u);
  EXPECT_EQ(SampleCount(out, "mailrep_queue_top_sender_domain_messages"), 6u + 1);
}

struct BadCase {
  const char* yaml;
  const char* message;
};

TEST(PostfixQueueFactoryTest, BadOptionsNameTheLine) {
  const BadCase cases[] = {
      {"instances:\n  - {name: a, queue_directory: spool}\n", "test.yml:2"},
      {"instances:\n  - {queue_directory: /q}\n", "name"},
      {"instances:\n  - {name: a, queue_directory: /q}\n  - {name: a, queue_directory: /r}\n",
       "duplicate"},
      {"instances:\n  - {name: a, queue_directory: /q, extra: 1}\n", "extra"},
      {"top_destinations: 5000\n", "top_destinations"},
      {"colour: blue\n", "colour"},
      {"scan_threads: 0\n", "scan_threads"},
      {"submitter_labels: names\n", "submitter_labels"},
      {"submitter_labels: hash\n", "submitter_hash_key"},
      {"composition_top: 0\n", "composition_top"},
      {"composition: yes\n", "composition"},
      {"read_msglogs: true\n", "read_msglogs"},  // Exim's key, not Postfix's
  };
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.yaml);
    StatusOr<std::unique_ptr<Collector>> built = Build(c.yaml, "/nonexistent");
    ASSERT_FALSE(built.ok());
    EXPECT_NE(built.status().message().find(c.message), std::string::npos)
        << built.status().message();
  }
}

TEST(PostfixQueueFactoryTest, DetectsTheDefaultInstance) {
  ScopedTempDir tmp;
  WriteTestFile(tmp.path() + "/etc/postfix/main.cf",
                "queue_directory = /srv/pfq\nmyhostname = x.example\n", 0644);
  MakeQueue(tmp.path() + "/srv/pfq");
  WriteTestFile(tmp.path() + "/srv/pfq/hold/ABCDE1", "x");
  StatusOr<std::unique_ptr<Collector>> c = Build("{}", tmp.path());
  ASSERT_OK(c);
  MetricSet out;
  ASSERT_OK((*c)->Collect({}, &out));
  bool found = false;
  for (const auto& family : out.families()) {
    if (family.name != "mailrep_queue_messages") continue;
    for (const auto& m : family.metric) {
      bool hold = false;
      for (const auto& l : m.label) hold = hold || (l.name == "queue" && l.value == "hold");
      if (hold) {
        found = true;
        EXPECT_EQ(m.gauge.value, 1);
      }
    }
  }
  EXPECT_TRUE(found);
}

// A host without Postfix must still start: the collector idles and exports nothing.
TEST(PostfixQueueFactoryTest, NoPostfixIdles) {
  ScopedTempDir tmp;
  StatusOr<std::unique_ptr<Collector>> c = Build("{}", tmp.path());
  ASSERT_OK(c);
  MetricSet out;
  CollectContext ctx{{}, std::chrono::steady_clock::now() + std::chrono::seconds(5)};
  EXPECT_OK((*c)->Collect(ctx, &out));
  EXPECT_EQ(out.series_count(), 0u);
}

}  // namespace
}  // namespace mailrep

namespace mailrep {
namespace {

StatusOr<std::unique_ptr<Collector>> BuildExim(const std::string& yaml, const std::string& root) {
  StatusOr<ConfigNode> node = ConfigNode::Parse(yaml, "test.yml");
  EXPECT_OK(node);
  if (!node.ok()) return node.status();
  Config config;
  CollectorSettings settings;
  CollectorEnv env{config, settings, root};
  return NewQueueCollector(*FindQueueMta("exim"), env, *node);
}

TEST(EximQueueFactoryTest, ExplicitDetectedAndBad) {
  ScopedTempDir tmp;
  std::filesystem::create_directories(tmp.path() + "/var/spool/exim4/input");
  StatusOr<std::unique_ptr<Collector>> explicit_one =
      BuildExim("instances:\n  - {name: main, spool_directory: /var/spool/exim4}\n", tmp.path());
  ASSERT_OK(explicit_one);
  MetricSet out;
  EXPECT_OK((*explicit_one)->Collect({}, &out));
  EXPECT_EQ(out.series_count(), 3u * 4 + 1 + kAllReplyReasons.size() + kNumSpoolProblems + 1);

  StatusOr<std::unique_ptr<Collector>> bad =
      BuildExim("instances:\n  - {name: main, spool_directory: spool}\n", tmp.path());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("test.yml:2"), std::string::npos);

  ScopedTempDir empty;
  StatusOr<std::unique_ptr<Collector>> none = BuildExim("{}", empty.path());
  ASSERT_OK(none) << "no Exim is not an error: the collector idles";
}

}  // namespace
}  // namespace mailrep

namespace mailrep {
namespace {

StatusOr<std::unique_ptr<Collector>> BuildSpec(std::string_view mta, const std::string& yaml,
                                               const std::string& root) {
  StatusOr<ConfigNode> node = ConfigNode::Parse(yaml, "test.yml");
  EXPECT_OK(node);
  if (!node.ok()) return node.status();
  Config config;
  CollectorSettings settings;
  CollectorEnv env{config, settings, root};
  return QueueCollectorSpec(mta).factory(env, *node);
}

TEST(QueueCollectorSpecTest, OneSpecPerMta) {
  std::vector<CollectorSpec> specs = QueueCollectorSpecs();
  ASSERT_EQ(specs.size(), AllQueueMtas().size());
  for (size_t i = 0; i < specs.size(); ++i) {
    EXPECT_EQ(specs[i].defaults.name, std::string(AllQueueMtas()[i].mta) + "_queue");
    EXPECT_TRUE(specs[i].defaults.enabled);
    EXPECT_FALSE(specs[i].help.empty());
  }
  EXPECT_EQ(QueueCollectorSpec("postfix").defaults.name, "postfix_queue");
  EXPECT_NE(FindQueueMta("qmail"), nullptr);
  EXPECT_EQ(FindQueueMta("smail"), nullptr);
}

TEST(QueueCollectorSpecTest, UnknownMtaFailsWhenBuilt) {
  StatusOr<std::unique_ptr<Collector>> c = BuildSpec("smail", "{}", "/nonexistent");
  EXPECT_EQ(c.status().code(), Status::Code::kInvalidArgument);
}

// Each MTA takes its own directory and reasons keys; scan_threads is common.
TEST(QueueCollectorSpecTest, PerMtaKeys) {
  ScopedTempDir tmp;
  std::filesystem::create_directories(tmp.path() + "/var/spool/exim4/input");
  EXPECT_OK(BuildSpec("exim",
                      "instances:\n  - {name: main, spool_directory: /var/spool/exim4}\n"
                      "scan_threads: 4\nread_msglogs: false\n",
                      tmp.path()));
  StatusOr<std::unique_ptr<Collector>> qmail_reasons =
      BuildSpec("qmail", "read_defer_logs: true\n", tmp.path());
  ASSERT_FALSE(qmail_reasons.ok());
  EXPECT_NE(qmail_reasons.status().message().find("read_defer_logs"), std::string::npos);
  StatusOr<std::unique_ptr<Collector>> qmail_dir = BuildSpec(
      "qmail", "instances:\n  - {name: a, spool_directory: /var/qmail/queue}\n", tmp.path());
  ASSERT_FALSE(qmail_dir.ok());
  EXPECT_NE(qmail_dir.status().message().find("queue_directory"), std::string::npos);
}

}  // namespace
}  // namespace mailrep
