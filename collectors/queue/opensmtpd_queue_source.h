// OpenSMTPD as a QueueMta: queues incoming, queued, deferred, corrupt,
// offline read from the spool (/var/spool/smtpd; see opensmtpd_queue_scan.h).
#ifndef MAILREP_COLLECTORS_QUEUE_OPENSMTPD_QUEUE_SOURCE_H_
#define MAILREP_COLLECTORS_QUEUE_OPENSMTPD_QUEUE_SOURCE_H_

#include <memory>
#include <string>

#include "collectors/queue/queue_source.h"

namespace mailrep {

// options.count_only and options.threads are ignored: splitting queued from
// deferred needs each envelope's text, and one thread reads it.
std::unique_ptr<QueueScanner> NewOpensmtpdQueueScanner(const std::string& directory,
                                                       const QueueScanOptions& options);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_OPENSMTPD_QUEUE_SOURCE_H_
