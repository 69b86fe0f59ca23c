#include "collectors/snds/snds_report.h"

#include <gtest/gtest.h>

#include "collectors/snds/snds_testdata.h"

namespace mailrep {
namespace {

using testing::SndsTestdata;

TEST(SndsReportTest, IpDataByPosition) {
  SndsParsed<SndsIpDataRow> p = ParseSndsIpData(SndsTestdata("ip_data.csv"));
  ASSERT_TRUE(p.ok()) << p.detail;
  ASSERT_EQ(p.rows.size(), 4u);
  const SndsIpDataRow& a = p.rows[0];
  EXPECT_EQ(a.ip.ToString(), "192.0.2.10");
  EXPECT_EQ(a.activity_start, 1796025600);  // 2026-11-30 08:00 UTC
  EXPECT_EQ(a.activity_end, 1796025600 + 86400 - 60);
  EXPECT_EQ(a.rcpt_commands, 2410u);
  EXPECT_EQ(a.data_commands, 2398u);
  EXPECT_EQ(a.message_recipients, 2405u);
  EXPECT_EQ(a.filter_result, SndsFilterResult::kGreen);
  EXPECT_DOUBLE_EQ(a.complaint_rate, 0.001);
  EXPECT_TRUE(a.complaint_rate_is_bound);
  EXPECT_FALSE(a.trap_start.has_value());
  EXPECT_EQ(a.trap_hits, 0u);
  EXPECT_EQ(a.sample_helo, "mail.example.com");
  EXPECT_EQ(a.sample_mail_from, "bounce@example.com");
  const SndsIpDataRow& b = p.rows[1];
  EXPECT_EQ(b.filter_result, SndsFilterResult::kYellow);
  EXPECT_DOUBLE_EQ(b.complaint_rate, 0.004);
  EXPECT_FALSE(b.complaint_rate_is_bound);
  ASSERT_TRUE(b.trap_start.has_value());
  EXPECT_EQ(*b.trap_end - *b.trap_start, 5 * 3600 + 45 * 60);
  EXPECT_EQ(b.trap_hits, 3u);
  EXPECT_EQ(p.rows[2].filter_result, SndsFilterResult::kRed);
  EXPECT_EQ(p.rows[2].comments, "JMR Block, 12 complaints");
}

TEST(SndsReportTest, IpDataByHeaderInAnyOrder) {
  SndsParsed<SndsIpDataRow> p = ParseSndsIpData(SndsTestdata("ip_data_header.csv"));
  ASSERT_TRUE(p.ok()) << p.detail;
  EXPECT_EQ(p.rows.size(), 4u);
  p = ParseSndsIpData(SndsTestdata("ip_data_reordered.csv"));
  ASSERT_TRUE(p.ok()) << p.detail;
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(p.rows[0].ip.ToString(), "192.0.2.10");
  EXPECT_EQ(p.rows[0].filter_result, SndsFilterResult::kRed);
  EXPECT_DOUBLE_EQ(p.rows[0].complaint_rate, 0.12);
  EXPECT_EQ(p.rows[0].trap_hits, 2u);
  EXPECT_EQ(p.rows[0].rcpt_commands, 920u);
  EXPECT_EQ(p.rows[0].message_recipients, 900u);
}

TEST(SndsReportTest, RejectsTheWholeFile) {
  const std::string good = SndsTestdata("ip_data.csv");
  struct Case {
    std::string text;
    SndsInvalidReason reason;
  } cases[] = {
      {SndsTestdata("login.html"), SndsInvalidReason::kHtml},
      {"  \r\n<html><body>x</body></html>", SndsInvalidReason::kHtml},
      {"IP Address,Filter Result\r\n", SndsInvalidReason::kBadHeader},
      // Columns moved without a header: the colour is where the rate was.
      {"192.0.2.10,11/30/2026 8:00 AM,12/1/2026 7:59 AM,1,1,1,< 0.1%,GREEN,,,0,,,\r\n",
       SndsInvalidReason::kBadRow},
      {"192.0.2.10,11/30/2026 8:00 AM,12/1/2026 7:59 AM,1,1,1,BLUE,< 0.1%,,,0,,,\r\n",
       SndsInvalidReason::kBadRow},
      {"192.0.2.999,11/30/2026 8:00 AM,12/1/2026 7:59 AM,1,1,1,RED,1%,,,0,,,\r\n",
       SndsInvalidReason::kBadRow},
      {"192.0.2.1,13/30/2026 8:00 AM,12/1/2026 7:59 AM,1,1,1,RED,1%,,,0,,,\r\n",
       SndsInvalidReason::kBadRow},
      {"192.0.2.1,11/30/2026 8:00 AM,12/1/2026 7:59 AM,-1,1,1,RED,1%,,,0,,,\r\n",
       SndsInvalidReason::kBadRow},
      {"192.0.2.1,11/30/2026 8:00 AM,12/1/2026 7:59 AM,1,1,1,RED,150%,,,0,,,\r\n",
       SndsInvalidReason::kBadRow},
      {"192.0.2.1,11/30/2026\r\n", SndsInvalidReason::kBadRow},
      // A body cut mid-row: no line end after the last, short row.
      {good.substr(0, good.size() - 60), SndsInvalidReason::kTruncated},
      {good + "192.0.2.13,11/30/2026 8:00 AM,12/1/2026 7:59 AM,1,1,1,RED,\"1%",
       SndsInvalidReason::kTruncated},
  };
  for (const Case& c : cases) {
    SndsParsed<SndsIpDataRow> p = ParseSndsIpData(c.text);
    ASSERT_FALSE(p.ok()) << c.text;
    EXPECT_EQ(*p.invalid, c.reason) << c.text << "\n" << p.detail;
    EXPECT_TRUE(p.rows.empty());
  }
}

TEST(SndsReportTest, InjectedLabelTextIsNotAnAddress) {
  SndsParsed<SndsIpDataRow> p = ParseSndsIpData(
      "192.0.2.1\",evil=\"x,11/30/2026 8:00 AM,12/1/2026 7:59 AM,1,1,1,RED,1%,,,0,,,\r\n");
  EXPECT_FALSE(p.ok());
}

TEST(SndsReportTest, EmptyIsNoRows) {
  for (const char* text : {"", "\r\n", "\r\n\r\n"}) {
    EXPECT_TRUE(ParseSndsIpData(text).ok());
    EXPECT_TRUE(ParseSndsIpData(text).rows.empty());
    EXPECT_TRUE(ParseSndsIpStatus(text).ok());
  }
}

TEST(SndsReportTest, IpStatus) {
  SndsParsed<SndsIpStatusRow> p = ParseSndsIpStatus(SndsTestdata("ip_status.csv"));
  ASSERT_TRUE(p.ok()) << p.detail;
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_TRUE(p.rows[0].blocked);
  EXPECT_FALSE(p.rows[1].blocked);
  EXPECT_EQ(p.rows[1].reason, "Junked due to user complaints");
  EXPECT_TRUE(SndsRangeContains(p.rows[0], *IpAddress::Parse("192.0.2.11")));
  EXPECT_TRUE(SndsRangeContains(p.rows[0], *IpAddress::Parse("192.0.2.8")));
  EXPECT_FALSE(SndsRangeContains(p.rows[0], *IpAddress::Parse("192.0.2.12")));
  EXPECT_FALSE(SndsRangeContains(p.rows[0], *IpAddress::Parse("2001:db8::1")));
  EXPECT_TRUE(SndsRangeContains(p.rows[0], *IpAddress::Parse("::ffff:192.0.2.9")));

  EXPECT_TRUE(
      ParseSndsIpStatus("First IP,Last IP,Blocked,Details\r\n1.2.3.4,1.2.3.4,no,\r\n").ok());
  for (const char* bad :
       {"1.2.3.5,1.2.3.4,Yes,x\r\n", "1.2.3.4,1.2.3.4,maybe,x\r\n", "1.2.3.4,2001:db8::1,Yes,x\r\n",
        "1.2.3.4\r\n", "Foo,Bar,Baz\r\n", "<html></html>"}) {
    EXPECT_FALSE(ParseSndsIpStatus(bad).ok()) << bad;
  }
  EXPECT_EQ(*ParseSndsIpStatus("1.2.3.4,1.2.3.4,Y").invalid, SndsInvalidReason::kTruncated);
}

TEST(SndsReportTest, TimesAndRates) {
  EXPECT_EQ(ParseSndsTime("1/1/1970 12:00 AM"), 0);
  EXPECT_EQ(ParseSndsTime("1/1/1970 12:00 PM"), 43200);
  EXPECT_EQ(ParseSndsTime("1/1/1970 13:05"), 13 * 3600 + 5 * 60);
  EXPECT_EQ(ParseSndsTime("2/29/2024 1:00:30 AM"), 1709168430);
  for (const char* bad : {"", "2/29/2025 1:00 AM", "1/1/70 1:00 AM", "1/1/1970 13:00 PM",
                          "1/1/1970", "1/1/1970 1:0 AM", "1-1-1970 1:00"}) {
    EXPECT_FALSE(ParseSndsTime(bad).has_value()) << bad;
  }
  EXPECT_DOUBLE_EQ(ParseSndsRate("< 0.1%")->ratio, 0.001);
  EXPECT_TRUE(ParseSndsRate("< 0.1%")->is_bound);
  EXPECT_TRUE(ParseSndsRate("> 90%")->is_bound);
  EXPECT_DOUBLE_EQ(ParseSndsRate("12.5 %")->ratio, 0.125);
  EXPECT_FALSE(ParseSndsRate("12.5 %")->is_bound);
  for (const char* bad : {"", "%", "0.1", "abc%", "1.2.3%", ".5%", "101%", "-1%", "1e3%"}) {
    EXPECT_FALSE(ParseSndsRate(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace mailrep
