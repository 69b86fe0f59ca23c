#include "collectors/queue/sendmail_queue_source.h"

#include <utility>

#include "collectors/queue/sendmail_queue_scan.h"

namespace mailrep {
namespace {

class SendmailQueueScanner : public QueueScanner {
 public:
  SendmailQueueScanner(std::string directory, const QueueScanOptions& options)
      : directory_(std::move(directory)) {
    options_.count_only = options.count_only;
    options_.read_reasons = options.read_reasons;
    options_.max_destinations = options.max_destinations;
  }

  StatusOr<QueueScan> Scan(std::stop_token stop) override {
    StatusOr<SendmailQueueScan> scan = ScanSendmailQueue(directory_, options_, stop);
    if (!scan.ok()) return scan.status();
    QueueScan out;
    for (const SendmailQueueStats& s : scan->queues) {
      out.queues.push_back({s.messages, s.bytes, s.recipients, s.oldest_arrival});
    }
    out.deferred_by_destination = std::move(scan->deferred_by_destination);
    out.deferred_by_reason = scan->deferred_by_reason;
    out.problems = scan->problems;
    return out;
  }

 private:
  std::string directory_;
  SendmailScanOptions options_;
};

}  // namespace

std::unique_ptr<QueueScanner> NewSendmailQueueScanner(const std::string& directory,
                                                      const QueueScanOptions& options) {
  return std::make_unique<SendmailQueueScanner>(directory, options);
}

}  // namespace mailrep
