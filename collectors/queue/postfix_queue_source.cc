#include "collectors/queue/postfix_queue_source.h"

#include <utility>

#include "collectors/queue/postfix_queue_scan.h"

namespace mailrep {
namespace {

class PostfixQueueScanner : public QueueScanner {
 public:
  PostfixQueueScanner(std::string queue_directory, const QueueScanOptions& options)
      : queue_directory_(std::move(queue_directory)) {
    options_.count_only = options.count_only;
    options_.read_defer_logs = options.read_reasons;
    options_.threads = options.threads;
    options_.max_destinations = options.max_destinations;
  }

  StatusOr<QueueScan> Scan(std::stop_token stop) override {
    StatusOr<PostfixQueueScan> scan = ScanPostfixQueue(queue_directory_, options_, stop);
    if (!scan.ok()) return scan.status();
    QueueScan out;
    for (const PostfixQueueStats& s : scan->queues) {
      out.queues.push_back({s.messages, s.bytes, s.recipients, s.oldest_arrival});
    }
    out.deferred_by_destination = std::move(scan->deferred_by_destination);
    out.deferred_by_reason = scan->deferred_by_reason;
    out.problems = scan->problems;
    return out;
  }

 private:
  std::string queue_directory_;
  PostfixScanOptions options_;
};

}  // namespace

std::unique_ptr<QueueScanner> NewPostfixQueueScanner(const std::string& queue_directory,
                                                     const QueueScanOptions& options) {
  return std::make_unique<PostfixQueueScanner>(queue_directory, options);
}

}  // namespace mailrep
