// QueueCollector: one collector class for every MTA's queue. It keeps one
// QueueScanner per configured instance across cycles (scanners may cache),
// scans each instance every cycle and exports, with mta="<QueueMta::mta>",
// the families of queue_metrics.h: per queue messages, bytes, recipients and
// oldest age; deferred messages by destination (top N + "other") and by
// reason; scan problems since start; the reader used
// (mailrep_queue_scan_source_info); with `composition`, per queue the top
// sender domains and submitters and the top submitter's share. Every queue, reason and problem kind
// is exported from the first successful scan (0 when empty).
//
// A scan error (missing or unreadable queue directory) fails the whole
// collection with the Status annotated "<mta> instance <name>". Collect() is
// called from one thread at a time, as collector.h requires.
#ifndef MAILREP_COLLECTORS_QUEUE_QUEUE_COLLECTOR_H_
#define MAILREP_COLLECTORS_QUEUE_QUEUE_COLLECTOR_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "collectors/queue/queue_instances_config.h"
#include "collectors/queue/queue_metrics.h"
#include "collectors/queue/queue_source.h"
#include "collectors/queue/spool_walker.h"
#include "exporter/core/clock.h"
#include "exporter/core/collector.h"

namespace mailrep {

struct QueueCollectorOptions {
  std::vector<QueueInstance> instances;
  int top_destinations = 10;  // deferred destinations exported by name; the rest are "other"
  bool read_reasons = true;   // QueueScanOptions::read_reasons
  int scan_threads = 2;       // QueueScanOptions::threads
  // Queue composition (QueueScanOptions::composition and the top sender
  // domain / top submitter families): off unless configured.
  bool composition = false;
  QueueCompositionExport composition_export;
  // For ages (wall time); Clock::Real() when null. The factory passes env.clock.
  std::shared_ptr<const Clock> clock;
};

class QueueCollector : public Collector {
 public:
  // `mta` must outlive the collector (AllQueueMtas() entries do).
  QueueCollector(const QueueMta& mta, QueueCollectorOptions options);
  Status Collect(const CollectContext& ctx, MetricSet* out) override;

 private:
  struct Instance {
    QueueInstance config;
    std::unique_ptr<QueueScanner> scanner;
    SpoolProblemCounts problem_totals;  // since start: the _total counters
  };

  const QueueMta& mta_;
  QueueCollectorOptions options_;
  std::vector<Instance> instances_;
};

// Reads the options of collectors.<mta>_queue and builds the collector:
//   instances:         [{name: default, <mta.directory_key>: <mta.example_directory>}, ...]
//                      absent: the instances the host collector's MTA detection finds
//                      under env.root (none: the collector idles)
//   top_destinations:  10 (0..1000)
//   <mta.reasons_key>: true (deferral reasons; only when the MTA has a reasons_key)
//   scan_threads:      2 (1..16) parser threads, where the MTA's reader uses them
//   composition:       false: also read each queue file's sender and submitter
//                      and export the top sender domains and submitters per queue
//                      (Postfix then reads every file each scan, without its cache)
//   composition_top:   10 (1..100) entries per queue and family; the rest "other"
//   submitter_labels:  name | hash | none (submitter_labels.h)
//   submitter_hash_key: the HMAC key for hash (required then)
StatusOr<std::unique_ptr<Collector>> NewQueueCollector(const QueueMta& mta, const CollectorEnv& env,
                                                       ConfigNode& options);

// The registry entry of collector "<mta>_queue" (enabled, every 30 s,
// timeout 25 s, help from QueueMta::help). `mta` must be in AllQueueMtas();
// otherwise the factory fails with InvalidArgument when the collector is built.
CollectorSpec QueueCollectorSpec(std::string_view mta);

// QueueCollectorSpec for every entry of AllQueueMtas(), in its order.
std::vector<CollectorSpec> QueueCollectorSpecs();

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_QUEUE_COLLECTOR_H_
