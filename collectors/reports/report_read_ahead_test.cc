#include "collectors/reports/report_read_ahead.h"

#include <gtest/gtest.h>

#include "collectors/reports/report_invalid_reason.h"
#include "collectors/reports/report_testdata.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using testing::ReportTestdata;

// Many files, some reports, some not, one missing: whatever the thread
// count, each result is its own file's, in order.
TEST(ReportReadAheadTest, ResultsComeInOrderOnAnyThreadCount) {
  ScopedTempDir dir("read_ahead");
  std::string report = ReportTestdata("dmarc_gzip_report.eml");
  ASSERT_FALSE(report.empty());
  std::vector<std::string> paths;
  for (int i = 0; i < 40; ++i) {
    std::string name = "/f" + std::to_string(100 + i);
    if (i % 7 == 3) {
      paths.push_back(dir.Path(name));  // never written
    } else if (i % 5 == 1) {
      paths.push_back(dir.WriteFile(name, "not a report " + std::to_string(i)));
    } else {
      paths.push_back(dir.WriteFile(name, report));
    }
  }
  for (int threads : {1, 2, 4}) {
    ReportReadAhead reader(paths, ReportLimits{}, threads);
    for (size_t i = 0; i < paths.size(); ++i) {
      ReportFileRead read = reader.Take(i);
      if (i % 7 == 3) {
        EXPECT_FALSE(read.bytes.ok()) << i;
        EXPECT_FALSE(read.parsed.has_value()) << i;
      } else if (i % 5 == 1) {
        ASSERT_TRUE(read.parsed.has_value()) << i;
        EXPECT_EQ(InvalidReportReason(read.parsed->status()), ReportInvalidReason::kNotAReport);
        ASSERT_OK(read.bytes);
        EXPECT_EQ(*read.bytes, "not a report " + std::to_string(i));  // kept for the quarantine
      } else {
        ASSERT_TRUE(read.parsed.has_value()) << i;
        ASSERT_OK(*read.parsed);
        EXPECT_EQ((*read.parsed)->container, "mail, gzip");
        ASSERT_OK(read.bytes);
        EXPECT_TRUE(read.bytes->empty());
      }
    }
  }
}

// Stopping early (the collector's deadline) leaves nothing running.
TEST(ReportReadAheadTest, StopsWhenDestroyedEarly) {
  ScopedTempDir dir("read_ahead");
  std::vector<std::string> paths;
  for (int i = 0; i < 100; ++i) {
    paths.push_back(
        dir.WriteFile("/f" + std::to_string(i), ReportTestdata("google_like_dmarc.xml")));
  }
  ReportReadAhead reader(paths, ReportLimits{}, 2);
  ReportFileRead read = reader.Take(0);
  ASSERT_TRUE(read.parsed.has_value());
  EXPECT_OK(*read.parsed);
}

}  // namespace
}  // namespace mailrep
