#include "collectors/reports/arf_report.h"

#include <gtest/gtest.h>

#include "collectors/reports/report_invalid_reason.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

TEST(ArfReportTest, Fields) {
  StatusOr<ArfReport> r = ParseArfReport(
      "Feedback-Type: Abuse\r\nUser-Agent: SomeGenerator/1.0\r\nVersion: 1\r\n"
      "Original-Rcpt-To: <someone@example.net>\r\nSource-IP: ::ffff:192.0.2.10\r\n"
      "Reported-Domain: Example.COM\r\nReported-Domain: example.org\r\n"
      "Reporting-MTA: dns; mx.example.net\r\n",
      "From: Offers <offers@Example.com>\r\nTo: someone@example.net\r\n"
      "Message-ID: <m1@example.com>\r\n\r\nbody\r\n");
  ASSERT_OK(r);
  EXPECT_EQ(r->feedback_type, "abuse");
  EXPECT_EQ(r->user_agent, "SomeGenerator/1.0");
  EXPECT_EQ(r->version, "1");
  EXPECT_EQ(r->source_ip, "192.0.2.10");
  EXPECT_EQ(r->reported_domain, "example.com");
  EXPECT_EQ(r->reporting_mta, "dns; mx.example.net");
  EXPECT_EQ(r->original_message_id, "<m1@example.com>");
  EXPECT_EQ(r->original_from_domain, "example.com");
}

TEST(ArfReportTest, OptionalFieldsAbsent) {
  StatusOr<ArfReport> r = ParseArfReport("Feedback-Type: not-spam\nSource-IP: not an ip\n", "");
  ASSERT_OK(r);
  EXPECT_EQ(r->feedback_type, "not-spam");
  EXPECT_EQ(r->source_ip, std::nullopt);
  EXPECT_EQ(r->reported_domain, std::nullopt);
  EXPECT_EQ(r->original_message_id, std::nullopt);
  // A broken original is not a broken report.
  r = ParseArfReport("Feedback-Type: abuse\n", " broken\n");
  ASSERT_OK(r);
  EXPECT_EQ(r->original_message_id, std::nullopt);
}

TEST(ArfReportTest, NoFeedbackType) {
  EXPECT_EQ(InvalidReportReason(ParseArfReport("User-Agent: x\n", "").status()),
            ReportInvalidReason::kArfSchema);
  EXPECT_EQ(InvalidReportReason(ParseArfReport("not fields at all\n", "").status()),
            ReportInvalidReason::kArfSchema);
}

TEST(ArfReportTest, TopReceivedIp) {
  // The receiver's own Received: comes first; later ones (ours) do not count.
  StatusOr<ArfReport> r =
      ParseArfReport("Feedback-Type: abuse\n",
                     "Received: from out.example.com (out.example.com [IPv6:2001:db8::25])\n"
                     "  by mx.example.net with ESMTPS\n"
                     "Received: from client (client [198.51.100.7]) by out.example.com\n\n");
  ASSERT_OK(r);
  EXPECT_EQ(r->top_received_ip, "2001:db8::25");
  r = ParseArfReport("Feedback-Type: abuse\n",
                     "Received: from x ([not-an-ip]) (y [192.0.2.10]) by mx\n\n");
  ASSERT_OK(r);
  EXPECT_EQ(r->top_received_ip, "192.0.2.10");
  r = ParseArfReport("Feedback-Type: abuse\n", "Received: by mx.example.net; local\n\n");
  ASSERT_OK(r);
  EXPECT_EQ(r->top_received_ip, std::nullopt);
}

}  // namespace
}  // namespace mailrep
