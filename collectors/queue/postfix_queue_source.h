// Postfix as a QueueMta: queues maildrop, incoming, active, deferred, hold,
// corrupt of one queue_directory.
//
// The scanner reads the spool (postfix_queue_scan.h) when it can list every
// queue subdirectory, keeping a PostfixScanCache between scans so that
// steady-state scans re-read only new and changed files. When a queue
// subdirectory (or the directory) is not readable, it asks Postfix's showq
// service at <queue_directory>/public/showq instead (postfix_showq.h; the
// mail system must be running and the process needs group postdrop). The
// choice is made on every Scan and shown in QueueScan::source ("spool" or
// "showq"). When neither works, Scan is PermissionDenied naming both.
#ifndef MAILREP_COLLECTORS_QUEUE_POSTFIX_QUEUE_SOURCE_H_
#define MAILREP_COLLECTORS_QUEUE_POSTFIX_QUEUE_SOURCE_H_

#include <memory>
#include <string>

#include "collectors/queue/queue_source.h"

namespace mailrep {

std::unique_ptr<QueueScanner> NewPostfixQueueScanner(const std::string& queue_directory,
                                                     const QueueScanOptions& options);

// A scanner that always asks showq (tests, and `queue_scan`-like tools that
// want the MTA's own view).
std::unique_ptr<QueueScanner> NewPostfixShowqScanner(const std::string& queue_directory,
                                                     const QueueScanOptions& options);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_POSTFIX_QUEUE_SOURCE_H_
