#include "collectors/queue/opensmtpd_queue_source.h"

#include "collectors/queue/opensmtpd_queue_scan.h"

namespace mailrep {

std::unique_ptr<QueueScanner> NewOpensmtpdQueueScanner(const std::string& directory,
                                                       const QueueScanOptions& options) {
  OpensmtpdScanOptions own;
  own.read_reasons = options.read_reasons;
  own.max_destinations = options.max_destinations;
  return NewStatelessQueueScanner(directory, own, &ScanOpensmtpdSpool);
}

}  // namespace mailrep
