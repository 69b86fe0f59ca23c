#include "collectors/sketch/windowed.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "collectors/sketch/hyperloglog.h"
#include "collectors/sketch/sketch_streams.h"
#include "collectors/sketch/space_saving.h"
#include "exporter/core/fake_clock.h"

namespace mailrep {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// FakeClock's steady time starts at 1 h: on a bucket boundary of both windows.
class WindowedTest : public ::testing::Test {
 protected:
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
};

TEST_F(WindowedTest, KeysLeaveAfterTheWindow) {
  Windowed<SpaceSaving> window(kHourWindow, clock_, SpaceSaving(16));
  window.Current().Add("early", 5);
  clock_->Advance(minutes(30));
  window.Current().Add("middle", 3);
  clock_->Advance(minutes(29) + seconds(59));  // 59:59: the first bucket is still in
  EXPECT_EQ(window.Merged().Find("early").count, 5u);
  EXPECT_EQ(window.Merged().total(), 8u);
  clock_->Advance(seconds(1));  // 60:00: a 13th bucket begins, the first leaves
  EXPECT_FALSE(window.Merged().Find("early").monitored);
  EXPECT_EQ(window.Merged().Find("middle").count, 3u);
  clock_->Advance(minutes(30));  // 90:00: the 30-minute bucket left at 90:00
  EXPECT_EQ(window.Merged().total(), 0u);
  // Adding again after the gap starts afresh.
  window.Current().Add("late");
  EXPECT_EQ(window.Merged().total(), 1u);
  EXPECT_EQ(window.Merged().Find("late").count, 1u);
}

TEST_F(WindowedTest, Coverage) {
  clock_->Advance(minutes(2));
  Windowed<HyperLogLog> window(kHourWindow, clock_, HyperLogLog());
  EXPECT_EQ(window.Coverage(), seconds(0));
  clock_->Advance(minutes(7));
  EXPECT_EQ(window.Coverage(), minutes(7));  // since construction
  clock_->Advance(hours(2));                 // at 2:09 past the start of a bucket
  EXPECT_EQ(window.Coverage(), minutes(55) + minutes(4));
  EXPECT_EQ(kHourWindow.window(), hours(1));
  EXPECT_EQ(kDayWindow.window(), hours(24));
}

// An idle window gives its memory back when the next update comes.
TEST_F(WindowedTest, IdleBucketsAreEmptied) {
  Windowed<SpaceSaving> window(kHourWindow, clock_, SpaceSaving(256));
  size_t empty = window.MemoryBytes();
  for (int i = 0; i < 12 * 300; ++i) {
    window.Current().Add("a long enough submitter name " + std::to_string(i));
    clock_->Advance(seconds(1));
  }
  EXPECT_GT(window.MemoryBytes(), empty + 12 * 256 * 64);
  clock_->Advance(hours(2));
  window.Current().Add("x");
  EXPECT_LT(window.MemoryBytes(), empty + 1024);
}

// The 24 h window of distinct client addresses: hourly buckets merge into
// exactly the registers of one sketch over the hours still in the window.
TEST_F(WindowedTest, DayOfDistinctAddresses) {
  Windowed<HyperLogLog> window(kDayWindow, clock_, HyperLogLog());
  auto address = [](int hour, int i) {
    return "10." + std::to_string(hour) + "." + std::to_string(i);
  };
  for (int hour = 0; hour < 30; ++hour) {
    for (int i = 0; i < 40 * (hour + 1); ++i) window.Current().Add(address(hour, i));
    if (hour < 29) clock_->Advance(hours(1));
  }
  HyperLogLog want;
  int distinct = 0;
  for (int hour = 6; hour < 30; ++hour) {  // the last 24 hours: 6..29
    for (int i = 0; i < 40 * (hour + 1); ++i) want.Add(address(hour, i));
    distinct += 40 * (hour + 1);
  }
  HyperLogLog got = window.Merged();
  for (uint32_t r = 0; r < 4096; ++r) ASSERT_EQ(got.Register(r), want.Register(r)) << r;
  EXPECT_NEAR(got.Estimate(), distinct, 4 * got.RelativeStandardError() * distinct);
}

// Two hours of a Zipf stream through the 1 h window: the merged top 20 against
// exact counts of the updates in the buckets still in the window.
TEST_F(WindowedTest, ZipfTop20OverTheLastHour) {
  const size_t keys = 10000, updates = 600000;
  std::vector<std::string> names;
  for (size_t i = 0; i < keys; ++i) names.push_back(SubmitterName(i));
  std::vector<uint32_t> stream = ZipfStream(keys, 1.0, updates, 17);
  Windowed<SpaceSaving> window(kHourWindow, clock_, SpaceSaving());
  const auto step = std::chrono::duration_cast<std::chrono::steady_clock::duration>(hours(2)) /
                    static_cast<int64_t>(updates);
  const auto start = clock_->SteadyNow();
  const auto end = start + step * static_cast<int64_t>(updates - 1);
  // The window at `end` holds buckets from the one 55 minutes before end's own.
  const auto bucket = std::chrono::duration_cast<std::chrono::steady_clock::duration>(minutes(5));
  const auto first_kept = start + ((end - start) / bucket - 11) * bucket;
  ExactCounter exact;
  for (size_t j = 0; j < updates; ++j) {
    window.Current().Add(names[stream[j]]);
    if (clock_->SteadyNow() >= first_kept) exact.Add(names[stream[j]]);
    if (j + 1 < updates) clock_->Advance(step);
  }
  SpaceSaving merged = window.Merged();
  uint64_t in_window = 0;
  for (const auto& [key, count] : exact.Top(keys)) in_window += count;
  EXPECT_EQ(merged.total(), in_window);
  TopComparison c = CompareTop(merged.Top(20), exact, 20);
  EXPECT_TRUE(c.bounds_hold);
  EXPECT_EQ(c.rank_mismatches, 0u);
  EXPECT_EQ(c.set_misses, 0u);
  EXPECT_LE(c.max_count_error, 0.01);
}

}  // namespace
}  // namespace mailrep
