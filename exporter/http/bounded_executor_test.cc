#include "exporter/http/bounded_executor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

namespace mailrep {
namespace {

TEST(BoundedExecutorTest, RefusesWhenEveryThreadIsBusyAndRunsAcceptedWork) {
  BoundedExecutor executor(2);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> ran{0};
  auto blocking = [&] {
    released.wait();
    ++ran;
  };
  EXPECT_TRUE(executor.TrySubmit(blocking));
  EXPECT_TRUE(executor.TrySubmit(blocking));
  EXPECT_FALSE(executor.TrySubmit([&] { ++ran; }));
  EXPECT_EQ(executor.InFlight(), 2);
  release.set_value();
  executor.Shutdown();
  EXPECT_EQ(ran, 2);
  EXPECT_EQ(executor.InFlight(), 0);
  EXPECT_FALSE(executor.TrySubmit([&] { ++ran; }));
  executor.Shutdown();  // twice is fine
}

TEST(BoundedExecutorTest, ShutdownRunsWhatWasAccepted) {
  std::atomic<int> ran{0};
  {
    BoundedExecutor executor(3);
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(executor.TrySubmit([&] { ++ran; }));
  }
  EXPECT_EQ(ran, 3);
}

}  // namespace
}  // namespace mailrep
