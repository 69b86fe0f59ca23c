#include "collectors/reports/zip_member.h"

#include <gtest/gtest.h>

#include "collectors/mail/mime_walker.h"
#include "collectors/reports/report_invalid_reason.h"
#include "collectors/reports/report_testdata.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using testing::ReportTestdata;

// The zip attachment of the Microsoft-like fixture mail.
std::string FixtureZip() {
  StatusOr<std::vector<MimePart>> parts = WalkMime(ReportTestdata("dmarc_zip_report.eml"));
  EXPECT_OK(parts);
  if (!parts.ok()) return "";
  for (const MimePart& part : *parts) {
    if (part.content_type.token == "application/zip") return part.body;
  }
  return "";
}

TEST(ZipMemberTest, ReadsTheMember) {
  std::string zip = FixtureZip();
  ASSERT_TRUE(LooksLikeZip(zip));
  StatusOr<ZipFile> file = ReadZipMember(zip, 1 << 20);
  ASSERT_OK(file);
  EXPECT_EQ(file->name, "example.org!enterprise.protection.outlook.com!1796169600!1796256000.xml");
  EXPECT_EQ(file->data, ReportTestdata("microsoft_like_dmarc.xml"));
}

TEST(ZipMemberTest, BombsStopAtTheCap) {
  // Declares 40 MiB: refused before inflating.
  EXPECT_EQ(InvalidReportReason(ReadZipMember(ReportTestdata("zip_bomb.zip"), 32 << 20).status()),
            ReportInvalidReason::kDecompressedTooLarge);
  // Declares 100 bytes but inflates to 40 MiB: the inflate cap stops it.
  EXPECT_EQ(
      InvalidReportReason(ReadZipMember(ReportTestdata("zip_lying_bomb.zip"), 1 << 20).status()),
      ReportInvalidReason::kDecompressedTooLarge);
  // With room for all of it, the lie is found by the size check.
  EXPECT_EQ(
      InvalidReportReason(ReadZipMember(ReportTestdata("zip_lying_bomb.zip"), 64 << 20).status()),
      ReportInvalidReason::kBadZip);
}

TEST(ZipMemberTest, DamageIsBadZip) {
  std::string zip = FixtureZip();
  ASSERT_FALSE(zip.empty());
  for (size_t cut : {size_t{10}, zip.size() / 2, zip.size() - 5}) {
    EXPECT_EQ(InvalidReportReason(ReadZipMember(zip.substr(0, cut), 1 << 20).status()),
              ReportInvalidReason::kBadZip)
        << cut;
  }
  std::string flipped = zip;
  flipped[zip.find("PK\x01\x02") - 3] ^= 0x01;  // inside the member's data
  EXPECT_EQ(InvalidReportReason(ReadZipMember(flipped, 1 << 20).status()),
            ReportInvalidReason::kBadZip);
  std::string encrypted = zip;
  size_t central = encrypted.find("PK\x01\x02");
  ASSERT_NE(central, std::string::npos);
  encrypted[central + 8] |= 1;
  EXPECT_EQ(InvalidReportReason(ReadZipMember(encrypted, 1 << 20).status()),
            ReportInvalidReason::kBadZip);
}

}  // namespace
}  // namespace mailrep
