#include "exporter/core/scheduler.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "exporter/core/fake_clock.h"

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
  v.push_back({"test", std::move(c), interval, timeout, ""});
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

// A collector whose run takes `took` on the given FakeClock.
class SlowOnTheClock : public Collector {
 public:
  SlowOnTheClock(std::shared_ptr<FakeClock> clock, std::chrono::seconds took)
      : clock_(std::move(clock)), took_(took) {}
  Status Collect(const CollectContext&, MetricSet*) override {
    clock_->Advance(took_);
    return Status::OK();
  }

 private:
  std::shared_ptr<FakeClock> clock_;
  std::chrono::seconds took_;
};

TEST(SchedulerTest, TimestampsAndDurationsComeFromItsClock) {
  auto clock = std::make_shared<FakeClock>(1700000000);
  Scheduler scheduler(One(std::make_unique<SlowOnTheClock>(clock, std::chrono::seconds(7)),
                          std::chrono::hours(1), milliseconds(1000)),
                      std::make_shared<SnapshotStore>(), clock);
  scheduler.Start();
  ASSERT_TRUE(WaitFor([&] { return scheduler.Statuses()[0].runs >= 1; }));
  scheduler.Stop();
  CollectorStatus s = scheduler.Statuses()[0];
  EXPECT_TRUE(s.last_success) << s.last_error;
  EXPECT_DOUBLE_EQ(s.last_duration_seconds, 7.0);
  EXPECT_EQ(s.last_run_end, clock->WallNow());
  EXPECT_EQ(std::chrono::system_clock::to_time_t(s.last_success_end), 1700000007);
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
  CollectorStatus s = scheduler.Statuses()[0];
  EXPECT_EQ(s.runs, 0u) << "a run cancelled by Stop (shutdown, reload) is not counted";
  EXPECT_EQ(s.errors, 0u);
}

// Counts its runs in `total`, which AdoptState carries over from the
// previous instance (the way a collector keeps its counters across a reload).
class AdoptingCollector : public Collector {
 public:
  Status Collect(const CollectContext&, MetricSet* out) override {
    out->AddGauge("test_total", "Total.", {}, ++total);
    return Status::OK();
  }
  void AdoptState(Collector& previous) override {
    total = dynamic_cast<AdoptingCollector&>(previous).total.load();
    adopted = true;
  }
  std::atomic<int> total{0};
  bool adopted = false;
};

std::vector<ScheduledCollector> Named(std::vector<std::string> names, milliseconds interval,
                                      std::string fingerprint) {
  std::vector<ScheduledCollector> v;
  for (const std::string& name : names) {
    v.push_back(
        {name, std::make_unique<AdoptingCollector>(), interval, milliseconds(1000), fingerprint});
  }
  return v;
}

AdoptingCollector& CollectorOf(const Scheduler& s, size_t i) {
  return dynamic_cast<AdoptingCollector&>(*s.Collectors()[i].second);
}

// A started scheduler of AdoptingCollectors on a 60 s interval, once each
// has run once (the running generation a reload replaces).
std::unique_ptr<Scheduler> RanOnce(std::vector<std::string> names, std::string fingerprint,
                                   std::shared_ptr<SnapshotStore> store) {
  auto s = std::make_unique<Scheduler>(Named(names, milliseconds(60000), fingerprint), store);
  s->Start();
  EXPECT_TRUE(WaitFor([&] { return s->FirstRoundDone(); }));
  return s;
}

TEST(SchedulerTest, TakeOverKeepsAnUnchangedCollectorRunningWithoutAnExtraRun) {
  auto store = std::make_shared<SnapshotStore>();
  std::unique_ptr<Scheduler> first = RanOnce({"a"}, "fp", store);
  Collector* running = first->Collectors()[0].second.get();

  Scheduler second(Named({"a"}, milliseconds(60000), "fp"), store);
  second.TakeOver(*first);
  first->Stop();  // must not stop what `second` now runs
  second.Start();
  EXPECT_EQ(second.Collectors()[0].second.get(), running) << "the same object keeps running";
  EXPECT_TRUE(second.FirstRoundDone());
  std::this_thread::sleep_for(milliseconds(1500));  // past any first-run delay
  EXPECT_EQ(second.Statuses()[0].runs, 1u) << "a reload re-ran an unchanged collector";
  EXPECT_EQ(CollectorOf(second, 0).total, 1);
}

TEST(SchedulerTest, TakeOverHandsAChangedCollectorsStateToItsReplacement) {
  auto store = std::make_shared<SnapshotStore>();
  std::unique_ptr<Scheduler> first = RanOnce({"a"}, "fp1", store);
  Collector* old = first->Collectors()[0].second.get();

  Scheduler second(Named({"a"}, milliseconds(60000), "fp2"), store);
  second.TakeOver(*first);
  second.Start();
  AdoptingCollector& replacement = CollectorOf(second, 0);
  EXPECT_NE(&replacement, old);
  EXPECT_TRUE(replacement.adopted);
  EXPECT_EQ(replacement.total, 1);
  EXPECT_EQ(second.Statuses()[0].runs, 1u) << "self-metrics carried over";
  EXPECT_TRUE(second.FirstRoundDone());
  std::this_thread::sleep_for(milliseconds(1500));
  EXPECT_EQ(second.Statuses()[0].runs, 1u) << "the first run follows the old schedule";
}

TEST(SchedulerTest, TakeOverRunsAChangedCollectorWithinItsNewInterval) {
  auto store = std::make_shared<SnapshotStore>();
  std::unique_ptr<Scheduler> first = RanOnce({"a"}, "fp1", store);

  Scheduler second(Named({"a"}, milliseconds(300), "fp2"), store);
  second.TakeOver(*first);
  second.Start();
  ASSERT_TRUE(WaitFor([&] { return second.Statuses()[0].runs >= 2; }))
      << "a shorter interval applies from the reload";
  EXPECT_GE(CollectorOf(second, 0).total, 2);
}

TEST(SchedulerTest, TakeOverStopsRemovedCollectorsAndStartsNewOnes) {
  auto store = std::make_shared<SnapshotStore>();
  std::unique_ptr<Scheduler> first = RanOnce({"gone", "kept"}, "fp", store);
  std::weak_ptr<Collector> gone = first->Collectors()[0].second;
  std::weak_ptr<Collector> kept = first->Collectors()[1].second;

  Scheduler second(Named({"kept", "new"}, milliseconds(100), "fp"), store);
  second.TakeOver(*first);
  second.Start();
  first.reset();  // the old generation goes away
  EXPECT_TRUE(gone.expired()) << "a removed collector is stopped and released";
  ASSERT_FALSE(kept.expired());
  EXPECT_EQ(second.Collectors()[0].second, kept.lock());
  ASSERT_TRUE(WaitFor([&] { return second.Statuses()[1].runs >= 1; }));
  EXPECT_FALSE(CollectorOf(second, 1).adopted);
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_EQ(second.Statuses()[0].runs, 1u) << "the kept job keeps its own 60 s schedule";
}

}  // namespace
}  // namespace mailrep
