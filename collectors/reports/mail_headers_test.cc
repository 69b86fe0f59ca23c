#include "collectors/reports/mail_headers.h"

#include <gtest/gtest.h>

#include "collectors/reports/report_invalid_reason.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

TEST(MailHeadersTest, SplitsAtTheFirstEmptyLine) {
  EXPECT_EQ(
      SplitHeaderBody("A: 1\r\nB: 2\r\n\r\nbody\r\n\r\nmore"),
      std::make_pair(std::string_view("A: 1\r\nB: 2\r\n"), std::string_view("body\r\n\r\nmore")));
  EXPECT_EQ(SplitHeaderBody("A: 1\n\nbody"),
            std::make_pair(std::string_view("A: 1\n"), std::string_view("body")));
  EXPECT_EQ(SplitHeaderBody("\nbody"),
            std::make_pair(std::string_view(""), std::string_view("body")));
  EXPECT_EQ(SplitHeaderBody("A: 1"), std::make_pair(std::string_view("A: 1"), std::string_view()));
}

TEST(MailHeadersTest, UnfoldsAndFinds) {
  StatusOr<MailHeaders> h = ParseMailHeaders(
      "From MAILER-DAEMON Thu Dec  3 08:00:00 2026\n"
      "Content-Type: multipart/mixed;\r\n\tboundary=\"b1\"\r\nSubject :  hi  \r\nX-Empty:\r\n");
  ASSERT_OK(h);
  ASSERT_EQ(h->fields.size(), 3u);
  EXPECT_EQ(h->Get("content-type"), "multipart/mixed; boundary=\"b1\"");
  EXPECT_EQ(h->Get("SUBJECT"), "hi");
  EXPECT_EQ(h->Get("X-Empty"), "");
  EXPECT_EQ(h->Get("To"), std::nullopt);
}

TEST(MailHeadersTest, Malformed) {
  EXPECT_EQ(InvalidReportReason(ParseMailHeaders(" folded first\n").status()),
            ReportInvalidReason::kMimeSyntax);
  EXPECT_EQ(InvalidReportReason(ParseMailHeaders("no colon here\n").status()),
            ReportInvalidReason::kMimeSyntax);
  std::string many;
  for (size_t i = 0; i <= kMaxHeaderFields; ++i) many += "X: y\n";
  EXPECT_EQ(InvalidReportReason(ParseMailHeaders(many).status()), ReportInvalidReason::kMimeSyntax);
}

TEST(MailHeadersTest, LooksLikeMail) {
  EXPECT_TRUE(LooksLikeMail("Return-Path: <a@example.com>\r\n"));
  EXPECT_TRUE(LooksLikeMail("From a@example.com Thu Dec  3 08:00:00 2026\n"));
  EXPECT_FALSE(LooksLikeMail("<?xml version=\"1.0\"?>"));
  EXPECT_FALSE(LooksLikeMail("hello world: no\n"));
}

TEST(MailHeadersTest, MimeValues) {
  MimeValue v = ParseMimeValue(
      "Multipart/Report; report-type=feedback-report;\tBoundary=\"a;b \\\"c\\\"\"; junk; x = y ");
  EXPECT_EQ(v.token, "multipart/report");
  EXPECT_EQ(v.Param("report-type"), "feedback-report");
  EXPECT_EQ(v.Param("boundary"), "a;b \"c\"");
  EXPECT_EQ(v.Param("x"), "y");
  EXPECT_EQ(v.Param("junk"), std::nullopt);
  EXPECT_EQ(ParseMimeValue("").token, "");
}

}  // namespace
}  // namespace mailrep
