#include "collectors/mail/mime_walker.h"

#include <gtest/gtest.h>

#include "exporter/util/base64.h"
#include "exporter/util/testing/source_file.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

// The name a strict parser's error starts with (mail_error.h).
std::string ErrorName(const Status& status) {
  std::string_view message = status.message();
  return std::string(message.substr(0, message.find(':')));
}

// The report fixtures are mails too.
std::string ReportTestdata(const std::string& name) {
  return testing::ReadSourceFile("collectors/reports/testdata/" + name);
}

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
  EXPECT_EQ(ErrorName(DecodeMimeBase64("aGVs*bG8=").status()), "bad_base64");
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
  EXPECT_EQ(ErrorName(WalkMime(ReportTestdata("deep_mime.eml")).status()), "mime_too_deep");
  StatusOr<std::vector<MimePart>> deep =
      WalkMime(ReportTestdata("deep_mime.eml"), {.max_depth = 20, .max_parts = 64});
  ASSERT_OK(deep);
  EXPECT_EQ(deep->size(), 1u);
  std::string many = "Content-Type: multipart/mixed; boundary=b\n\n";
  for (int i = 0; i < 100; ++i) many += "--b\n\npart\n";
  many += "--b--\n";
  EXPECT_EQ(ErrorName(WalkMime(many).status()), "mime_too_many_parts");
  EXPECT_EQ(
      ErrorName(
          WalkMime("Subject: x\n\n" + std::string(100, 'a'), {.max_part_bytes = 50}).status()),
      "too_large");
}

TEST(MimeWalkerTest, BrokenMultiparts) {
  EXPECT_EQ(ErrorName(WalkMime("Content-Type: multipart/mixed\n\nx\n").status()), "mime_syntax");
  EXPECT_EQ(ErrorName(WalkMime("Content-Type: multipart/mixed; boundary=q\n\nx\n").status()),
            "mime_syntax");
}

TEST(MimeWalkerTest, FileNamesAreDecoded) {
  StatusOr<std::vector<MimePart>> parts = WalkMime(
      "Content-Type: multipart/mixed; boundary=b\n\n--b\n"
      "Content-Type: application/octet-stream; name=\"=?UTF-8?B?aW52b2ljZS5leGU=?=\"\n\nx\n--b\n"
      "Content-Disposition: attachment; filename*0*=UTF-8''r%C3%A9sum; filename*1=\"e.docm\"\n\ny\n"
      "--b--\n");
  ASSERT_OK(parts);
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].filename, "invoice.exe");
  EXPECT_EQ((*parts)[1].filename, "r\xC3\xA9sume.docm");
  EXPECT_EQ((*parts)[1].disposition.token, "attachment");
}

MimeWalk Lenient(std::string_view mail, const MimeLimits& limits = {}) {
  return WalkMimeLenient(mail, limits);
}

std::vector<std::string> DefectNames(const MimeWalk& walk) {
  std::vector<std::string> names;
  for (MimeDefect d : walk.defects) names.emplace_back(MimeDefectName(d));
  return names;
}

TEST(MimeWalkerTest, LenientWalkNotesDefectsAndGoesOn) {
  // The same good mail: the same leaves, no defect.
  MimeWalk good = Lenient(ReportTestdata("dmarc_zip_report.eml"));
  EXPECT_TRUE(good.defects.empty());
  EXPECT_EQ(good.leaves.size(), 3u);

  MimeWalk no_boundary = Lenient("Content-Type: multipart/mixed\n\nhttp://a.example/\n");
  EXPECT_EQ(DefectNames(no_boundary), std::vector<std::string>{"no_boundary"});
  ASSERT_EQ(no_boundary.leaves.size(), 1u);
  EXPECT_EQ(no_boundary.leaves[0].body, "http://a.example/\n");

  MimeWalk not_found = Lenient("Content-Type: multipart/mixed; boundary=q\n\ntext\n");
  EXPECT_EQ(DefectNames(not_found), std::vector<std::string>{"boundary_not_found"});
  ASSERT_EQ(not_found.leaves.size(), 1u);
  EXPECT_EQ(not_found.leaves[0].content_type.token, "text/plain");

  MimeWalk unclosed =
      Lenient("Content-Type: multipart/mixed; boundary=x\n\n--x\n\none\n--x\n\ntwo\n");
  EXPECT_EQ(DefectNames(unclosed), std::vector<std::string>{"not_closed"});
  EXPECT_EQ(unclosed.leaves.size(), 2u);

  MimeWalk broken = Lenient(
      "Subject: x\nthis is no header\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
      "Content-Transfer-Encoding: base64\n\naGVs*bG8gd29y\nbGQ\n--b--\n");
  EXPECT_EQ(DefectNames(broken), (std::vector<std::string>{"header_syntax", "bad_base64"}));
  ASSERT_EQ(broken.leaves.size(), 1u);
  EXPECT_EQ(broken.leaves[0].body, "hello world");

  MimeWalk deep = Lenient(ReportTestdata("deep_mime.eml"));
  EXPECT_EQ(DefectNames(deep), std::vector<std::string>{"too_deep"});

  std::string many = "Content-Type: multipart/mixed; boundary=b\n\n";
  for (int i = 0; i < 100; ++i) many += "--b\n\npart\n";
  many += "--b--\n";
  MimeWalk capped = Lenient(many);
  EXPECT_EQ(DefectNames(capped), std::vector<std::string>{"too_many_parts"});
  EXPECT_EQ(capped.leaves.size(), 63u);  // the multipart itself is a part

  MimeWalk cut = Lenient("Subject: x\n\n" + std::string(100, 'a'), {.max_part_bytes = 50});
  EXPECT_EQ(DefectNames(cut), std::vector<std::string>{"part_too_large"});
  EXPECT_EQ(cut.leaves[0].body.size(), 50u);
}

TEST(MimeWalkerTest, EightBitBodiesPassThrough) {
  std::string mail =
      "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
      "Gr\xC3\xBC\xC3\x9F\x65 \xFF\x00 bin\n";
  MimeWalk walk = Lenient(mail);
  EXPECT_TRUE(walk.defects.empty());
  ASSERT_EQ(walk.leaves.size(), 1u);
  EXPECT_EQ(walk.leaves[0].body, "Gr\xC3\xBC\xC3\x9F\x65 \xFF\x00 bin\n");
}

// The one-pass decoder and the general one agree, errors included.
TEST(MimeWalkerTest, Base64FastAndGeneralAgree) {
  for (std::string_view text :
       {"", "aGVsbG8=", "aGVsbG8", "aGVsbA==", "aGVsbA=", "aGVsbA===", "aGVsb", "aG=Vs",
        "aGVs\r\nbA==\r\n", "aGVs*bA==", "aGVsbA== x", "aGVsbA==\x01", "= ", "===="}) {
    StatusOr<std::string> decoded = DecodeMimeBase64(text);
    std::string compact;
    for (char c : text) {
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') compact += c;
    }
    StatusOr<std::string> general = DecodeBase64(compact);
    ASSERT_EQ(decoded.ok(), general.ok()) << text;
    if (general.ok()) {
      EXPECT_EQ(*decoded, *general) << text;
    } else {
      EXPECT_EQ(ErrorName(decoded.status()), "bad_base64") << text;
      EXPECT_NE(decoded.status().message().find(general.status().message()), std::string::npos)
          << text;
    }
  }
}

}  // namespace
}  // namespace mailrep
