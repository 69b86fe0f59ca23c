#include "exporter/util/duration.h"

#include <gtest/gtest.h>

#include <string>

#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(ParseDurationTest, Valid) {
  struct Case {
    const char* text;
    Duration want;
  } cases[] = {
      {"0s", Duration(0)},
      {"500ms", milliseconds(500)},
      {"2s", seconds(2)},
      {"15m", minutes(15)},
      {"1h30m", minutes(90)},
      {"1d", hours(24)},
      {"2w", hours(24 * 14)},
      {"1y", hours(24 * 365)},
      {"1h1m1s1ms", milliseconds(3661001)},
      {"90s", seconds(90)},
      {"0ms", Duration(0)},
      {"1y1w1d1h1m1s1ms", hours(24 * 373) + milliseconds(3661001)},
  };
  for (const Case& c : cases) {
    StatusOr<Duration> got = ParseDuration(c.text);
    ASSERT_OK(got) << c.text;
    EXPECT_EQ(got->count(), c.want.count()) << c.text;
  }
}

TEST(ParseDurationTest, Invalid) {
  struct Case {
    const char* text;
    const char* reason;
  } cases[] = {
      {"", "empty"},
      {"0", "missing unit"},
      {"15", "missing unit"},
      {"15x", "unknown unit \"x\""},
      {"-5s", "no sign"},
      {"+5s", "no sign"},
      {"1.5s", "no fractions"},
      {"1s1h", "decreasing order"},
      {"1s1s", "decreasing order"},
      {"s", "expected a number"},
      {" 1s", "expected a number"},
      {"1s ", "unknown unit"},
      {"1 s", "unknown unit"},
      {"1sec", "unknown unit"},
      {"1H", "unknown unit"},
      {"99999999999999999999s", "too large"},
      {"9223372036854775807s", "too large"},
      {"300000000y", "too large"},
      {"292471208y292471208y", "decreasing order"},
  };
  for (const Case& c : cases) {
    StatusOr<Duration> got = ParseDuration(c.text);
    ASSERT_FALSE(got.ok()) << c.text;
    EXPECT_EQ(got.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(got.status().message().find(c.reason), std::string::npos)
        << c.text << ": " << got.status().message();
  }
}

TEST(FormatDurationTest, ShortestForm) {
  struct Case {
    Duration d;
    const char* want;
  } cases[] = {
      {Duration(0), "0s"},
      {milliseconds(90000), "1m30s"},
      {milliseconds(500), "500ms"},
      {milliseconds(1500), "1s500ms"},
      {hours(24), "1d"},
      {hours(24 * 8), "1w1d"},
      {hours(24 * 365), "1y"},
      {seconds(3600), "1h"},
      {milliseconds(-2000), "-2s"},
  };
  for (const Case& c : cases) EXPECT_EQ(FormatDuration(c.d), c.want);
}

TEST(FormatDurationTest, RoundTrips) {
  for (int64_t ms : {1LL, 999LL, 1000LL, 61001LL, 86400000LL, 123456789012LL}) {
    Duration d(ms);
    StatusOr<Duration> back = ParseDuration(FormatDuration(d));
    ASSERT_OK(back) << FormatDuration(d);
    EXPECT_EQ(back->count(), ms);
  }
}

TEST(ToSecondsTest, BaseUnit) { EXPECT_DOUBLE_EQ(ToSeconds(milliseconds(1500)), 1.5); }

}  // namespace
}  // namespace mailrep
