// Postfix as a QueueMta: queues maildrop, incoming, active, deferred, hold,
// corrupt read from the queue_directory (see postfix_queue_scan.h).
#ifndef MAILREP_COLLECTORS_QUEUE_POSTFIX_QUEUE_SOURCE_H_
#define MAILREP_COLLECTORS_QUEUE_POSTFIX_QUEUE_SOURCE_H_

#include <memory>
#include <string>

#include "collectors/queue/queue_source.h"

namespace mailrep {

std::unique_ptr<QueueScanner> NewPostfixQueueScanner(const std::string& queue_directory,
                                                     const QueueScanOptions& options);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_POSTFIX_QUEUE_SOURCE_H_
