#include "collectors/queue/exim_queue_source.h"

#include "collectors/queue/exim_queue_scan.h"

namespace mailrep {

std::unique_ptr<QueueScanner> NewEximQueueScanner(const std::string& spool_directory,
                                                  const QueueScanOptions& options) {
  EximScanOptions own;
  own.read_msglogs = options.read_reasons;
  own.max_destinations = options.max_destinations;
  return NewStatelessQueueScanner(spool_directory, own, &ScanEximSpool);
}

}  // namespace mailrep
