#include "collectors/delivery/submitter_stats.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "collectors/delivery/delivery_collector.h"
#include "exporter/core/collector_testing.h"
#include "exporter/core/fake_clock.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using ::testing::HasSubstr;

StatusOr<std::unique_ptr<Collector>> Build(const std::string& root, const std::string& yaml,
                                           std::shared_ptr<const Clock> clock) {
  static Config config;
  static CollectorSettings settings;
  CollectorEnv env{config, settings, root};
  env.clock = std::move(clock);
  StatusOr<ConfigNode> options = ConfigNode::Parse(yaml, "test.yml");
  if (!options.ok()) return options.status();
  return NewDeliveryCollector(env, *options);
}

void Append(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::app) << text;
}

// One Postfix message as the log shows it: smtpd (with a login or not), qmgr,
// one smtp line per recipient with `status`, and the removal.
std::string PostfixMessage(const std::string& queue_id, const std::string& sasl,
                           const std::string& client_ip, int recipients,
                           const std::string& status = "sent (250 2.0.0 OK)") {
  std::string text = "Dec  7 10:00:00 lab postfix/submission/smtpd[1]: " + queue_id +
                     ": client=c.example[" + client_ip + "]";
  if (!sasl.empty()) text += ", sasl_method=PLAIN, sasl_username=" + sasl;
  text += "\nDec  7 10:00:00 lab postfix/qmgr[2]: " + queue_id +
          ": from=<x@lab.example>, size=300, nrcpt=" + std::to_string(recipients) +
          " (queue active)\n";
  for (int i = 0; i < recipients; ++i) {
    text += "Dec  7 10:00:01 lab postfix/smtp[3]: " + queue_id + ": to=<r" + std::to_string(i) +
            "@example.net>, relay=mx.example.net[192.0.2.5]:25, delay=1, delays=0/0/0/1, "
            "dsn=" +
            (status.starts_with("sent") ? "2.0.0" : "5.7.1") + ", status=" + status + "\n";
  }
  text += "Dec  7 10:00:02 lab postfix/qmgr[2]: " + queue_id + ": removed\n";
  return text;
}

constexpr char kBlocklistBounce[] =
    "bounced (host said: 554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using "
    "zen.spamhaus.org)";

std::optional<double> Value(const MetricSet& out, const std::string& family,
                            const std::string& window, const std::string& kind,
                            const std::string& submitter) {
  return SampleValue(out, family,
                     {{"window", window}, {"submitter_kind", kind}, {"submitter", submitter}});
}

class SubmitterStatsTest : public ::testing::Test {
 protected:
  std::unique_ptr<Collector> Make(const std::string& submitters) {
    t_.WriteFile("/logs/mail.log", "");
    auto c = Build(t_.path(),
                   "sources: [{path: /logs/mail.log, from_start: true}]\n"
                   "read_postfix_config: false\n"
                   "submitters: " +
                       submitters + "\n",
                   clock_);
    EXPECT_OK(c);
    return c.ok() ? std::move(*c) : nullptr;
  }
  MetricSet Run(Collector& c, const std::string& lines) {
    Append(t_.path() + "/logs/mail.log", lines);
    MetricSet out;
    EXPECT_OK(c.Collect(TestContext(), &out));
    return out;
  }
  ScopedTempDir t_;
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
};

TEST_F(SubmitterStatsTest, OffByDefaultExportsNothing) {
  t_.WriteFile("/logs/mail.log", PostfixMessage("AAAA1", "alice", "192.0.2.4", 1));
  auto c = Build(t_.path(), "sources: [{path: /logs/mail.log, from_start: true}]\n", clock_);
  ASSERT_OK(c);
  MetricSet out;
  ASSERT_OK((*c)->Collect(TestContext(), &out));
  EXPECT_FALSE(
      SampleValue(out, "mailrep_submitter_messages",
                  {{"window", "1h"}, {"submitter_kind", "other"}, {"submitter", "other"}}));
}

TEST_F(SubmitterStatsTest, PostfixBurstSubmitterTopsTheListCountingMessagesOnce) {
  auto c = Make("{enabled: true, top: 2}");
  std::string lines;
  for (int i = 0; i < 30; ++i) {
    lines += PostfixMessage("B1000" + std::to_string(i), "alice", "192.0.2.4", 3);
  }
  lines += PostfixMessage("B2000", "alice", "192.0.2.4", 2, kBlocklistBounce);
  for (int i = 0; i < 5; ++i)
    lines += PostfixMessage("C1000" + std::to_string(i), "", "198.51.100.7", 1);
  lines += PostfixMessage("D1000", "bob", "192.0.2.5", 1);
  // A delivery whose message was never traced counts as unknown.
  lines +=
      "Dec  7 10:00:03 lab postfix/smtp[3]: F9999: to=<q@example.org>, relay=mx.example.org"
      "[192.0.2.6]:25, delay=1, delays=0/0/0/1, dsn=4.4.1, status=deferred (connect timed out)\n";
  MetricSet out = Run(*c, lines);
  const std::string m = "mailrep_submitter_messages";
  EXPECT_EQ(Value(out, m, "1h", "sasl", "alice"), 31);
  EXPECT_EQ(Value(out, m, "24h", "sasl", "alice"), 31);
  EXPECT_EQ(Value(out, m, "1h", "client", "198.51.100.7"), 5);
  EXPECT_EQ(Value(out, m, "1h", "other", "other"), 2) << "bob and the untraced one";
  EXPECT_EQ(Value(out, "mailrep_submitter_bounced_messages", "1h", "sasl", "alice"), 1)
      << "two recipients bounced, one message";
  EXPECT_EQ(Value(out, "mailrep_submitter_blocklist_rejections", "1h", "sasl", "alice"), 1);
  EXPECT_EQ(Value(out, "mailrep_submitter_deferred_messages", "1h", "client", "198.51.100.7"), 0);
  EXPECT_EQ(Value(out, "mailrep_submitter_deferred_messages", "1h", "other", "other"), 1);
  EXPECT_EQ(Value(out, "mailrep_submitter_bounced_messages", "1h", "other", "other"), 0);
}

TEST_F(SubmitterStatsTest, WindowsExpireOnTheClock) {
  auto c = Make("{enabled: true}");
  MetricSet first = Run(*c, PostfixMessage("AAAA1", "alice", "192.0.2.4", 1) +
                                PostfixMessage("AAAA2", "alice", "192.0.2.4", 1));
  EXPECT_EQ(Value(first, "mailrep_submitter_messages", "1h", "sasl", "alice"), 2);
  clock_->Advance(std::chrono::minutes(61));
  MetricSet later = Run(*c, PostfixMessage("AAAA3", "alice", "192.0.2.4", 1));
  EXPECT_EQ(Value(later, "mailrep_submitter_messages", "1h", "sasl", "alice"), 1);
  EXPECT_EQ(Value(later, "mailrep_submitter_messages", "24h", "sasl", "alice"), 3);
  clock_->Advance(std::chrono::hours(25));
  MetricSet day = Run(*c, "");
  EXPECT_FALSE(Value(day, "mailrep_submitter_messages", "24h", "sasl", "alice"));
  EXPECT_EQ(Value(day, "mailrep_submitter_messages", "24h", "other", "other"), 0);
}

TEST_F(SubmitterStatsTest, EximLoginsAndLocalUsers) {
  t_.WriteFile("/logs/exim.log", "");
  auto c = Build(t_.path(),
                 "sources: [{path: /logs/exim.log, mta: exim, from_start: true}]\n"
                 "submitters: {enabled: true}\n",
                 clock_);
  ASSERT_OK(c);
  Append(t_.path() + "/logs/exim.log",
         "2026-12-07 10:00:00 1tK2aB-000Abc-Z1 <= alice@lab.example H=(client) [192.0.2.9] "
         "P=esmtpsa A=dovecot_plain:alice@lab.example S=1234 id=a1@lab.example\n"
         "2026-12-07 10:00:01 1tK2aB-000Abc-Z1 => x@gmail.com R=dnslookup T=remote_smtp "
         "H=gmail-smtp-in.l.google.com [142.250.1.27] C=\"250 2.0.0 OK\"\n"
         "2026-12-07 10:00:01 1tK2aB-000Abc-Z1 == d@soft.example R=dnslookup T=remote_smtp "
         "defer (-44) H=mx.soft.example [192.0.2.7]: SMTP error from remote mail server after "
         "RCPT TO:<d@soft.example>: 452 4.2.2 Mailbox full, try later\n"
         "2026-12-07 10:00:02 1tK2aB-000Abc-Z2 <= root@lab.example U=root P=local S=300 "
         "id=z@lab.example\n"
         "2026-12-07 10:00:03 1tK2aB-000Abc-Z2 => y@gmail.com R=dnslookup T=remote_smtp "
         "H=gmail-smtp-in.l.google.com [142.250.1.27] C=\"250 2.0.0 OK\"\n"
         "2026-12-07 10:00:03 1tK2aB-000Abc-Z2 Completed\n");
  MetricSet out;
  ASSERT_OK((*c)->Collect(TestContext(), &out));
  const std::string alice = "alice@lab.example";  // A=authenticator:id
  EXPECT_EQ(Value(out, "mailrep_submitter_messages", "1h", "sasl", alice), 1);
  EXPECT_EQ(Value(out, "mailrep_submitter_deferred_messages", "1h", "sasl", alice), 1);
  EXPECT_EQ(Value(out, "mailrep_submitter_messages", "1h", "local", "root"), 1);
}

TEST_F(SubmitterStatsTest, HashAndNoneLabels) {
  auto hashed = Make("{enabled: true, labels: hash, hash_key: k}");
  MetricSet out = Run(*hashed, PostfixMessage("AAAA1", "alice", "192.0.2.4", 1));
  std::string label = SubmitterLabel({SubmitterLabels::kHash, "k"}, SubmitterKind::kSasl, "alice");
  EXPECT_THAT(label, ::testing::StartsWith("h:"));
  EXPECT_EQ(Value(out, "mailrep_submitter_messages", "1h", "sasl", label), 1);
  EXPECT_FALSE(Value(out, "mailrep_submitter_messages", "1h", "sasl", "alice"));

  ScopedTempDir other;
  other.WriteFile("/logs/mail.log", PostfixMessage("AAAA1", "alice", "192.0.2.4", 1) +
                                        PostfixMessage("AAAA2", "bob", "192.0.2.4", 1));
  auto hidden = Build(other.path(),
                      "sources: [{path: /logs/mail.log, from_start: true}]\n"
                      "read_postfix_config: false\n"
                      "submitters: {enabled: true, labels: none}\n",
                      clock_);
  ASSERT_OK(hidden);
  MetricSet h;
  ASSERT_OK((*hidden)->Collect(TestContext(), &h));
  EXPECT_EQ(Value(h, "mailrep_submitter_messages", "1h", "sasl", "(hidden)"), 2);
}

TEST_F(SubmitterStatsTest, OptionErrors) {
  auto c = Build(t_.path(), "submitters: {enabled: true, labels: hash}\n", clock_);
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("submitters.hash_key"));
  c = Build(t_.path(), "submitters: {labels: names, top: 0}\n", clock_);
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("submitters.labels"));
  EXPECT_THAT(c.status().message(), HasSubstr("submitters.top"));
}

}  // namespace
}  // namespace mailrep
