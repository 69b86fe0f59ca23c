#include "exporter/core/scheduler.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace mailrep {
namespace {

using std::chrono::milliseconds;

// Emits `runs` as a gauge; fails on the runs listed in `fail_on`.
class CountingCollector : public Collector {
 public:
  explicit CountingCollector(std::vector<int> fail_on = {}) : fail_on_(std::move(fail_on)) {}
  Status Collect(const CollectContext&, MetricSet* out) override {
    int run = ++runs_;
    for (int f : fail_on_) {
      if (f == run) return Status::Unavailable("run " + std::to_string(run) + " failed");
    }
    out->AddGauge("test_runs", "Runs.", {}, run);
    return Status::OK();
  }

 private:
  std::vector<int> fail_on_;
  std::atomic<int> runs_{0};
};

// Waits until cancelled, as a well-behaved long check does.
class BlockingCollector : public Collector {
 public:
  Status Collect(const CollectContext& ctx, MetricSet*) override {
    while (!ctx.stop.stop_requested()) std::this_thread::sleep_for(milliseconds(5));
    return Status::Cancelled("stopped");
  }
};

template <typename Pred>
bool WaitFor(Pred pred, milliseconds limit = milliseconds(5000)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(milliseconds(5));
  }
  return pred();
}

std::vector<ScheduledCollector> One(std::unique_ptr<Collector> c, milliseconds interval,
                                    milliseconds timeout) {
  std::vector<ScheduledCollector> v;
  v.push_back({"test", std::move(c), interval, timeout});
  return v;
}

TEST(SchedulerTest, RunsRepeatedlyAndPublishesSnapshots) {
  auto store = std::make_shared<SnapshotStore>();
  Scheduler scheduler(
      One(std::make_unique<CountingCollector>(), milliseconds(20), milliseconds(1000)), store);
  EXPECT_FALSE(scheduler.FirstRoundDone());
  scheduler.Start();
  ASSERT_TRUE(WaitFor([&] { return scheduler.Statuses()[0].runs >= 3; }));
  EXPECT_TRUE(scheduler.FirstRoundDone());
  EXPECT_NE(store->Exposition()->find("test_runs"), std::string::npos);
  scheduler.Stop();
  CollectorStatus s = scheduler.Statuses()[0];
  EXPECT_TRUE(s.last_success);
  EXPECT_EQ(s.errors, 0u);
}

TEST(SchedulerTest, FailedRunKeepsLastGoodSnapshotAndCountsTheError) {
  auto store = std::make_shared<SnapshotStore>();
  Scheduler scheduler(One(std::make_unique<CountingCollector>(std::vector<int>{2, 3, 4, 5, 6, 7}),
                          milliseconds(10), milliseconds(1000)),
                      store);
  scheduler.Start();
  ASSERT_TRUE(WaitFor([&] { return scheduler.Statuses()[0].errors >= 2; }));
  scheduler.Stop();
  CollectorStatus s = scheduler.Statuses()[0];
  EXPECT_FALSE(s.last_success);
  EXPECT_NE(s.last_error.find("failed"), std::string::npos);
  EXPECT_NE(store->Exposition()->find("test_runs 1"), std::string::npos);
}

TEST(SchedulerTest, RunPastItsTimeoutIsCancelledAndCounted) {
  auto store = std::make_shared<SnapshotStore>();
  Scheduler scheduler(
      One(std::make_unique<BlockingCollector>(), milliseconds(10000), milliseconds(50)), store);
  scheduler.Start();
  ASSERT_TRUE(WaitFor([&] { return scheduler.Statuses()[0].runs >= 1; }));
  CollectorStatus s = scheduler.Statuses()[0];
  EXPECT_EQ(s.errors, 1u);
  EXPECT_NE(s.last_error.find("deadline_exceeded"), std::string::npos) << s.last_error;
  auto before = std::chrono::steady_clock::now();
  scheduler.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, milliseconds(1000))
      << "a sleeping scheduler stops at once";
}

TEST(SchedulerTest, StopCancelsAnInFlightRun) {
  auto store = std::make_shared<SnapshotStore>();
  Scheduler scheduler(
      One(std::make_unique<BlockingCollector>(), milliseconds(10000), milliseconds(60000)), store);
  scheduler.Start();
  std::this_thread::sleep_for(milliseconds(1200));  // past the first-run jitter
  auto before = std::chrono::steady_clock::now();
  scheduler.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, milliseconds(1000));
}

TEST(SchedulerTest, InheritsCountersAndReadinessAcrossReload) {
  auto store = std::make_shared<SnapshotStore>();
  Scheduler first(One(std::make_unique<CountingCollector>(), milliseconds(10), milliseconds(1000)),
                  store);
  first.Start();
  ASSERT_TRUE(WaitFor([&] { return first.Statuses()[0].runs >= 2; }));
  first.Stop();
  Scheduler second(
      One(std::make_unique<CountingCollector>(), milliseconds(10000), milliseconds(1000)), store);
  second.InheritStatus(first);
  EXPECT_TRUE(second.FirstRoundDone());
  EXPECT_GE(second.Statuses()[0].runs, 2u);
}

}  // namespace
}  // namespace mailrep
