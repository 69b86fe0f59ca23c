#include "collectors/queue/exim_queue_source.h"

#include <utility>

#include "collectors/queue/exim_queue_scan.h"

namespace mailrep {
namespace {

class EximQueueScanner : public QueueScanner {
 public:
  EximQueueScanner(std::string spool_directory, const QueueScanOptions& options)
      : spool_directory_(std::move(spool_directory)) {
    options_.read_msglogs = options.read_reasons;
    options_.max_destinations = options.max_destinations;
  }

  StatusOr<QueueScan> Scan(std::stop_token stop) override {
    StatusOr<EximQueueScan> scan = ScanEximSpool(spool_directory_, options_, stop);
    if (!scan.ok()) return scan.status();
    QueueScan out;
    for (const EximQueueStats& s : scan->queues) {
      out.queues.push_back({s.messages, s.bytes, s.recipients, s.oldest_arrival});
    }
    out.deferred_by_destination = std::move(scan->deferred_by_destination);
    out.deferred_by_reason = scan->deferred_by_reason;
    out.problems = scan->problems;
    return out;
  }

 private:
  std::string spool_directory_;
  EximScanOptions options_;
};

}  // namespace

std::unique_ptr<QueueScanner> NewEximQueueScanner(const std::string& spool_directory,
                                                  const QueueScanOptions& options) {
  return std::make_unique<EximQueueScanner>(spool_directory, options);
}

}  // namespace mailrep
