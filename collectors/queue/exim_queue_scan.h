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
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <unordered_map>

#include "collectors/queue/deferral_reason.h"
#include "collectors/queue/spool_walker.h"
#include "exporter/util/status.h"

namespace mailrep {

inline constexpr std::array<std::string_view, 3> kEximQueueNames = {"new", "deferred", "frozen"};

struct EximQueueStats {
  uint64_t messages = 0;
  uint64_t bytes = 0;
  uint64_t recipients = 0;  // pending
  std::optional<int64_t> oldest_arrival;
};

struct EximQueueScan {
  std::array<EximQueueStats, kEximQueueNames.size()> queues;
  // "deferred" queue only, as for Postfix: messages per pending recipient
  // domain, and messages per class of their msglog deferral reasons.
  std::unordered_map<std::string, uint64_t> deferred_by_destination;
  std::array<uint64_t, kAllDeferralReasons.size()> deferred_by_reason{};
  SpoolProblemCounts problems;
};

struct EximScanOptions {
  bool read_msglogs = true;
  size_t max_destinations = 100000;
};

// NotFound when `spool_directory` or its input/ does not exist;
// PermissionDenied when input/ cannot be listed; Cancelled on `stop`.
StatusOr<EximQueueScan> ScanEximSpool(const std::string& spool_directory,
                                      const EximScanOptions& options, std::stop_token stop);

// True for Exim message ids: "tttttt-pppppp-ss" (<= 4.96) or
// "tttttt-ppppppppppp-ssss" (>= 4.97), base-62 characters.
bool IsEximMessageId(std::string_view id);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_EXIM_QUEUE_SCAN_H_
