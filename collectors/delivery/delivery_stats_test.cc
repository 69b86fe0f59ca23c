#include "collectors/delivery/delivery_stats.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include "collectors/delivery/line_parser.h"

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

}  // namespace
}  // namespace mailrep
