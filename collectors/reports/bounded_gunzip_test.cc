#include "collectors/reports/bounded_gunzip.h"

#include <gtest/gtest.h>

#include "collectors/reports/report_invalid_reason.h"
#include "collectors/reports/report_testdata.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using testing::ReportTestdata;

TEST(BoundedGunzipTest, ReadsOneAndSeveralMembers) {
  std::string gz = testing::DeflateForTest("hello ", 31) + testing::DeflateForTest("world", 31);
  StatusOr<std::string> text = BoundedGunzip(gz, 100);
  ASSERT_OK(text);
  EXPECT_EQ(*text, "hello world");
  EXPECT_TRUE(LooksLikeGzip(gz));
  EXPECT_FALSE(LooksLikeGzip("{}"));
}

TEST(BoundedGunzipTest, TheCapStopsABomb) {
  std::string gz = ReportTestdata("gzip_bomb.xml.gz");
  ASSERT_FALSE(gz.empty());
  StatusOr<std::string> text = BoundedGunzip(gz, 1 << 20);
  EXPECT_EQ(InvalidReportReason(text.status()), ReportInvalidReason::kDecompressedTooLarge);
  // Exactly at the cap is fine.
  std::string exact = testing::DeflateForTest(std::string(1000, 'x'), 31);
  EXPECT_OK(BoundedGunzip(exact, 1000));
  EXPECT_EQ(InvalidReportReason(BoundedGunzip(exact, 999).status()),
            ReportInvalidReason::kDecompressedTooLarge);
}

TEST(BoundedGunzipTest, TruncatedAndCorruptAreBadGzip) {
  std::string gz = ReportTestdata("truncated.xml.gz");
  ASSERT_FALSE(gz.empty());
  EXPECT_EQ(InvalidReportReason(BoundedGunzip(gz, 1 << 20).status()),
            ReportInvalidReason::kBadGzip);
  std::string good = testing::DeflateForTest("some text that is long enough", 31);
  std::string bad_crc = good;
  bad_crc[bad_crc.size() - 6] ^= 0x55;
  EXPECT_EQ(InvalidReportReason(BoundedGunzip(bad_crc, 100).status()),
            ReportInvalidReason::kBadGzip);
  EXPECT_EQ(InvalidReportReason(BoundedGunzip(good + "junk", 100).status()),
            ReportInvalidReason::kBadGzip);
  EXPECT_EQ(InvalidReportReason(BoundedGunzip("plain", 100).status()),
            ReportInvalidReason::kBadGzip);
}

TEST(BoundedGunzipTest, RawInflate) {
  StatusOr<std::string> text = BoundedInflateRaw(testing::DeflateForTest("raw data", -15), 100);
  ASSERT_OK(text);
  EXPECT_EQ(*text, "raw data");
  std::string raw = testing::DeflateForTest(std::string(5000, 'a'), -15);
  EXPECT_EQ(InvalidReportReason(BoundedInflateRaw(raw.substr(0, raw.size() / 2), 10000).status()),
            ReportInvalidReason::kBadZip);
}

TEST(BoundedGunzipTest, StreamGivesTheSameBytesInPieces) {
  std::string text;
  for (int i = 0; text.size() < 3 * BoundedInflateStream::kPiece; ++i) {
    text += "<record>" + std::to_string(i * 7919) + "</record>\n";
  }
  std::string gz = testing::DeflateForTest(text, 31) + testing::DeflateForTest("tail", 31);
  BoundedInflateStream stream(gz, 1 << 20, BoundedInflateStream::Format::kGzip);
  std::string joined;
  int pieces = 0;
  for (;;) {
    StatusOr<std::string_view> piece = stream.Next();
    ASSERT_OK(piece);
    if (piece->empty()) break;
    EXPECT_LE(piece->size(), BoundedInflateStream::kPiece);
    joined.append(*piece);
    ++pieces;
  }
  EXPECT_EQ(joined, text + "tail");
  EXPECT_GT(pieces, 3);
  EXPECT_EQ(stream.total(), joined.size());
  StatusOr<std::string_view> after = stream.Next();
  ASSERT_OK(after);
  EXPECT_TRUE(after->empty());

  // The cap and corruption surface where the whole-text functions fail, and stay.
  BoundedInflateStream capped(gz, 1000, BoundedInflateStream::Format::kGzip);
  StatusOr<std::string_view> first = capped.Next();
  EXPECT_EQ(InvalidReportReason(first.status()), ReportInvalidReason::kDecompressedTooLarge);
  EXPECT_EQ(InvalidReportReason(capped.Next().status()),
            ReportInvalidReason::kDecompressedTooLarge);
  std::string cut = gz.substr(0, gz.size() / 2);
  BoundedInflateStream truncated(cut, 1 << 20, BoundedInflateStream::Format::kGzip);
  Status end;
  for (int i = 0; i < 100 && end.ok(); ++i) {
    StatusOr<std::string_view> piece = truncated.Next();
    if (!piece.ok()) end = piece.status();
  }
  EXPECT_EQ(InvalidReportReason(end), ReportInvalidReason::kBadGzip);
}

}  // namespace
}  // namespace mailrep
