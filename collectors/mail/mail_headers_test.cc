#include "collectors/mail/mail_headers.h"

#include <gtest/gtest.h>

#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

// The name a strict parser's error starts with (mail_error.h).
std::string ErrorName(const Status& status) {
  std::string_view message = status.message();
  return std::string(message.substr(0, message.find(':')));
}

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
  EXPECT_EQ(ErrorName(ParseMailHeaders(" folded first\n").status()), "mime_syntax");
  EXPECT_EQ(ErrorName(ParseMailHeaders("no colon here\n").status()), "mime_syntax");
  std::string many;
  for (size_t i = 0; i <= kMaxHeaderFields; ++i) many += "X: y\n";
  EXPECT_EQ(ErrorName(ParseMailHeaders(many).status()), "mime_syntax");
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

TEST(MailHeadersTest, LenientSkipsBrokenLines) {
  HeaderDefects defects;
  MailHeaders h = ParseMailHeadersLenient(
      " folded first\nFrom: a\nno colon here\n continues nothing\nFrom: b\n", &defects);
  EXPECT_EQ(defects.bad_lines, 3u);  // a continuation of a skipped line is skipped too
  EXPECT_FALSE(defects.too_many_fields);
  EXPECT_EQ(h.GetAll("from"), (std::vector<std::string_view>{"a", "b"}));
  std::string many;
  for (size_t i = 0; i <= kMaxHeaderFields; ++i) many += "X: y\n";
  HeaderDefects capped;
  EXPECT_EQ(ParseMailHeadersLenient(many, &capped).fields.size(), kMaxHeaderFields);
  EXPECT_TRUE(capped.too_many_fields);
}

TEST(MailHeadersTest, Rfc2231Parameters) {
  MimeValue v = ParseMimeValue(
      "attachment; filename*2*=%2Eexe; filename*0*=utf-8'en'a%20b; filename*1=\"A\"; "
      "name*=iso-8859-1''%E9t%E9; plain=1");
  EXPECT_EQ(v.Param("filename"), "a bA.exe");
  EXPECT_EQ(v.Param("name"), "\xE9t\xE9");
  EXPECT_EQ(v.Param("plain"), "1");
  EXPECT_EQ(v.Param("filename*0"), std::nullopt);
}

}  // namespace
}  // namespace mailrep
