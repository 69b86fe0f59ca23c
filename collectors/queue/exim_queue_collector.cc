#include "collectors/queue/exim_queue_collector.h"

#include <chrono>
#include <utility>

#include "collectors/queue/exim_queue_scan.h"
#include "collectors/queue/queue_metrics.h"

namespace mailrep {
namespace {

int64_t SystemNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

EximQueueCollector::EximQueueCollector(EximQueueCollectorOptions options)
    : options_(std::move(options)) {
  if (!options_.now) options_.now = SystemNow;
}

Status EximQueueCollector::Collect(const CollectContext& ctx, MetricSet* out) {
  EximScanOptions scan_options;
  scan_options.read_msglogs = options_.read_msglogs;
  std::vector<std::pair<const EximQueueInstance*, EximQueueScan>> scans;
  for (const EximQueueInstance& instance : options_.instances) {
    StatusOr<EximQueueScan> scan = ScanEximSpool(instance.spool_directory, scan_options, ctx.stop);
    if (!scan.ok()) return scan.status().Annotate("exim instance " + instance.name);
    problem_totals_[instance.name].Merge(scan->problems);
    scans.emplace_back(&instance, std::move(scan).value());
  }
  int64_t now = options_.now();
  for (const auto& [instance, scan] : scans) {
    EmitScan("exim", instance->name, kEximQueueNames, scan, problem_totals_[instance->name],
             options_.top_destinations, now, out);
  }
  return Status::OK();
}

}  // namespace mailrep
