#include "collectors/reports/report_reader.h"

#include <gtest/gtest.h>

#include "collectors/reports/report_invalid_reason.h"
#include "collectors/reports/report_testdata.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using testing::ReportTestdata;

StatusOr<ParsedReport> Read(const std::string& name) {
  std::string file = ReportTestdata(name);
  EXPECT_FALSE(file.empty()) << name;
  return ReadReport(file);
}

ReportInvalidReason ReasonOf(const std::string& name) {
  return InvalidReportReason(Read(name).status());
}

TEST(ReportReaderTest, DmarcMails) {
  StatusOr<ParsedReport> r = Read("dmarc_gzip_report.eml");
  ASSERT_OK(r);
  ASSERT_EQ(r->kind(), ReportKind::kDmarc);
  EXPECT_EQ(r->container, "mail, gzip");
  EXPECT_EQ(std::get<DmarcAggregateReport>(r->report).records.size(), 3u);

  r = Read("dmarc_zip_report.eml");
  ASSERT_OK(r);
  ASSERT_EQ(r->kind(), ReportKind::kDmarc);
  EXPECT_EQ(r->container,
            "mail, zip (example.org!enterprise.protection.outlook.com!1796169600!1796256000.xml)");
  EXPECT_TRUE(std::get<DmarcAggregateReport>(r->report).header.rfc9990_namespace);
}

TEST(ReportReaderTest, BareFiles) {
  StatusOr<ParsedReport> r = Read("google_like_dmarc.xml");
  ASSERT_OK(r);
  EXPECT_EQ(r->kind(), ReportKind::kDmarc);
  EXPECT_EQ(r->container, "");
  r = Read("tlsrpt_report.json.gz");
  ASSERT_OK(r);
  EXPECT_EQ(r->kind(), ReportKind::kTlsrpt);
  EXPECT_EQ(r->container, "gzip");
}

TEST(ReportReaderTest, JsonLabelledGzip) {
  StatusOr<ParsedReport> r = Read("tlsrpt_plain_json_labelled_gzip.eml");
  ASSERT_OK(r);
  ASSERT_EQ(r->kind(), ReportKind::kTlsrpt);
  EXPECT_EQ(std::get<TlsrptReport>(r->report).policies.size(), 2u);
}

TEST(ReportReaderTest, ArfComplaint) {
  StatusOr<ParsedReport> r = Read("arf_complaint.eml");
  ASSERT_OK(r);
  ASSERT_EQ(r->kind(), ReportKind::kArf);
  const ArfReport& arf = std::get<ArfReport>(r->report);
  EXPECT_EQ(arf.feedback_type, "abuse");
  EXPECT_EQ(arf.source_ip, "192.0.2.10");
  EXPECT_EQ(arf.reported_domain, "example.com");
  EXPECT_EQ(arf.original_message_id, "<20261203080000.4711@mail.example.com>");
}

TEST(ReportReaderTest, Negatives) {
  EXPECT_EQ(ReasonOf("billion_laughs.xml"), ReportInvalidReason::kXmlDtd);
  EXPECT_EQ(ReasonOf("external_entity.xml"), ReportInvalidReason::kXmlDtd);
  EXPECT_EQ(ReasonOf("zip_bomb.zip"), ReportInvalidReason::kDecompressedTooLarge);
  EXPECT_EQ(ReasonOf("zip_lying_bomb.zip"), ReportInvalidReason::kDecompressedTooLarge);
  EXPECT_EQ(ReasonOf("gzip_bomb.xml.gz"), ReportInvalidReason::kDecompressedTooLarge);
  EXPECT_EQ(ReasonOf("truncated.xml.gz"), ReportInvalidReason::kBadGzip);
  EXPECT_EQ(ReasonOf("deep_mime.eml"), ReportInvalidReason::kMimeTooDeep);
  EXPECT_EQ(ReasonOf("not_a_report.eml"), ReportInvalidReason::kNotAReport);
  EXPECT_EQ(InvalidReportReason(ReadReport("\x01\x02 binary").status()),
            ReportInvalidReason::kNotAReport);
  EXPECT_EQ(InvalidReportReason(ReadReport("").status()), ReportInvalidReason::kNotAReport);
}

TEST(ReportReaderTest, Caps) {
  ReportLimits small;
  small.max_input_bytes = 100;
  EXPECT_EQ(
      InvalidReportReason(ReadReport(ReportTestdata("google_like_dmarc.xml"), small).status()),
      ReportInvalidReason::kTooLarge);
  ReportLimits shallow;
  shallow.max_archive_depth = 0;
  EXPECT_EQ(
      InvalidReportReason(ReadReport(ReportTestdata("tlsrpt_report.json.gz"), shallow).status()),
      ReportInvalidReason::kArchiveTooDeep);
  ReportLimits few;
  few.max_records = 2;
  EXPECT_EQ(InvalidReportReason(ReadReport(ReportTestdata("google_like_dmarc.xml"), few).status()),
            ReportInvalidReason::kTooManyRecords);
}

TEST(ReportReaderTest, KindNames) {
  EXPECT_EQ(ReportKindName(ReportKind::kDmarc), "dmarc");
  EXPECT_EQ(ReportKindName(ReportKind::kTlsrpt), "tlsrpt");
  EXPECT_EQ(ReportKindName(ReportKind::kArf), "arf");
  EXPECT_EQ(ReportKindName(static_cast<ReportKind>(7)), "unknown");
}

// XML is parsed as it is inflated; an archive that is broken as well as its
// document is still reported as a broken archive, as when unpacked first.
TEST(ReportReaderTest, ArchiveErrorsWinOverDocumentErrors) {
  std::string xml = ReportTestdata("google_like_dmarc.xml");
  ASSERT_FALSE(xml.empty());
  std::string broken = xml.substr(0, 200) + "<<<" + std::string(200000, ' ') + xml.substr(200);
  std::string gz = testing::DeflateForTest(broken, 31, 1);
  EXPECT_EQ(InvalidReportReason(ReadReport(gz).status()), ReportInvalidReason::kXmlSyntax);
  std::string bad_crc = gz;
  bad_crc[bad_crc.size() - 6] ^= 0x55;
  EXPECT_EQ(InvalidReportReason(ReadReport(bad_crc).status()), ReportInvalidReason::kBadGzip);
  ReportLimits small;
  small.max_decompressed_bytes = 100000;
  EXPECT_EQ(InvalidReportReason(ReadReport(gz, small).status()),
            ReportInvalidReason::kDecompressedTooLarge);
  // Leading white space past the first inflated piece, and a good report.
  std::string no_declaration = xml.substr(xml.find("?>") + 2);
  StatusOr<ParsedReport> padded =
      ReadReport(testing::DeflateForTest(std::string(70000, '\n') + no_declaration, 31, 1));
  ASSERT_OK(padded);
  EXPECT_EQ(padded->container, "gzip");
}

}  // namespace
}  // namespace mailrep
