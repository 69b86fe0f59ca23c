// One pass over an OpenSMTPD spool (PATH_SPOOL, /var/spool/smtpd), checked
// against OpenSMTPD 6.8.0p2's own files:
//   queue/<xx>/<msgid>/message and one envelope file <evpid> per pending
//   recipient; incoming/<msgid>/ (being received: envelopes, the message
//   maybe not yet); corrupt/<msgid>/ (set aside by smtpd); offline/<file>
//   (submitted with sendmail while smtpd was down: the sendmail arguments on
//   the first line, then the message). An "envelopes/" subdirectory of a
//   message directory is read too.
// Each message lands in one queue:
//   incoming  incoming/
//   queued    queue/, no envelope has failed yet (retry 0): not tried yet, or
//             being retried after connection failures, which OpenSMTPD keeps
//             in memory only until it gives up the route
//   deferred  queue/, at least one envelope has failed (retry > 0)
//   corrupt   corrupt/
//   offline   offline/ (recipients are not counted: 0)
// A message counts once; recipients are its envelope files; bytes its message
// file (the size= smtpd logs); its arrival the smallest envelope ctime (the
// file's mtime without one). Deferred messages: the distinct domains of the
// `dest` of their failed envelopes, and the distinct classes of those
// envelopes' errorlines (ClassifyReply). Queue messages without any
// envelope (the last one was just delivered) are skipped, as smtpctl does.
// With "queue compression" or "queue encryption" envelopes are opaque: they
// count as corrupt problems.
//
// Reads only; takes no locks; safe while smtpd works. Runs in the calling
// thread; independent scans may run in parallel.
#ifndef MAILREP_COLLECTORS_QUEUE_OPENSMTPD_QUEUE_SCAN_H_
#define MAILREP_COLLECTORS_QUEUE_OPENSMTPD_QUEUE_SCAN_H_

#include <array>
#include <cstddef>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>

#include "collectors/queue/opensmtpd_envelope.h"
#include "collectors/queue/queue_source.h"
#include "exporter/util/status.h"

namespace mailrep {

inline constexpr std::array<std::string_view, 5> kOpensmtpdQueueNames = {
    "incoming", "queued", "deferred", "corrupt", "offline"};
// Positions in kOpensmtpdQueueNames and QueueScan::queues (QueueIndex).
enum class OpensmtpdQueue : size_t { kIncoming, kQueued, kDeferred, kCorrupt, kOffline };

struct OpensmtpdScanOptions {
  bool read_reasons = true;  // classify errorlines (no extra file reads)
  size_t max_destinations = 100000;
  bool composition = false;  // fill QueueScan::composition
};

// The sender and submitter of an envelope: the local user for the local
// socket ("local" when the envelope names none), else the authenticated
// username, else the client address (sockaddr).
QueueOrigin OpensmtpdOrigin(const OpensmtpdEnvelope& env);

// NotFound when `spool_directory` or its queue/ does not exist;
// PermissionDenied when queue/ cannot be listed; Cancelled on `stop`. The
// result's queues are parallel to kOpensmtpdQueueNames.
StatusOr<QueueScan> ScanOpensmtpdSpool(const std::string& spool_directory,
                                       const OpensmtpdScanOptions& options, std::stop_token stop);

// OpenSMTPD as a QueueMta: queues incoming, queued, deferred, corrupt,
// offline read from the spool (/var/spool/smtpd; above).
// options.count_only and options.threads are ignored: splitting queued from
// deferred needs each envelope's text, and one thread reads it.
std::unique_ptr<QueueScanner> NewOpensmtpdQueueScanner(const std::string& directory,
                                                       const QueueScanOptions& options);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_OPENSMTPD_QUEUE_SCAN_H_
