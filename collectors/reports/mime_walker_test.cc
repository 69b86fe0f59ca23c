#include "collectors/reports/mime_walker.h"

#include <gtest/gtest.h>

#include "collectors/reports/report_invalid_reason.h"
#include "collectors/reports/report_testdata.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using testing::ReportTestdata;

TEST(MimeWalkerTest, ASinglePartMessage) {
  StatusOr<std::vector<MimePart>> parts = WalkMime("Subject: x\n\nhello\n");
  ASSERT_OK(parts);
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].content_type.token, "text/plain");
  EXPECT_EQ((*parts)[0].body, "hello\n");
  EXPECT_EQ((*parts)[0].depth, 0);
}

TEST(MimeWalkerTest, NestedMultipartsWithEncodings) {
  StatusOr<std::vector<MimePart>> parts = WalkMime(ReportTestdata("dmarc_zip_report.eml"));
  ASSERT_OK(parts);
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_EQ((*parts)[0].content_type.token, "text/plain");
  EXPECT_EQ((*parts)[0].depth, 2);
  EXPECT_EQ((*parts)[0].body,
            "This is a DMARC aggregate report from Microsoft Corporation. For more information, "
            "see the documentation.");
  EXPECT_EQ((*parts)[1].content_type.token, "text/html");
  EXPECT_EQ((*parts)[2].content_type.token, "application/zip");
  EXPECT_EQ((*parts)[2].filename, "report.zip");
  EXPECT_EQ((*parts)[2].depth, 1);
  EXPECT_EQ((*parts)[2].body.substr(0, 4), "PK\x03\x04");
}

TEST(MimeWalkerTest, Base64WithOddLineLengths) {
  StatusOr<std::string> decoded = DecodeMimeBase64("aGVs\r\nbG8gd2\n9y bGQ=\r\n");
  ASSERT_OK(decoded);
  EXPECT_EQ(*decoded, "hello world");
  EXPECT_EQ(InvalidReportReason(DecodeMimeBase64("aGVs*bG8=").status()),
            ReportInvalidReason::kBadBase64);
  // The fixture mail's attachment has lines of 61, 59, 73 and 4 characters.
  StatusOr<std::vector<MimePart>> parts = WalkMime(ReportTestdata("dmarc_gzip_report.eml"));
  ASSERT_OK(parts);
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[1].filename, "google.com!example.com!1796083200!1796169599.xml.gz");
  EXPECT_EQ((*parts)[1].body.substr(0, 2), "\x1f\x8b");
}

TEST(MimeWalkerTest, QuotedPrintable) {
  EXPECT_EQ(DecodeQuotedPrintable("a=3Db=\r\nc=\nd=ZZ=4"), "a=bcd=ZZ=4");
}

TEST(MimeWalkerTest, MissingCloseBoundaryAndPreamble) {
  StatusOr<std::vector<MimePart>> parts = WalkMime(
      "Content-Type: multipart/mixed; boundary=x\n\npreamble\n--x\n\none\n--x  \n"
      "Content-Type: application/json\n\n{}\n");
  ASSERT_OK(parts);
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].body, "one");
  EXPECT_EQ((*parts)[1].body, "{}\n");
  EXPECT_EQ((*parts)[1].content_type.token, "application/json");
}

TEST(MimeWalkerTest, Caps) {
  EXPECT_EQ(InvalidReportReason(WalkMime(ReportTestdata("deep_mime.eml")).status()),
            ReportInvalidReason::kMimeTooDeep);
  StatusOr<std::vector<MimePart>> deep =
      WalkMime(ReportTestdata("deep_mime.eml"), {.max_depth = 20, .max_parts = 64});
  ASSERT_OK(deep);
  EXPECT_EQ(deep->size(), 1u);
  std::string many = "Content-Type: multipart/mixed; boundary=b\n\n";
  for (int i = 0; i < 100; ++i) many += "--b\n\npart\n";
  many += "--b--\n";
  EXPECT_EQ(InvalidReportReason(WalkMime(many).status()), ReportInvalidReason::kMimeTooManyParts);
  EXPECT_EQ(
      InvalidReportReason(
          WalkMime("Subject: x\n\n" + std::string(100, 'a'), {.max_part_bytes = 50}).status()),
      ReportInvalidReason::kTooLarge);
}

TEST(MimeWalkerTest, BrokenMultiparts) {
  EXPECT_EQ(InvalidReportReason(WalkMime("Content-Type: multipart/mixed\n\nx\n").status()),
            ReportInvalidReason::kMimeSyntax);
  EXPECT_EQ(
      InvalidReportReason(WalkMime("Content-Type: multipart/mixed; boundary=q\n\nx\n").status()),
      ReportInvalidReason::kMimeSyntax);
}

}  // namespace
}  // namespace mailrep
