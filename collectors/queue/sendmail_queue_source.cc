#include "collectors/queue/sendmail_queue_source.h"

#include "collectors/queue/sendmail_queue_scan.h"

namespace mailrep {

std::unique_ptr<QueueScanner> NewSendmailQueueScanner(const std::string& directory,
                                                      const QueueScanOptions& options) {
  SendmailScanOptions own;
  own.count_only = options.count_only;
  own.read_reasons = options.read_reasons;
  own.max_destinations = options.max_destinations;
  return NewStatelessQueueScanner(directory, own, &ScanSendmailQueue);
}

}  // namespace mailrep
