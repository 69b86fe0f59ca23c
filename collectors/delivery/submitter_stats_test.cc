#include "collectors/delivery/submitter_stats.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <random>
#include <set>
#include <string>

#include "collectors/delivery/delivery_collector.h"
#include "collectors/delivery/message_tracer.h"
#include "collectors/delivery/submitter_distincts.h"
#include "collectors/sketch/hash64.h"
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

// A Postfix smtp line for `recipient` of message `queue_id`.
std::string Delivery(const std::string& queue_id, const std::string& recipient,
                     const std::string& status) {
  bool sent = status.starts_with("sent");
  return "Dec  7 10:00:01 lab postfix/smtp[3]: AAAA" + queue_id + ": to=<" + recipient +
         ">, relay=mx.example.net[192.0.2.5]:25, delay=1, delays=0/0/0/1, dsn=" +
         (sent ? "2.0.0" : "4.2.2") + ", status=" + status + "\n";
}

std::string Smtpd(const std::string& queue_id, const std::string& sasl,
                  const std::string& client_ip) {
  std::string text = "Dec  7 10:00:00 lab postfix/submission/smtpd[1]: AAAA" + queue_id +
                     ": client=c.example[" + client_ip + "]";
  if (!sasl.empty()) text += ", sasl_method=PLAIN, sasl_username=" + sasl;
  return text + "\n";
}

std::string Removed(const std::string& queue_id) {
  return "Dec  7 10:00:02 lab postfix/qmgr[2]: AAAA" + queue_id + ": removed\n";
}

constexpr char kDeferred[] = "deferred (host said: 452 4.2.2 Mailbox full)";

TEST_F(SubmitterStatsTest, RecipientsCountEachRecipientOncePerMessage) {
  auto c = Make("{enabled: true}");
  // Three recipients: one deferred twice then sent, one deferred and still
  // waiting, one sent at once; then a second message to the same address.
  std::string lines =
      Smtpd("R1", "alice", "192.0.2.4") + Delivery("R1", "a@one.example", kDeferred) +
      Delivery("R1", "b@one.example", kDeferred) + Delivery("R1", "c@two.example", "sent (250 OK)");
  MetricSet first = Run(*c, lines);
  const std::string r = "mailrep_submitter_recipients";
  EXPECT_EQ(Value(first, r, "1h", "sasl", "alice"), 3);
  lines = Delivery("R1", "a@one.example", kDeferred) +
          Delivery("R1", "a@one.example", "sent (250 OK)") + Removed("R1") +
          Smtpd("R2", "alice", "192.0.2.4") + Delivery("R2", "a@one.example", "sent (250 OK)") +
          Removed("R2");
  MetricSet out = Run(*c, lines);
  EXPECT_EQ(Value(out, r, "1h", "sasl", "alice"), 4) << "a@ once per message: R1 and R2";
  EXPECT_EQ(Value(out, "mailrep_submitter_messages", "1h", "sasl", "alice"), 2);
  EXPECT_EQ(Value(out, r, "24h", "sasl", "alice"), 4);
  EXPECT_EQ(Value(out, r, "1h", "other", "other"), 0);
  // Untraced: each outcome counts, as unknown (here in other: top 1).
  auto one = Make("{enabled: true, top: 1}");
  MetricSet u = Run(*one, PostfixMessage("TTTT1", "alice", "192.0.2.4", 2) +
                              PostfixMessage("TTTT2", "alice", "192.0.2.4", 2) +
                              PostfixMessage("TTTT3", "alice", "192.0.2.4", 2) +
                              Delivery("U1", "x@three.example", kDeferred) +
                              Delivery("U1", "x@three.example", kDeferred));
  EXPECT_EQ(Value(u, r, "1h", "sasl", "alice"), 6);
  EXPECT_EQ(Value(u, r, "1h", "other", "other"), 2);
}

TEST_F(SubmitterStatsTest, MoreDeferredRecipientsThanRememberedCountAtTheirFinalOutcome) {
  auto c = Make("{enabled: true}");
  const int n = static_cast<int>(MessageTracer::kMaxDeferredRecipients) + 5;
  std::string lines = Smtpd("M1", "bob", "192.0.2.4");
  for (int i = 0; i < n; ++i)
    lines += Delivery("M1", "r" + std::to_string(i) + "@x.example", kDeferred);
  for (int i = 0; i < n; ++i)
    lines += Delivery("M1", "r" + std::to_string(i) + "@x.example", kDeferred);
  MetricSet deferred = Run(*c, lines);
  EXPECT_EQ(Value(deferred, "mailrep_submitter_recipients", "1h", "sasl", "bob"),
            MessageTracer::kMaxDeferredRecipients);
  lines.clear();
  for (int i = 0; i < n; ++i) {
    lines += Delivery("M1", "r" + std::to_string(i) + "@x.example", "sent (250 OK)");
  }
  MetricSet sent = Run(*c, lines + Removed("M1"));
  EXPECT_EQ(Value(sent, "mailrep_submitter_recipients", "1h", "sasl", "bob"), n);
}

TEST_F(SubmitterStatsTest, DistinctClientAddressesAndRecipientDomains) {
  auto c = Make("{enabled: true}");
  std::string lines;
  // alice: 7 messages from 3 addresses to 5 domains (case differs); a client
  // submitter; a local one (no client).
  const char* ips[] = {"192.0.2.1", "192.0.2.2", "192.0.2.3"};
  const char* domains[] = {"a.example", "B.example", "b.EXAMPLE", "c.example",
                           "d.example", "e.example", "a.example"};
  for (int i = 0; i < 7; ++i) {
    std::string q = "D" + std::to_string(i);
    lines += Smtpd(q, "alice", ips[i % 3]) +
             Delivery(q, "u@" + std::string(domains[i]), "sent (250 OK)") + Removed(q);
  }
  lines += Smtpd("E1", "", "198.51.100.7") + Delivery("E1", "u@a.example", "sent (250 OK)") +
           Removed("E1");
  lines += "Dec  7 10:00:00 lab postfix/pickup[4]: AAAAF1: uid=1000 from=<carol>\n" +
           Delivery("F1", "u@f.example", "sent (250 OK)") + Removed("F1");
  MetricSet out = Run(*c, lines);
  const std::string ipf = "mailrep_submitter_client_ips",
                    dom = "mailrep_submitter_recipient_domains";
  EXPECT_EQ(Value(out, ipf, "1h", "sasl", "alice"), 3);
  EXPECT_EQ(Value(out, ipf, "24h", "sasl", "alice"), 3);
  EXPECT_EQ(Value(out, dom, "1h", "sasl", "alice"), 5);
  EXPECT_EQ(Value(out, ipf, "1h", "client", "198.51.100.7"), 1) << "by definition";
  EXPECT_EQ(Value(out, dom, "1h", "client", "198.51.100.7"), 1);
  EXPECT_EQ(Value(out, ipf, "1h", "local", "uid=1000"), 0);
  EXPECT_EQ(Value(out, dom, "1h", "local", "uid=1000"), 1);
  EXPECT_FALSE(Value(out, ipf, "1h", "other", "other")) << "distinct counts do not add up";
  EXPECT_FALSE(Value(out, dom, "1h", "other", "other"));
  EXPECT_EQ(Value(out, "mailrep_submitter_recipients", "1h", "other", "other"), 0);

  // The hour forgets, the day keeps; a later bucket adds to the union.
  clock_->Advance(std::chrono::minutes(61));
  MetricSet later = Run(*c, Smtpd("G1", "alice", "192.0.2.9") +
                                Delivery("G1", "u@a.example", "sent (250 OK)") + Removed("G1"));
  EXPECT_EQ(Value(later, ipf, "1h", "sasl", "alice"), 1);
  EXPECT_EQ(Value(later, dom, "1h", "sasl", "alice"), 1);
  EXPECT_EQ(Value(later, ipf, "24h", "sasl", "alice"), 4);
  EXPECT_EQ(Value(later, dom, "24h", "sasl", "alice"), 5);
}

TEST_F(SubmitterStatsTest, DistinctCountsAgainstExactCounts) {
  auto c = Make("{enabled: true, top: 30}");
  std::mt19937 rng(7);
  std::map<std::string, std::set<std::string>> exact_ips, exact_domains;
  std::string lines;
  int q = 0;
  for (int user = 0; user < 30; ++user) {
    std::string name = "user" + std::to_string(user);
    // From 1 to ~400 addresses and domains: exact at the low end, within the
    // HyperLogLog's error (6.5 %, 3 sigma: 20 %) at the high end.
    int messages = 40 + 13 * user * user / 2;
    int ip_pool = 1 + user * user / 2, domain_pool = 1 + user * 14;
    for (int m = 0; m < messages; ++m) {
      std::string id = "Q" + std::to_string(q++);
      std::string ip = "10.1." + std::to_string(user) + "." + std::to_string(rng() % ip_pool);
      std::string domain = "d" + std::to_string(rng() % domain_pool) + ".example";
      exact_ips[name].insert(ip);
      exact_domains[name].insert(domain);
      lines += Smtpd(id, name, ip) + Delivery(id, "r@" + domain, "sent (250 OK)") + Removed(id);
    }
  }
  MetricSet out = Run(*c, lines);
  for (const auto& [name, ips] : exact_ips) {
    double n = static_cast<double>(ips.size());
    double d = static_cast<double>(exact_domains[name].size());
    std::optional<double> got_ips = Value(out, "mailrep_submitter_client_ips", "1h", "sasl", name);
    std::optional<double> got_domains =
        Value(out, "mailrep_submitter_recipient_domains", "1h", "sasl", name);
    ASSERT_TRUE(got_ips && got_domains) << name;
    if (n <= 8) {
      EXPECT_EQ(*got_ips, n) << name;
    } else {
      EXPECT_NEAR(*got_ips, n, 0.2 * n) << name;
    }
    if (d <= 8) {
      EXPECT_EQ(*got_domains, d) << name;
    } else {
      EXPECT_NEAR(*got_domains, d, 0.2 * d) << name;
    }
  }
}

TEST_F(SubmitterStatsTest, NoneLabelsUniteTheDistinctItemsOfARow) {
  auto c = Make("{enabled: true, labels: none}");
  MetricSet out =
      Run(*c, Smtpd("H1", "alice", "192.0.2.1") + Delivery("H1", "u@a.example", "sent (250 OK)") +
                  Removed("H1") + Smtpd("H2", "bob", "192.0.2.1") +
                  Delivery("H2", "u@b.example", "sent (250 OK)") + Removed("H2") +
                  Smtpd("H3", "", "198.51.100.1") + Delivery("H3", "u@b.example", "sent (250 OK)") +
                  Removed("H3") + Smtpd("H4", "", "198.51.100.2") +
                  Delivery("H4", "u@b.example", "sent (250 OK)") + Removed("H4"));
  EXPECT_EQ(Value(out, "mailrep_submitter_client_ips", "1h", "sasl", "(hidden)"), 1);
  EXPECT_EQ(Value(out, "mailrep_submitter_recipient_domains", "1h", "sasl", "(hidden)"), 2);
  EXPECT_EQ(Value(out, "mailrep_submitter_client_ips", "1h", "client", "(hidden)"), 2);
}

TEST(SubmitterDistinctsTest, KeepsTheBusiestAndStaysBounded) {
  SubmitterDistincts d;
  // Keys 1..kKeep are busy; then many one-message keys pass through.
  for (uint64_t k = 1; k <= SubmitterDistincts::kKeep; ++k) {
    ASSERT_TRUE(d.Touch(k * 0x9e3779b97f4a7c15ULL, 100 + k));
  }
  for (uint64_t k = 1000; k < 20000; ++k) {
    d.Touch(k * 0x9e3779b97f4a7c15ULL, 1);
    ASSERT_LE(d.size(), SubmitterDistincts::kMaxKeys);
  }
  for (uint64_t k = 1; k < SubmitterDistincts::kKeep; ++k) {
    EXPECT_NE(d.Find(k * 0x9e3779b97f4a7c15ULL), nullptr) << k;
  }
  // Full registers everywhere: the documented worst case per bucket.
  SubmitterDistincts full;
  for (uint64_t k = 1; k <= SubmitterDistincts::kMaxKeys; ++k) {
    full.Touch(k, 1);
    SubmitterDistincts::Entry* e = full.Find(k);
    for (uint64_t i = 0; i < 1000; ++i) {
      e->client_ips.AddHash(Mix64(k << 20 | i));
      e->recipient_domains.AddHash(Mix64(k << 21 | i));
    }
  }
  EXPECT_LE(full.MemoryBytes(), size_t{160} << 10);
  full.Clear();
  EXPECT_EQ(full.size(), 0u);
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
