// One pass over an Exim spool_directory: every input/<id>-H (and the
// split_spool_directory subdirectories input/<c>/) is parsed; each message
// lands in one of three queues:
//   new       no delivery attempt yet (-deliver_firsttime)
//   deferred  attempted, still waiting for retry
//   frozen    frozen (-frozen), whatever else
// Sizes are Exim's (headers + -D body + 1, as `exim -bp`); reasons come from
// the "defer" lines of msglog/<id> for recipients still pending.
//
// Reads only; takes no locks; safe while Exim works. Runs in the calling
// thread; independent scans may run in parallel.
#ifndef MAILREP_COLLECTORS_QUEUE_EXIM_QUEUE_SCAN_H_
#define MAILREP_COLLECTORS_QUEUE_EXIM_QUEUE_SCAN_H_

#include <array>
#include <cstdint>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>

#include "collectors/queue/exim_header_file.h"
#include "collectors/queue/queue_source.h"
#include "exporter/util/status.h"

namespace mailrep {

inline constexpr std::array<std::string_view, 3> kEximQueueNames = {"new", "deferred", "frozen"};
// Positions in kEximQueueNames and QueueScan::queues (QueueIndex).
enum class EximQueue : size_t { kNew, kDeferred, kFrozen };

struct EximScanOptions {
  bool read_msglogs = true;
  size_t max_destinations = 100000;
  bool composition = false;  // fill QueueScan::composition
};

// QueueScan::queues is parallel to kEximQueueNames. NotFound when
// `spool_directory` or its input/ does not exist;
// PermissionDenied when input/ cannot be listed; Cancelled on `stop`.
StatusOr<QueueScan> ScanEximSpool(const std::string& spool_directory,
                                  const EximScanOptions& options, std::stop_token stop);

// The sender and submitter of a -H file: -auth_id when set, else the login
// of a local submission (no -host_address), else the client's address.
QueueOrigin EximOrigin(const EximHeaderInfo& info);

// True for Exim message ids: "tttttt-pppppp-ss" (<= 4.96) or
// "tttttt-ppppppppppp-ssss" (>= 4.97), base-62 characters.
bool IsEximMessageId(std::string_view id);

// Exim as a QueueMta: queues new, deferred, frozen read from the
// spool_directory (above). Options: read_reasons reads msglog/; count_only
// and threads are ignored (one parse per -H file).
std::unique_ptr<QueueScanner> NewEximQueueScanner(const std::string& spool_directory,
                                                  const QueueScanOptions& options);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_EXIM_QUEUE_SCAN_H_
