// Scheduler: runs each enabled collector in the background on its interval.
//
// Each collector gets its own thread. The first run starts after a small
// random delay (up to min(1 s, interval/10)), later runs every interval with
// ±5% jitter so many exporters do not hit a DNSBL in lockstep. A run past its
// timeout is cancelled through CollectContext::stop and counted as an error;
// a run that fails keeps the previous snapshot. Results go to a SnapshotStore.
//
// Thread-safe. Stop() cancels in-flight runs and returns once every thread has
// finished or `grace` has passed (threads still running are then detached;
// they own what they touch, so this is safe).
#ifndef MAILREP_EXPORTER_CORE_SCHEDULER_H_
#define MAILREP_EXPORTER_CORE_SCHEDULER_H_

#include <chrono>
#include <memory>
#include <string>
#include <vector>

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
};

class Scheduler {
 public:
  // `store` must outlive every thread: it is shared.
  Scheduler(std::vector<ScheduledCollector> collectors, std::shared_ptr<SnapshotStore> store);
  ~Scheduler();  // Stop(default grace)
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Carries the self-metrics state over from a scheduler being replaced (on
  // reload), for collectors of the same name, so counters keep counting.
  void InheritStatus(const Scheduler& previous);
  void Start();
  void Stop(Duration grace = std::chrono::seconds(4));

  std::vector<CollectorStatus> Statuses() const;
  // True once every collector has finished its first run (successful or not).
  bool FirstRoundDone() const;

 private:
  struct Job;
  static void RunLoop(std::shared_ptr<Job> job, std::shared_ptr<SnapshotStore> store);
  static void RunOnce(Job& job, SnapshotStore& store);

  std::vector<std::shared_ptr<Job>> jobs_;
  std::shared_ptr<SnapshotStore> store_;
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CORE_SCHEDULER_H_
