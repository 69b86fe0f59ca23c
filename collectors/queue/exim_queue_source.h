// Exim as a QueueMta: queues new, deferred, frozen read from the
// spool_directory (see exim_queue_scan.h). Options: read_reasons reads
// msglog/; count_only and threads are ignored (one parse per -H file).
#ifndef MAILREP_COLLECTORS_QUEUE_EXIM_QUEUE_SOURCE_H_
#define MAILREP_COLLECTORS_QUEUE_EXIM_QUEUE_SOURCE_H_

#include <memory>
#include <string>

#include "collectors/queue/queue_source.h"

namespace mailrep {

std::unique_ptr<QueueScanner> NewEximQueueScanner(const std::string& spool_directory,
                                                  const QueueScanOptions& options);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_EXIM_QUEUE_SOURCE_H_
