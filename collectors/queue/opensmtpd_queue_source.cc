#include "collectors/queue/opensmtpd_queue_source.h"

#include <utility>

#include "collectors/queue/opensmtpd_queue_scan.h"

namespace mailrep {
namespace {

class OpensmtpdQueueScanner : public QueueScanner {
 public:
  OpensmtpdQueueScanner(std::string directory, const QueueScanOptions& options)
      : directory_(std::move(directory)) {
    options_.read_reasons = options.read_reasons;
    options_.max_destinations = options.max_destinations;
  }

  StatusOr<QueueScan> Scan(std::stop_token stop) override {
    return ScanOpensmtpdSpool(directory_, options_, std::move(stop));
  }

 private:
  std::string directory_;
  OpensmtpdScanOptions options_;
};

}  // namespace

std::unique_ptr<QueueScanner> NewOpensmtpdQueueScanner(const std::string& directory,
                                                       const QueueScanOptions& options) {
  return std::make_unique<OpensmtpdQueueScanner>(directory, options);
}

}  // namespace mailrep
