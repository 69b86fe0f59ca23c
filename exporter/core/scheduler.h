// Scheduler: runs each enabled collector in the background on its interval.
//
// Each collector gets its own thread. The first run starts after a small
// random delay (up to min(1 s, interval/10)), later runs every interval with
// ±5% jitter so many exporters do not hit a DNSBL in lockstep. A run past its
// timeout is cancelled through CollectContext::stop and counted as an error;
// a run that fails keeps the previous snapshot. A run cancelled by Stop() or a
// reload is not counted at all. Results go to a SnapshotStore.
//
// On reload the exporter builds a new Scheduler and calls TakeOver() with the
// running one: collectors whose fingerprint did not change keep running
// untouched (same object, thread, schedule and self-metrics); changed ones
// are handed over through Collector::AdoptState and keep the schedule.
//
// Due times, durations and the timestamps in CollectorStatus come from the
// Clock it is given (the one in the collectors' CollectorEnv); its waits
// (until a run is due, the timeout, Stop's grace) and CollectContext::deadline
// are real time (clock.h).
//
// Thread-safe. Stop() cancels in-flight runs and returns once every thread has
// finished or `grace` has passed (threads still running are then detached;
// they own what they touch, so this is safe).
#ifndef MAILREP_EXPORTER_CORE_SCHEDULER_H_
#define MAILREP_EXPORTER_CORE_SCHEDULER_H_

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "exporter/core/clock.h"
#include "exporter/core/collector.h"
#include "exporter/core/collector_status.h"
#include "exporter/core/snapshot_store.h"
#include "exporter/util/duration.h"

namespace mailrep {

struct ScheduledCollector {
  std::string name;
  std::unique_ptr<Collector> collector;
  Duration interval;
  Duration timeout;
  // What the collector was built from (config_file.h); a reload keeps a
  // collector whose name and fingerprint are unchanged.
  std::string fingerprint;
};

class Scheduler {
 public:
  // `store` must outlive every thread: it is shared.
  Scheduler(std::vector<ScheduledCollector> collectors, std::shared_ptr<SnapshotStore> store,
            std::shared_ptr<const Clock> clock = Clock::Real());
  ~Scheduler();  // Stop(default grace)
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Reload: takes over from `previous`, the running scheduler it replaces
  // (same store). Call before Start(). `previous` then only reports (its
  // Statuses() and Collectors() stay readable) and its Stop() does nothing. For
  // each collector of this scheduler, by name:
  //   - same fingerprint in `previous`: previous's job is kept as it is, with
  //     its collector object, thread, schedule and status (no extra run); the
  //     collector built for this scheduler is dropped unused;
  //   - another fingerprint: previous's run is stopped (waiting up to
  //     `grace`), then the new collector adopts its state (AdoptState) and
  //     self-metrics, and first runs when previous's next run was due, but no
  //     later than one new interval from now;
  //   - not in `previous`: first run after the usual small delay.
  // Collectors of `previous` absent here are stopped.
  void TakeOver(Scheduler& previous, Duration grace = std::chrono::seconds(4));
  void Start();
  void Stop(Duration grace = std::chrono::seconds(4));

  std::vector<CollectorStatus> Statuses() const;
  // The collectors this scheduler runs (kept ones included after TakeOver),
  // by name, in order; shared so a probe can keep its collector alive.
  std::vector<std::pair<std::string, std::shared_ptr<Collector>>> Collectors() const;
  // True once every collector has finished its first run (successful or not).
  bool FirstRoundDone() const;

 private:
  struct Job;
  static void RunLoop(std::shared_ptr<Job> job, std::shared_ptr<SnapshotStore> store);
  static void RunOnce(Job& job, SnapshotStore& store);
  // Cancels the jobs' runs and waits up to `grace` for their threads; returns,
  // per job, whether its thread finished (those that did not are detached).
  static std::vector<bool> StopJobs(const std::vector<std::shared_ptr<Job>>& jobs, Duration grace);

  std::vector<std::shared_ptr<Job>> jobs_;
  std::shared_ptr<SnapshotStore> store_;
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CORE_SCHEDULER_H_
