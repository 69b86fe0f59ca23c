#include "collectors/delivery/delivery_collector.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "collectors/host/seen_sending_ips.h"
#include "exporter/core/collector_testing.h"
#include "exporter/core/fake_clock.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using ::testing::HasSubstr;

StatusOr<std::unique_ptr<Collector>> Build(const std::string& root, const std::string& yaml,
                                           std::shared_ptr<SeenSendingIps> seen = nullptr,
                                           std::shared_ptr<const Clock> clock = Clock::Real(),
                                           std::shared_ptr<MessageIdIndex> message_ids = nullptr) {
  static Config config;
  static CollectorSettings settings;
  CollectorEnv env{config, settings, root};
  env.seen_sending_ips = std::move(seen);
  env.clock = std::move(clock);
  env.message_ids = std::move(message_ids);
  StatusOr<ConfigNode> options = ConfigNode::Parse(yaml, "test.yml");
  if (!options.ok()) return options.status();
  return NewDeliveryCollector(env, *options);
}

void Append(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::app) << text;
}

constexpr char kSent[] =
    "Nov 27 13:39:52 lab postfix-out1/smtp[1]: AAAAA1: to=<a@gmail.com>, "
    "relay=gmail-smtp-in.l.google.com[142.250.1.27]:25, delay=0.3, delays=0/0/0/0.3, "
    "dsn=2.0.0, status=sent (250 2.0.0 OK)\n";
constexpr char kBlocked[] =
    "Nov 27 13:39:53 lab postfix/smtp[1]: AAAAA3: to=<c@example.net>, relay=mx.example.net"
    "[192.0.2.5]:25, delay=2, delays=0/0/0/2, dsn=5.7.1, status=bounced (host said: 554 5.7.1 "
    "Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org)\n";

TEST(DeliveryCollectorTest, UnreadablePostfixConfigIsCounted) {
  ScopedTempDir t;
  t.WriteFile("/var/log/mail.log", "");
  t.MakeDir("/etc/postfix-out");  // no master.cf
  auto c = Build(t.path(),
                 "sources: [{path: /var/log/mail.log}]\n"
                 "postfix_config_directories: [/etc/postfix-out]\n");
  ASSERT_OK(c);
  MetricSet out;
  ASSERT_OK((*c)->Collect(TestContext(), &out));
  EXPECT_EQ(SampleValue(out, "mailrep_delivery_postfix_config_unreadable", {}), 1);
}

TEST(DeliveryCollectorTest, DefaultsToDetectedPostfixLogAndMasterCfIps) {
  ScopedTempDir t;
  t.WriteFile("/etc/postfix/main.cf", "smtp_bind_address = 192.0.2.1\n");
  t.WriteFile(
      "/etc/postfix/master.cf",
      "smtp unix - - y - - smtp\n"
      "out1 unix - - y - - smtp -o smtp_bind_address=192.0.2.10 -o syslog_name=postfix-out1\n");
  t.MakeDir("/var/spool/postfix");
  t.WriteFile("/var/log/mail.log", "old line before start\n");
  auto c = Build(t.path(), "");
  ASSERT_OK(c);
  MetricSet first;
  ASSERT_OK((*c)->Collect(TestContext(), &first));
  EXPECT_EQ(SampleValue(first, "mailrep_log_source_up", {{"source", "/var/log/mail.log"}}), 1);
  EXPECT_EQ(SampleValue(first, "mailrep_delivery_postfix_config_unreadable", {}), 0);
  EXPECT_EQ(SampleValue(first, "mailrep_log_lines_total",
                        {{"source", "/var/log/mail.log"}, {"result", "malformed"}}),
            0);  // started at the end

  Append(t.path() + "/var/log/mail.log", std::string(kSent) + kBlocked + "junk\n");
  MetricSet second;
  ASSERT_OK((*c)->Collect(TestContext(), &second));
  EXPECT_EQ(SampleValue(second, "mailrep_deliveries_total",
                        {{"mta", "postfix"},
                         {"sending_ip", "192.0.2.10"},
                         {"provider", "gmail"},
                         {"status", "sent"}}),
            1);
  EXPECT_EQ(SampleValue(second, "mailrep_delivery_rejections_total",
                        {{"sending_ip", "192.0.2.1"}, {"reason", "blocklist"}}),
            1);
  EXPECT_EQ(SampleValue(second, "mailrep_delivery_cited_blocklist_total",
                        {{"dnsbl", "zen.spamhaus.org"}}),
            1);
  EXPECT_EQ(SampleValue(second, "mailrep_log_lines_total",
                        {{"source", "/var/log/mail.log"}, {"result", "malformed"}}),
            1);

  // Counters are cumulative across runs.
  Append(t.path() + "/var/log/mail.log", kSent);
  MetricSet third;
  ASSERT_OK((*c)->Collect(TestContext(), &third));
  EXPECT_EQ(SampleValue(third, "mailrep_deliveries_total",
                        {{"sending_ip", "192.0.2.10"}, {"status", "sent"}}),
            2);
}

TEST(DeliveryCollectorTest, NoMtaReportsNothing) {
  ScopedTempDir t;
  auto c = Build(t.path(), "");
  ASSERT_OK(c);
  MetricSet set;
  ASSERT_OK((*c)->Collect(TestContext(), &set));
  EXPECT_EQ(set.series_count(), 0u);
}

TEST(DeliveryCollectorTest, ConfiguredSourcesMissingFileAndOverrides) {
  ScopedTempDir t;
  auto c = Build(t.path(),
                 "sources:\n"
                 "  - path: /logs/exim.log\n"
                 "    mta: exim\n"
                 "    from_start: true\n"
                 "providers:\n"
                 "  corp: [mx.corp.example]\n"
                 "postfix_sending_ips:\n"
                 "  postfix: 192.0.2.50\n"
                 "read_postfix_config: false\n");
  ASSERT_OK(c);
  MetricSet before;
  ASSERT_OK((*c)->Collect(TestContext(), &before));
  EXPECT_EQ(SampleValue(before, "mailrep_log_source_up", {{"source", "/logs/exim.log"}}), 0);
  t.WriteFile("/logs/exim.log",
              "2026-11-27 13:29:54 1xWw1L-0007rn-18 => b@corp.example R=r T=t H=a.mx.corp.example "
              "[192.0.2.9] I=[192.0.2.2]:1234\n");
  MetricSet after;
  ASSERT_OK((*c)->Collect(TestContext(), &after));
  EXPECT_EQ(SampleValue(after, "mailrep_log_source_up", {{"source", "/logs/exim.log"}}), 1);
  EXPECT_EQ(SampleValue(after, "mailrep_deliveries_total",
                        {{"mta", "exim"}, {"sending_ip", "192.0.2.2"}, {"provider", "corp"}}),
            1);
}

std::vector<std::string> SeenAddresses(const SeenSendingIps& seen, int64_t now) {
  std::vector<std::string> out;
  for (const SeenSendingIps::Entry& e : seen.Recent(now, std::chrono::hours(24))) {
    out.push_back(e.address.ToString());
  }
  return out;
}

TEST(DeliveryCollectorTest, RecordsTheSendingIpsOfParsedDeliveries) {
  ScopedTempDir t;
  t.WriteFile("/logs/mail.log", "");
  t.WriteFile("/logs/exim.log", "");
  auto seen = std::make_shared<SeenSendingIps>();
  auto clock = std::make_shared<FakeClock>();
  auto c = Build(t.path(),
                 "sources:\n"
                 "  - {path: /logs/mail.log, mta: postfix}\n"
                 "  - {path: /logs/exim.log, mta: exim}\n"
                 "postfix_sending_ips:\n"
                 "  postfix-out1: 11.22.33.44\n"  // public: kept
                 "  postfix: 10.0.0.25\n"         // private: ignored
                 "read_postfix_config: false\n",
                 seen, clock);
  ASSERT_OK(c);
  MetricSet first;
  ASSERT_OK((*c)->Collect(TestContext(), &first));
  EXPECT_THAT(SeenAddresses(*seen, clock->UnixSeconds()), ::testing::IsEmpty());

  clock->Advance(std::chrono::minutes(1));
  // kSent leaves as postfix-out1, kBlocked as postfix; the Exim line carries
  // its own I=; a line that is not a delivery records nothing.
  Append(t.path() + "/logs/mail.log", std::string(kSent) + kBlocked + kSent + "junk\n");
  Append(t.path() + "/logs/exim.log",
         "2026-11-27 13:29:54 1xWw1L-0007rn-18 => b@corp.example R=r T=t H=a.mx.corp.example "
         "[192.0.2.9] I=[2a01:4f8:0::25]:1234\n");
  MetricSet second;
  ASSERT_OK((*c)->Collect(TestContext(), &second));
  int64_t now = clock->UnixSeconds();
  EXPECT_EQ(SeenAddresses(*seen, now), (std::vector<std::string>{"11.22.33.44", "2a01:4f8::25"}));
  for (const SeenSendingIps::Entry& e : seen->Recent(now, std::chrono::hours(24))) {
    EXPECT_EQ(e.last_seen, now) << e.address.ToString();  // the run's time on the clock
  }
  EXPECT_EQ(seen->dropped(), 0u);
}

TEST(DeliveryCollectorTest, JournalSource) {
  const char* remote = "/lib/systemd/systemd-journal-remote";
  if (!JournalReader::Available() || access(remote, X_OK) != 0) {
    GTEST_SKIP() << "needs libsystemd and systemd-journal-remote";
  }
  ScopedTempDir t;
  t.MakeDir("/journal");
  std::string cmd =
      std::string(remote) + " --output=" + t.path() + "/journal/system.journal - 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "w");
  ASSERT_NE(p, nullptr);
  std::string message(kBlocked);
  message = message.substr(message.find("AAAAA3"));
  message.pop_back();  // newline
  std::fprintf(p,
               "__REALTIME_TIMESTAMP=1795785592000000\n__MONOTONIC_TIMESTAMP=1000\n"
               "_BOOT_ID=0123456789abcdef0123456789abcdef\nSYSLOG_IDENTIFIER=postfix/smtp\n"
               "_PID=7\nMESSAGE=%s\n\n",
               message.c_str());
  ASSERT_EQ(pclose(p), 0);
  auto c = Build(t.path(),
                 "sources:\n"
                 "  - journal: {identifiers: [postfix/smtp], directory: /journal}\n"
                 "    from_start: true\n"
                 "read_postfix_config: false\n");
  ASSERT_OK(c);
  MetricSet set;
  ASSERT_OK((*c)->Collect(TestContext(), &set));
  EXPECT_EQ(SampleValue(set, "mailrep_log_source_up", {{"source", "journal:postfix/smtp"}}), 1);
  EXPECT_EQ(SampleValue(set, "mailrep_delivery_rejections_total", {{"reason", "blocklist"}}), 1);
  EXPECT_EQ(SampleValue(set, "mailrep_log_lines_total",
                        {{"source", "journal:postfix/smtp"}, {"result", "parsed"}}),
            1);
}

std::optional<double> Sent(const MetricSet& set) {
  return SampleValue(set, "mailrep_deliveries_total", {{"status", "sent"}});
}

// A reload that changes the collector's config: the new instance takes over
// the old one's file positions and counters for the files it still follows.
TEST(DeliveryCollectorTest, ReloadHandsOverFollowersAndCounters) {
  ScopedTempDir t;
  std::string a = t.path() + "/var/log/a.log";
  std::string b = t.path() + "/var/log/b.log";
  t.WriteFile("/var/log/a.log", kSent);
  t.WriteFile("/var/log/b.log", kSent);
  auto old = Build(t.path(),
                   "sources: [{path: /var/log/a.log, from_start: true, mta: postfix},"
                   " {path: /var/log/b.log}]\nread_postfix_config: false\n");
  ASSERT_OK(old);
  MetricSet first;
  ASSERT_OK((*old)->Collect(TestContext(), &first));
  EXPECT_EQ(Sent(first), 1);  // a from its start; b from its end
  Append(a, std::string(kSent) + kSent);
  Append(b, kSent);
  Append(a, std::string(kSent).substr(0, 40));  // a line half written at the reload

  auto next = Build(t.path(),
                    "sources: [{path: /var/log/a.log, from_start: true, mta: postfix}]\n"
                    "providers: {example: [example.net]}\nread_postfix_config: false\n");
  ASSERT_OK(next);
  (*next)->AdoptState(**old);
  old->reset();
  Append(a, std::string(kSent).substr(40));
  MetricSet second;
  ASSERT_OK((*next)->Collect(TestContext(), &second));
  EXPECT_EQ(Sent(second), 4) << "a: 1 before, 3 since, none lost nor counted twice";
  EXPECT_EQ(SampleValue(second, "mailrep_log_lines_total",
                        {{"source", "/var/log/a.log"}, {"result", "parsed"}}),
            4);
  EXPECT_EQ(SampleValue(second, "mailrep_log_lines_total", {{"source", "/var/log/b.log"}}),
            std::nullopt)
      << "a source no longer configured drops its line counts";

  // A source added by the reload starts as at start-up (here: at its end).
  auto third = Build(t.path(),
                     "sources: [{path: /var/log/a.log, mta: postfix}, {path: /var/log/b.log}]\n"
                     "read_postfix_config: false\n");
  ASSERT_OK(third);
  (*third)->AdoptState(**next);
  Append(a, kSent);
  MetricSet fourth;
  ASSERT_OK((*third)->Collect(TestContext(), &fourth));
  EXPECT_EQ(Sent(fourth), 5);
  EXPECT_EQ(SampleValue(fourth, "mailrep_log_lines_total",
                        {{"source", "/var/log/b.log"}, {"result", "parsed"}}),
            0);
}

TEST(DeliveryCollectorTest, IndexesTheMessagesSentByMessageIdAcrossAReload) {
  ScopedTempDir t;
  t.WriteFile("/logs/mail.log", "");
  auto index = std::make_shared<MessageIdIndex>();
  auto clock = std::make_shared<FakeClock>();
  const std::string yaml =
      "sources: [{path: /logs/mail.log, mta: postfix}]\n"
      "postfix_sending_ips: {postfix-out1: 192.0.2.10}\n"
      "read_postfix_config: false\n"
      "message_ids: {max: 5, max_age: 1d}\n";
  auto old = Build(t.path(), yaml, nullptr, clock, index);
  ASSERT_OK(old);
  MetricSet first;
  ASSERT_OK((*old)->Collect(TestContext(), &first));
  EXPECT_EQ(SampleValue(first, "mailrep_delivery_message_ids", {}), 0);
  // The Message-ID is logged before the reload, the delivery after it.
  Append(t.path() + "/logs/mail.log",
         "Nov 27 13:39:50 lab postfix/pickup[1]: AAAAA1: uid=1000 from=<a>\n"
         "Nov 27 13:39:50 lab postfix/cleanup[1]: AAAAA1: message-id=<m1@lab.example>\n");
  MetricSet before_reload;
  ASSERT_OK((*old)->Collect(TestContext(), &before_reload));
  auto next = Build(t.path(), yaml, nullptr, clock, index);
  ASSERT_OK(next);
  (*next)->AdoptState(**old);
  old->reset();
  Append(t.path() + "/logs/mail.log",
         std::string(kSent) + "Nov 27 13:39:52 lab postfix/qmgr[1]: AAAAA1: removed\n");
  MetricSet second;
  ASSERT_OK((*next)->Collect(TestContext(), &second));
  std::optional<MessageIdIndex::Entry> e = index->Find("<m1@LAB.example>", clock->UnixSeconds());
  ASSERT_TRUE(e);
  EXPECT_EQ(e->sending_ip, "192.0.2.10");
  EXPECT_EQ(e->queue_id, "AAAAA1");
  EXPECT_EQ(e->submitter, "uid=1000");
  EXPECT_EQ(SampleValue(second, "mailrep_delivery_message_ids", {}), 1);
  EXPECT_EQ(SampleValue(second, "mailrep_delivery_message_ids_evicted_total", {}), 0);
  EXPECT_EQ(SampleValue(second, "mailrep_log_lines_total",
                        {{"source", "/logs/mail.log"}, {"result", "ignored"}}),
            3)
      << "lines that trace a message still count as not a delivery";

  clock->Advance(std::chrono::hours(25));  // past max_age
  MetricSet third;
  ASSERT_OK((*next)->Collect(TestContext(), &third));
  EXPECT_EQ(SampleValue(third, "mailrep_delivery_message_ids", {}), 0);
}

TEST(DeliveryCollectorTest, OptionErrorsNameTheKey) {
  ScopedTempDir t;
  auto c = Build(t.path(),
                 "sources:\n"
                 "  - path: relative.log\n"
                 "    mta: exchange\n"
                 "  - journal: {directory: /x}\n"
                 "postfix_sending_ips:\n"
                 "  postfix: not-an-ip\n"
                 "bogus: 1\n");
  ASSERT_FALSE(c.ok());
  std::string m = c.status().message();
  EXPECT_THAT(m, HasSubstr("sources[0].path"));
  EXPECT_THAT(m, HasSubstr("exchange"));
  EXPECT_THAT(m, HasSubstr("sources[1].journal: want identifiers"));
  EXPECT_THAT(m, HasSubstr("not-an-ip"));
  EXPECT_THAT(m, HasSubstr("bogus"));
}

}  // namespace
}  // namespace mailrep
