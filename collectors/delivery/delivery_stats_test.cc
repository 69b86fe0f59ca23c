#include "collectors/delivery/delivery_stats.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <map>

#include "collectors/delivery/line_parser.h"
#include "collectors/delivery/log_text.h"
#include "exporter/util/ascii.h"

namespace mailrep {
namespace {

std::string Render(const DeliveryStats& stats, const std::vector<std::string>& sources) {
  MetricSet set;
  stats.WriteMetrics(sources, &set);
  std::vector<prometheus::MetricFamily> families = std::move(set).Take();
  return prometheus::TextSerializer().Serialize(families);
}

bool Contains(const std::string& text, const std::string& want) {
  return text.find(want) != std::string::npos;
}

TEST(DeliveryStatsTest, CountsWithBoundedLabels) {
  ProviderMap providers;
  SendingIpMap ips{{"postfix-out1/smtp", "192.0.2.10"}};
  DeliveryStats stats(&providers, &RejectionClassifier::Default(), &ips);
  LineParser parser;
  const char* lines[] = {
      ("Nov 27 13:39:52 lab postfix-out1/smtp[1]: AAAAA1: to=<a@gmail.com>, "
       "relay=gmail-smtp-in.l.google.com[142.250.1.27]:25, delay=0.3, delays=0/0/0/0.3, "
       "dsn=2.0.0, status=sent (250 2.0.0 OK)"),
      ("Nov 27 13:39:52 lab postfix-out1/smtp[1]: AAAAA2: to=<b@outlook.com>, "
       "relay=x.olc.protection.outlook.com[192.0.2.99]:25, delay=7200, delays=0/0/0/0.3, "
       "dsn=5.7.1, status=bounced (host x said: 550 5.7.1 Unfortunately, messages from "
       "[192.0.2.10] weren't sent. Please contact your Internet service provider since part of "
       "their network is on our block list (S3150).)"),
      ("Nov 27 13:39:52 lab postfix/smtp[1]: AAAAA3: to=<c@example.net>, relay=mx.example.net"
       "[192.0.2.5]:25, delay=2, delays=0/0/0/2, dsn=5.7.1, status=bounced (host said: 554 5.7.1 "
       "Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org)"),
      ("2026-11-27 13:29:54 1xWw1L-0007rn-18 => b@yahoo.com R=r T=t H=mta5.am0.yahoodns.net "
       "[192.0.2.77] I=[192.0.2.2]:1234 QT=2s"),
      "garbage",
      "Nov 27 13:39:52 lab postfix/qmgr[1]: AAAAA1: removed",
  };
  for (const char* line : lines) {
    DeliveryEvent e;
    LineResult r = parser.Parse(line, &e);
    stats.AddLine("/var/log/mail.log", r);
    if (r == LineResult::kParsed) stats.AddEvent(e);
  }
  std::string text = Render(stats, {"/var/log/mail.log", "/var/log/other.log"});
  EXPECT_TRUE(Contains(text,
                       "mailrep_deliveries_total{mta=\"postfix\",sending_ip=\"192.0.2.10\","
                       "status=\"sent\",provider=\"gmail\"} 1"))
      << text;
  EXPECT_TRUE(Contains(text,
                       "mailrep_deliveries_total{mta=\"postfix\",sending_ip=\"unknown\","
                       "status=\"bounced\",provider=\"other\"} 1"));
  EXPECT_TRUE(Contains(text,
                       "mailrep_deliveries_total{mta=\"exim\",sending_ip=\"192.0.2.2\","
                       "status=\"sent\",provider=\"yahoo\"} 1"));
  EXPECT_TRUE(Contains(text,
                       "mailrep_delivery_rejections_total{mta=\"postfix\",sending_ip=\""
                       "192.0.2.10\",provider=\"outlook\",reason=\"blocklist\"} 1"));
  EXPECT_TRUE(Contains(text, "mailrep_delivery_cited_blocklist_total{dnsbl=\"outlook\"} 1"));
  EXPECT_TRUE(
      Contains(text, "mailrep_delivery_cited_blocklist_total{dnsbl=\"zen.spamhaus.org\"} 1"));
  EXPECT_TRUE(Contains(text, "# TYPE mailrep_delivery_delay_seconds histogram"));
  EXPECT_TRUE(Contains(text,
                       "mailrep_delivery_delay_seconds_bucket{mta=\"postfix\",status=\""
                       "bounced\",le=\"5\"} 1"));
  EXPECT_TRUE(Contains(text,
                       "mailrep_delivery_delay_seconds_bucket{mta=\"postfix\",status=\""
                       "bounced\",le=\"+Inf\"} 2"));
  EXPECT_TRUE(Contains(text,
                       "mailrep_delivery_delay_seconds_sum{mta=\"postfix\",status=\""
                       "bounced\"} 7202"));
  EXPECT_TRUE(
      Contains(text, "mailrep_log_lines_total{source=\"/var/log/mail.log\",result=\"parsed\"} 4"));
  EXPECT_TRUE(Contains(
      text, "mailrep_log_lines_total{source=\"/var/log/mail.log\",result=\"malformed\"} 1"));
  EXPECT_TRUE(
      Contains(text, "mailrep_log_lines_total{source=\"/var/log/mail.log\",result=\"ignored\"} 1"));
  EXPECT_TRUE(Contains(
      text, "mailrep_log_lines_total{source=\"/var/log/other.log\",result=\"malformed\"} 0"));
  EXPECT_EQ(stats.lines(LineResult::kParsed), 4u);
}

TEST(DeliveryStatsTest, SendingIpsAreCapped) {
  ProviderMap providers;
  DeliveryStats stats(&providers, &RejectionClassifier::Default(), nullptr);
  for (int i = 0; i < 100; ++i) {
    DeliveryEvent e;
    e.mta = "opensmtpd";
    e.sending_ip = "10.0.0." + std::to_string(i);
    stats.AddEvent(e);
  }
  DeliveryEvent bad;
  bad.mta = "exim";
  bad.sending_ip = "not-an-ip";
  EXPECT_EQ(stats.AddEvent(bad).sending_ip, "unknown");
  EXPECT_EQ(stats.deliveries().size(), DeliveryStats::kMaxSendingIps + 2);
}

// The per-line caches (relay host, reply text, syslog tag, label set) must not
// change any result, also when more distinct keys than cache slots alternate.
TEST(DeliveryStatsTest, CachesKeepResults) {
  ProviderMap providers;
  const RejectionClassifier& classifier = RejectionClassifier::Default();
  SendingIpMap ips;
  for (int i = 0; i < 80; ++i) {
    ips["postfix-out" + std::to_string(i) + "/smtp"] = "192.0.2." + std::to_string(i);
  }
  DeliveryStats stats(&providers, &classifier, &ips);
  const char* hosts[] = {"gmail-smtp-in.l.google.com", "MTA7.am0.yahoodns.net", "192.0.2.9",
                         "mx.example.test", ""};
  const char* replies[] = {"550 5.7.1 blocked using zen.spamhaus.org", "452 4.2.2 Mailbox full",
                           "421 4.7.0 Try again later", "554 5.7.1 listed at bl.spamcop.net"};
  std::map<std::string, std::string> ip_of_tag;
  uint64_t bounced = 0;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 700; ++i) {
      DeliveryEvent e;
      e.mta = "postfix";
      e.status = i % 3 == 0 ? DeliveryStatus::kSent : DeliveryStatus::kBounced;
      e.syslog_tag = "postfix-out" + std::to_string(i % 90) + "/smtp";
      e.relay_host = i % 7 == 6 ? "mx" + std::to_string(i) + ".Outlook.com" : hosts[i % 5];
      e.recipient = "u" + std::to_string(i) + (i % 2 ? "@GMAIL.com." : "@example.net");
      e.reply = std::string(replies[i % 4]) + (i % 11 == 0 ? " id " + std::to_string(i) : "");
      e.dsn = i % 13 == 0 ? "5.7.26" : "";
      e.delay_seconds = i % 5 == 0 ? -1 : i;
      ResolvedDelivery r = stats.AddEvent(e);
      SCOPED_TRACE(i);
      EXPECT_EQ(r.provider, providers.Lookup(e.relay_host, MailAddressDomain(e.recipient)));
      std::string& ip = ip_of_tag[e.syslog_tag];
      if (ip.empty()) ip = r.sending_ip;
      EXPECT_EQ(r.sending_ip, ip);  // the same answer for a tag every time
      if (e.status == DeliveryStatus::kBounced) {
        ++bounced;
        RejectionClass c = classifier.Classify(e.reply, e.dsn);
        EXPECT_EQ(r.reason, ReplyReasonName(c.reason));
        EXPECT_EQ(r.cited_blocklist, c.cited_blocklist);
      }
    }
  }
  size_t known = 0, other = 0, unknown = 0;
  for (const auto& [tag, ip] : ip_of_tag) {
    if (ip == "other") {
      ++other;
    } else if (ip == "unknown") {
      ++unknown;  // tags 80..89 are not in the map
    } else {
      ++known;
      EXPECT_EQ(ip, LookUpSendingIp(ips, tag));
    }
  }
  EXPECT_EQ(known, DeliveryStats::kMaxSendingIps);
  EXPECT_EQ(other, 80 - DeliveryStats::kMaxSendingIps);
  EXPECT_EQ(unknown, 10u);
  uint64_t total = 0, rejected = 0;
  for (const auto& [key, n] : stats.deliveries()) total += n;
  for (const auto& [key, n] : stats.rejections()) rejected += n;
  EXPECT_EQ(total, 3u * 700);
  EXPECT_EQ(rejected, bounced);
}

}  // namespace
}  // namespace mailrep
