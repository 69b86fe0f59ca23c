// One pass over a Sendmail queue root: the QueueDirectory of one instance
// (/var/spool/mqueue for the MTA, /var/spool/mqueue-client, a.k.a.
// clientmqueue, for the submission client). Accepted layouts, mixed freely:
//   flat            <root>/qf<id>, <root>/df<id>
//   split by type   <root>/qf/, <root>/df/, <root>/xf/ (Sendmail uses a
//                   subdirectory named after a file type when it exists)
//   queue groups    <root>/<dir>/ for each group Path (QUEUE_GROUP) and each
//   and multiple    directory of a "...*" Path (q1, q2, ...), each flat or
//   queues          split by type in turn
// The df file is looked up beside its qf's queue directory (in its df/ when
// that exists), or in the directory named by the qf's d line.
//
// Sendmail has no separate deferred directory; each message lands in one of
//   new          never tried (K and N are 0)
//   deferred     tried at least once, still waiting
//   quarantined  hf<id> files (sendmail -Q), whatever else
// Sizes are the df file's, as `mailq` shows them; recipients are the R lines;
// reasons come from each pending recipient's M line (else the envelope's).
// tf (being written) and xf (transcripts) files are skipped; Qf ("lost",
// Sendmail could not read them) count as kCorrupt; a qf without its final
// "." (in flux) as kIncomplete.
//
// Reads only; takes no locks; safe while Sendmail works. Runs in the
// calling thread; independent scans may run in parallel.
#ifndef MAILREP_COLLECTORS_QUEUE_SENDMAIL_QUEUE_SCAN_H_
#define MAILREP_COLLECTORS_QUEUE_SENDMAIL_QUEUE_SCAN_H_

#include <array>
#include <cstdint>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>

#include "collectors/queue/queue_source.h"
#include "collectors/queue/sendmail_queue_file.h"
#include "exporter/util/status.h"

namespace mailrep {

inline constexpr std::array<std::string_view, 3> kSendmailQueueNames = {"new", "deferred",
                                                                        "quarantined"};
// Positions in kSendmailQueueNames and QueueScan::queues (QueueIndex).
enum class SendmailQueue : size_t { kNew, kDeferred, kQuarantined };

struct SendmailScanOptions {
  bool count_only = false;   // no df sizes, destinations or reasons
  bool read_reasons = true;  // classify M lines
  size_t max_destinations = 100000;
  bool composition = false;  // fill QueueScan::composition
};

// The sender and submitter of a qf file: ${auth_authen} when set, else the
// client IP of an SMTP $_ ("host [ip]"), else the user of a local $_
// ("user@localhost").
QueueOrigin SendmailOrigin(const SendmailQueueFileInfo& info);

// QueueScan::queues is parallel to kSendmailQueueNames. NotFound when
// `queue_directory` does not exist; PermissionDenied when it
// cannot be listed; Cancelled on `stop`.
StatusOr<QueueScan> ScanSendmailQueue(const std::string& queue_directory,
                                      const SendmailScanOptions& options, std::stop_token stop);

// Sendmail as a QueueMta: queues new, deferred, quarantined read from one
// instance's QueueDirectory with its queue groups (above).
// Instances: the MTA's /var/spool/mqueue and the submission client's
// /var/spool/mqueue-client (clientmqueue) are scanned separately.
// QueueScanOptions::threads is ignored (one thread); count_only skips the df
// sizes, destinations and reasons.
std::unique_ptr<QueueScanner> NewSendmailQueueScanner(const std::string& directory,
                                                      const QueueScanOptions& options);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_SENDMAIL_QUEUE_SCAN_H_
