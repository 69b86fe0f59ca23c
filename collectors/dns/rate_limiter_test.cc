#include "collectors/dns/rate_limiter.h"

#include <gtest/gtest.h>

#include "exporter/core/fake_clock.h"

namespace mailrep {
namespace {

using std::chrono::milliseconds;

class RateLimiterTest : public ::testing::Test {
 protected:
  bool Take(RateLimiter& limiter, const char* key) {
    wait_ = {};
    return limiter.TryAcquire(key, &wait_);
  }

  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  std::chrono::steady_clock::duration wait_{};
};

TEST_F(RateLimiterTest, UnlimitedByDefault) {
  RateLimiter limiter(clock_);
  for (int i = 0; i < 10000; ++i) ASSERT_TRUE(Take(limiter, "zen.example"));
}

TEST_F(RateLimiterTest, SpacesQueriesAtTheRate) {
  RateLimiter limiter(clock_);
  limiter.SetRate("zen.example", 10);  // one every 100 ms, burst 1
  EXPECT_TRUE(Take(limiter, "zen.example"));
  EXPECT_FALSE(Take(limiter, "zen.example"));
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(wait_), milliseconds(100));
  clock_->Advance(milliseconds(60));
  EXPECT_FALSE(Take(limiter, "zen.example"));
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(wait_ + std::chrono::microseconds(1)),
            milliseconds(40));
  clock_->Advance(milliseconds(40));
  EXPECT_TRUE(Take(limiter, "zen.example"));
  // Other keys are independent.
  EXPECT_TRUE(Take(limiter, "other.example"));
}

TEST_F(RateLimiterTest, BurstThenSteadyRate) {
  RateLimiter limiter(clock_);
  limiter.SetRate("k", 5, 3);
  int taken = 0;
  while (Take(limiter, "k")) ++taken;
  EXPECT_EQ(taken, 3);
  // Over 10 s at 5/s exactly 50 more, never more.
  taken = 0;
  for (int step = 0; step < 1000; ++step) {
    clock_->Advance(milliseconds(10));
    while (Take(limiter, "k")) ++taken;
  }
  EXPECT_EQ(taken, 50);
}

TEST_F(RateLimiterTest, IdleTimeDoesNotExceedBurst) {
  RateLimiter limiter(clock_);
  limiter.SetRate("k", 100, 2);
  clock_->Advance(std::chrono::hours(1));
  EXPECT_TRUE(Take(limiter, "k"));
  EXPECT_TRUE(Take(limiter, "k"));
  EXPECT_FALSE(Take(limiter, "k"));
}

TEST_F(RateLimiterTest, DefaultRateAppliesToEachKeySeparately) {
  RateLimiter limiter(clock_);
  limiter.SetDefaultRate(1);
  limiter.SetRate("fast", 0);  // explicitly unlimited
  EXPECT_TRUE(Take(limiter, "a"));
  EXPECT_FALSE(Take(limiter, "a"));
  EXPECT_TRUE(Take(limiter, "b"));
  EXPECT_TRUE(Take(limiter, "fast"));
  EXPECT_TRUE(Take(limiter, "fast"));
  limiter.SetDefaultRate(0);
  EXPECT_TRUE(Take(limiter, "a"));
}

}  // namespace
}  // namespace mailrep
