#include "exporter/core/clock.h"

#include <gtest/gtest.h>

#include "exporter/core/fake_clock.h"

namespace mailrep {
namespace {

TEST(ClockTest, RealClockMoves) {
  const Clock& clock = *Clock::Real();
  auto before = clock.SteadyNow();
  EXPECT_GE(clock.SteadyNow(), before);
  EXPECT_GT(clock.UnixSeconds(), 1700000000);
  EXPECT_EQ(Clock::Real().get(), &clock);
}

TEST(ClockTest, FakeClockMovesOnlyWhenAdvanced) {
  FakeClock clock(1795791200);
  auto steady = clock.SteadyNow();
  EXPECT_EQ(clock.UnixSeconds(), 1795791200);
  EXPECT_EQ(clock.SteadyNow(), steady);
  clock.Advance(std::chrono::seconds(90));
  EXPECT_EQ(clock.UnixSeconds(), 1795791290);
  EXPECT_EQ(clock.SteadyNow() - steady, std::chrono::seconds(90));
}

}  // namespace
}  // namespace mailrep
