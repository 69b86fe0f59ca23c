#include "exporter/core/log.h"

#include <gtest/gtest.h>

#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

TEST(LogTest, LogfmtQuotesOnlyWhenNeeded) {
  EXPECT_EQ(FormatLogRecord(false, LogLevel::kInfo, "Listening on",
                            {{"address", "127.0.0.1:9825"}, {"n", 3}, {"err", "a \"b\""}}),
            "level=info msg=\"Listening on\" address=127.0.0.1:9825 n=3 err=\"a \\\"b\\\"\"");
}

TEST(LogTest, JsonEscapesControlCharacters) {
  EXPECT_EQ(FormatLogRecord(true, LogLevel::kWarn, "x\ny", {{"k", "\x01"}, {"n", 0.5}}),
            "\"level\":\"warn\",\"msg\":\"x\\ny\",\"k\":\"\\u0001\",\"n\":0.5");
}

TEST(LogTest, RejectsUnknownLevelAndFormat) {
  EXPECT_FALSE(InitLogging("verbose", "logfmt").ok());
  EXPECT_FALSE(InitLogging("info", "xml").ok());
  EXPECT_OK(InitLogging("info", "logfmt"));
}

TEST(LogTest, CountsWarningsAndErrorsEvenWhenHidden) {
  ASSERT_OK(InitLogging("error", "logfmt"));
  uint64_t warnings = LoggedTotal(LogLevel::kWarn);
  uint64_t errors = LoggedTotal(LogLevel::kError);
  LogWarn("hidden by the level, still counted");
  LogError("counted");
  LogInfo("not counted");
  EXPECT_EQ(LoggedTotal(LogLevel::kWarn), warnings + 1);
  EXPECT_EQ(LoggedTotal(LogLevel::kError), errors + 1);
  EXPECT_EQ(LoggedTotal(LogLevel::kInfo), 0u);
  ASSERT_OK(InitLogging("info", "logfmt"));
}

}  // namespace
}  // namespace mailrep
