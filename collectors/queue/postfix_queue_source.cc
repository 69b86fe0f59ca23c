#include "collectors/queue/postfix_queue_source.h"

#include <utility>

#include "collectors/queue/postfix_queue_scan.h"
#include "collectors/queue/postfix_showq.h"

namespace mailrep {
namespace {

QueueScan ToQueueScan(PostfixQueueScan&& scan) {
  QueueScan out;
  for (const PostfixQueueStats& s : scan.queues) {
    out.queues.push_back({s.messages, s.bytes, s.recipients, s.oldest_arrival});
  }
  out.deferred_by_destination = std::move(scan.deferred_by_destination);
  out.deferred_by_reason = scan.deferred_by_reason;
  out.problems = scan.problems;
  out.composition = std::move(scan.composition);
  out.source = "spool";
  return out;
}

class PostfixQueueScanner : public QueueScanner {
 public:
  PostfixQueueScanner(std::string queue_directory, const QueueScanOptions& options, bool showq_only)
      : queue_directory_(std::move(queue_directory)), showq_only_(showq_only) {
    options_.count_only = options.count_only;
    options_.read_defer_logs = options.read_reasons;
    options_.threads = options.threads;
    options_.max_destinations = options.max_destinations;
    options_.composition = options.composition && !options.count_only;
    options_.cache = options.count_only || options_.composition ? nullptr : &cache_;
  }

  StatusOr<QueueScan> Scan(std::stop_token stop) override {
    if (showq_only_) return Showq(stop);
    StatusOr<PostfixQueueScan> scan = ScanPostfixQueue(queue_directory_, options_, stop);
    std::string unreadable;
    if (!scan.ok()) {
      if (scan.status().code() != Status::Code::kPermissionDenied) return scan.status();
      unreadable = queue_directory_;
    } else {
      for (size_t q = 0; q < kPostfixQueueNames.size() && unreadable.empty(); ++q) {
        if (!scan->queues[q].readable) {
          unreadable = queue_directory_ + "/" + std::string(kPostfixQueueNames[q]);
        }
      }
      if (unreadable.empty()) return ToQueueScan(std::move(scan).value());
    }
    cache_.Clear();
    StatusOr<QueueScan> showq = Showq(stop);
    if (showq.ok() || showq.status().code() == Status::Code::kCancelled) return showq;
    return Status::PermissionDenied(
        "cannot list " + unreadable +
        " (run as root or the postfix user, or grant CAP_DAC_READ_SEARCH), and showq failed: " +
        showq.status().ToString());
  }

 private:
  StatusOr<QueueScan> Showq(std::stop_token stop) {
    return ReadPostfixShowq(queue_directory_ + "/public/showq", options_.max_destinations, stop);
  }

  std::string queue_directory_;
  bool showq_only_;
  PostfixScanCache cache_;
  PostfixScanOptions options_;
};

}  // namespace

std::unique_ptr<QueueScanner> NewPostfixQueueScanner(const std::string& queue_directory,
                                                     const QueueScanOptions& options) {
  return std::make_unique<PostfixQueueScanner>(queue_directory, options, false);
}

std::unique_ptr<QueueScanner> NewPostfixShowqScanner(const std::string& queue_directory,
                                                     const QueueScanOptions& options) {
  return std::make_unique<PostfixQueueScanner>(queue_directory, options, true);
}

}  // namespace mailrep
