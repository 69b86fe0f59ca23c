#include "collectors/queue/postfix_queue_collector.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "collectors/queue/postfix_queue_scan.h"
#include "collectors/queue/queue_metrics.h"

namespace mailrep {
namespace {

int64_t SystemNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

PostfixQueueCollector::PostfixQueueCollector(PostfixQueueCollectorOptions options)
    : options_(std::move(options)) {
  if (!options_.now) options_.now = SystemNow;
}

Status PostfixQueueCollector::Collect(const CollectContext& ctx, MetricSet* out) {
  PostfixScanOptions scan_options;
  scan_options.read_defer_logs = options_.read_defer_logs;
  scan_options.threads = options_.scan_threads;
  std::vector<std::pair<const PostfixQueueInstance*, PostfixQueueScan>> scans;
  for (const PostfixQueueInstance& instance : options_.instances) {
    StatusOr<PostfixQueueScan> scan =
        ScanPostfixQueue(instance.queue_directory, scan_options, ctx.stop);
    if (!scan.ok()) return scan.status().Annotate("postfix instance " + instance.name);
    problem_totals_[instance.name].Merge(scan->problems);
    for (size_t q = 0; q < kPostfixQueueNames.size(); ++q) {
      if (!scan->queues[q].readable) {
        return Status::PermissionDenied(
            "postfix instance " + instance.name + ": cannot list " + instance.queue_directory +
            "/" + std::string(kPostfixQueueNames[q]) +
            " (run as root or the postfix user, or grant CAP_DAC_READ_SEARCH)");
      }
    }
    scans.emplace_back(&instance, std::move(scan).value());
  }

  int64_t now = options_.now();
  for (const auto& [instance, scan] : scans) {
    EmitScan("postfix", instance->name, kPostfixQueueNames, scan, problem_totals_[instance->name],
             options_.top_destinations, now, out);
  }
  return Status::OK();
}

}  // namespace mailrep
