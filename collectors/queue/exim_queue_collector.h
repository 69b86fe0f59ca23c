// The Exim queue collector: reads each configured spool_directory straight
// from disk every cycle (see exim_queue_scan.h) and exports the queue metric
// families of queue_metrics.h with mta="exim" and queue in {new, deferred,
// frozen} (frozen messages are the queue="frozen" series).
//
// Needs read access to the spool (root, or the Exim group: Debian-exim on
// Debian, whose dirs are 0750 and files 0640). A missing or unreadable spool
// fails the collection with a Status naming the path. Collect() is called
// from one thread at a time, as collector.h requires.
#ifndef MAILREP_COLLECTORS_QUEUE_EXIM_QUEUE_COLLECTOR_H_
#define MAILREP_COLLECTORS_QUEUE_EXIM_QUEUE_COLLECTOR_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "collectors/queue/spool_walker.h"
#include "exporter/core/collector.h"

namespace mailrep {

struct EximQueueInstance {
  std::string name;             // label value: "default"
  std::string spool_directory;  // as opened (already prefixed with the root)
};

struct EximQueueCollectorOptions {
  std::vector<EximQueueInstance> instances;
  int top_destinations = 10;
  bool read_msglogs = true;
  std::function<int64_t()> now;  // Unix seconds; the system clock when empty
};

class EximQueueCollector : public Collector {
 public:
  explicit EximQueueCollector(EximQueueCollectorOptions options);
  Status Collect(const CollectContext& ctx, MetricSet* out) override;

 private:
  EximQueueCollectorOptions options_;
  std::map<std::string, SpoolProblemCounts> problem_totals_;
};

// Options (collectors.exim_queue in the config):
//   instances:         [{name: default, spool_directory: /var/spool/exim4}, ...]
//                      empty or absent: what the host collector's MTA detection finds
//   top_destinations:  10 (0..1000)
//   read_msglogs:      true (deferral reasons from msglog/)
StatusOr<std::unique_ptr<Collector>> NewEximQueueCollector(const CollectorEnv& env,
                                                           ConfigNode& options);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_EXIM_QUEUE_COLLECTOR_H_
