// Sendmail as a QueueMta: queues new, deferred, quarantined read from one
// instance's QueueDirectory with its queue groups (see sendmail_queue_scan.h).
// Instances: the MTA's /var/spool/mqueue and the submission client's
// /var/spool/mqueue-client (clientmqueue) are scanned separately.
#ifndef MAILREP_COLLECTORS_QUEUE_SENDMAIL_QUEUE_SOURCE_H_
#define MAILREP_COLLECTORS_QUEUE_SENDMAIL_QUEUE_SOURCE_H_

#include <memory>
#include <string>

#include "collectors/queue/queue_source.h"

namespace mailrep {

// QueueScanOptions::threads is ignored (one thread); count_only skips the df
// sizes, destinations and reasons.
std::unique_ptr<QueueScanner> NewSendmailQueueScanner(const std::string& directory,
                                                      const QueueScanOptions& options);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_SENDMAIL_QUEUE_SOURCE_H_
