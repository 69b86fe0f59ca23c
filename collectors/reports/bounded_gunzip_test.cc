#include "collectors/reports/bounded_gunzip.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include "collectors/reports/report_invalid_reason.h"
#include "collectors/reports/report_testdata.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using testing::ReportTestdata;

// `text` deflated by zlib with `window_bits` (31: gzip, -15: raw).
std::string Deflate(std::string_view text, int window_bits) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 6, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&z, text.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

TEST(BoundedGunzipTest, ReadsOneAndSeveralMembers) {
  std::string gz = Deflate("hello ", 31) + Deflate("world", 31);
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
  std::string exact = Deflate(std::string(1000, 'x'), 31);
  EXPECT_OK(BoundedGunzip(exact, 1000));
  EXPECT_EQ(InvalidReportReason(BoundedGunzip(exact, 999).status()),
            ReportInvalidReason::kDecompressedTooLarge);
}

TEST(BoundedGunzipTest, TruncatedAndCorruptAreBadGzip) {
  std::string gz = ReportTestdata("truncated.xml.gz");
  ASSERT_FALSE(gz.empty());
  EXPECT_EQ(InvalidReportReason(BoundedGunzip(gz, 1 << 20).status()),
            ReportInvalidReason::kBadGzip);
  std::string good = Deflate("some text that is long enough", 31);
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
  StatusOr<std::string> text = BoundedInflateRaw(Deflate("raw data", -15), 100);
  ASSERT_OK(text);
  EXPECT_EQ(*text, "raw data");
  std::string raw = Deflate(std::string(5000, 'a'), -15);
  EXPECT_EQ(InvalidReportReason(BoundedInflateRaw(raw.substr(0, raw.size() / 2), 10000).status()),
            ReportInvalidReason::kBadZip);
}

}  // namespace
}  // namespace mailrep
