#include "exporter/core/periodic_timer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

#include "exporter/core/fake_clock.h"

namespace mailrep {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// A poll so long the thread never wakes by itself during a test: only
// RunIfDue() and Stop() act.
constexpr Duration kNeverPolls = hours(24);

TEST(PeriodicTimerTest, RunsOnePeriodAfterStartThenAPeriodAfterEachRun) {
  auto clock = std::make_shared<FakeClock>();
  int runs = 0;
  PeriodicTimer timer(
      clock, hours(1), [&] { ++runs; }, kNeverPolls);
  EXPECT_FALSE(timer.RunIfDue());
  clock->Advance(minutes(59));
  EXPECT_FALSE(timer.RunIfDue());
  clock->Advance(minutes(1));
  EXPECT_TRUE(timer.RunIfDue());
  EXPECT_FALSE(timer.RunIfDue()) << "not due again until a period has passed";
  clock->Advance(minutes(30));
  EXPECT_FALSE(timer.RunIfDue());
  clock->Advance(minutes(30));
  EXPECT_TRUE(timer.RunIfDue());
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(timer.runs(), 2u);
}

TEST(PeriodicTimerTest, ItsThreadRunsTheTaskWhenTheClockSaysSo) {
  auto clock = std::make_shared<FakeClock>();
  std::promise<void> ran;
  std::atomic<bool> once{false};
  PeriodicTimer timer(
      clock, hours(1),
      [&] {
        if (!once.exchange(true)) ran.set_value();
      },
      std::chrono::milliseconds(1));
  std::future<void> done = ran.get_future();
  clock->Advance(hours(1));
  ASSERT_EQ(done.wait_for(seconds(10)), std::future_status::ready);
  timer.Stop();
  EXPECT_EQ(timer.runs(), 1u);
}

TEST(PeriodicTimerTest, StopWakesAnIdleThreadAtOnceAndNoRunFollows) {
  auto clock = std::make_shared<FakeClock>();
  int runs = 0;
  PeriodicTimer timer(
      clock, hours(1), [&] { ++runs; }, kNeverPolls);
  auto before = std::chrono::steady_clock::now();
  timer.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, seconds(2));
  clock->Advance(hours(2));
  EXPECT_FALSE(timer.RunIfDue());
  timer.Stop();  // idempotent
  EXPECT_EQ(runs, 0);
}

TEST(PeriodicTimerTest, StopWaitsForARunInProgress) {
  auto clock = std::make_shared<FakeClock>();
  std::promise<void> started, release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> finished{false};
  PeriodicTimer timer(
      clock, hours(1),
      [&] {
        started.set_value();
        released.wait();
        finished = true;
      },
      std::chrono::milliseconds(1));
  std::future<void> running = started.get_future();
  clock->Advance(hours(1));
  ASSERT_EQ(running.wait_for(seconds(10)), std::future_status::ready);
  std::future<void> stopped = std::async(std::launch::async, [&] { timer.Stop(); });
  EXPECT_EQ(stopped.wait_for(std::chrono::milliseconds(50)), std::future_status::timeout);
  release.set_value();
  stopped.get();
  EXPECT_TRUE(finished);
}

}  // namespace
}  // namespace mailrep
