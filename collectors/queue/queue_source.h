// The one shape every MTA's queue reader has, so that one collector class, one
// `check queue` command and one `queue_scan` tool serve all five MTAs.
//
// A QueueMta describes an MTA (its label, its queues, where its spool lives
// and how to make a scanner); a QueueScanner reads one instance's queue and
// may keep state between scans (caches). Each MTA's reader lives in its own
// files and is listed once in AllQueueMtas().
#ifndef MAILREP_COLLECTORS_QUEUE_QUEUE_SOURCE_H_
#define MAILREP_COLLECTORS_QUEUE_QUEUE_SOURCE_H_

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "collectors/queue/queue_composition.h"
#include "collectors/queue/spool_walker.h"
#include "collectors/reply/reply_classifier.h"
#include "exporter/core/clock.h"
#include "exporter/util/status.h"

namespace mailrep {

struct QueueStats {
  uint64_t messages = 0;
  uint64_t bytes = 0;                     // as the MTA's own listing shows sizes
  uint64_t recipients = 0;                // still pending
  std::optional<int64_t> oldest_arrival;  // Unix seconds; none when empty
};

// Each reader names its queues with an enum class whose values are the
// positions in its queue-name array (EximQueue::kFrozen is 2: "frozen"). The
// position of `queue` in that array and in QueueScan::queues:
template <typename Queue>
requires std::is_enum_v<Queue>
constexpr size_t QueueIndex(Queue queue) { return static_cast<size_t>(queue); }

// Keeps the earlier of *oldest and `arrival` (Unix seconds) in *oldest.
inline void KeepOldest(std::optional<int64_t>* oldest, int64_t arrival) {
  if (!*oldest || arrival < **oldest) *oldest = arrival;
}

struct QueueScan {
  // Parallel to QueueMta::queue_names: every queue has an entry.
  std::vector<QueueStats> queues;
  template <typename Queue>
  QueueStats& queue(Queue q) {
    return queues[QueueIndex(q)];
  }
  template <typename Queue>
  const QueueStats& queue(Queue q) const {
    return queues[QueueIndex(q)];
  }
  // Deferred messages only: messages with a pending recipient in the domain
  // (DestinationLabel), and messages per class of their deferral reasons.
  std::unordered_map<std::string, uint64_t> deferred_by_destination;
  std::array<uint64_t, kAllReplyReasons.size()> deferred_by_reason{};
  SpoolProblemCounts problems;
  // Per queue: messages by sender, submitter and destination, when
  // QueueScanOptions::composition asked for it and the reader can tell
  // (queue_composition.h); else empty.
  QueueComposition composition;
  // How the queue was read: "spool" (files), or "showq" (Postfix's socket,
  // when the spool is unreadable). Exported so operators can see it.
  std::string_view source = "spool";
};

struct QueueScanOptions {
  bool count_only = false;           // counts only, where the MTA allows it cheaply
  bool read_reasons = true;          // deferral reasons (one more file per deferred message)
  int threads = 1;                   // parser threads, where the reader supports them
  size_t max_destinations = 100000;  // distinct domains kept; more count as "other"
  // Fill QueueScan::composition (each queue file's sender and submitter;
  // readers with a cache bypass it for that).
  bool composition = false;
  // "Now" for ages, where the reader computes them itself (qmail).
  std::shared_ptr<const Clock> clock = Clock::Real();
};

// Reads one queue instance. Not thread-safe: one Scan at a time (the
// collector calls it from its own thread). May cache between calls.
class QueueScanner {
 public:
  virtual ~QueueScanner() = default;
  // NotFound when the queue directory is missing, PermissionDenied when it
  // cannot be read (and no other way is available), Cancelled on `stop`.
  // Everything smaller (a vanished or corrupt file) is counted in
  // QueueScan::problems and skipped.
  virtual StatusOr<QueueScan> Scan(std::stop_token stop) = 0;
};

// A QueueScanner that keeps nothing between scans: each Scan calls
// `scan(directory, options, stop)`. For readers whose scan is one function.
template <typename Options>
std::unique_ptr<QueueScanner> NewStatelessQueueScanner(
    std::string directory, Options options,
    StatusOr<QueueScan> (*scan)(const std::string&, const Options&, std::stop_token)) {
  class Scanner : public QueueScanner {
   public:
    Scanner(std::string directory, Options options, decltype(scan) fn)
        : directory_(std::move(directory)), options_(std::move(options)), scan_(fn) {}
    StatusOr<QueueScan> Scan(std::stop_token stop) override {
      return scan_(directory_, options_, std::move(stop));
    }

   private:
    std::string directory_;
    Options options_;
    decltype(scan) scan_;
  };
  return std::make_unique<Scanner>(std::move(directory), std::move(options), scan);
}

struct QueueMta {
  std::string_view mta;  // label value; the collector is "<mta>_queue"
  std::span<const std::string_view> queue_names;
  std::string_view deferred_queue;     // the queue whose destinations/reasons are exported
  std::string_view directory_key;      // config key of an instance's directory
  std::string_view example_directory;  // Debian's default, for errors and docs
  std::string_view reasons_key;        // config key of QueueScanOptions::read_reasons
  std::string_view help;               // one line for the collector list
  // `directory` is as opened (already prefixed with --path.rootfs).
  std::unique_ptr<QueueScanner> (*new_scanner)(const std::string& directory,
                                               const QueueScanOptions& options);
  std::string_view held_queue = "";   // messages held by the operator ("" = none)
  std::string_view whole_queue = "";  // a queue holding every message, which the
                                      // others overlap (qmail's "queue"); "" = disjoint
};

// postfix, exim, sendmail, qmail, opensmtpd: those built in, in that order.
const std::vector<QueueMta>& AllQueueMtas();

// The entry for `mta`, or nullptr.
const QueueMta* FindQueueMta(std::string_view mta);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_QUEUE_SOURCE_H_
