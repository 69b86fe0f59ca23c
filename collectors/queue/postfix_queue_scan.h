// One pass over a Postfix queue_directory: per-queue counts from directory
// listings, and (unless count_only) a parse of every queue file for bytes,
// arrival times and pending recipients, plus the deferred queue's recipient
// domains and, from the defer/ logfiles, its deferral reasons.
//
// Reads only; takes no locks; safe to run while Postfix works (files that
// change or vanish are counted in `problems` and skipped). Lists in the
// calling thread and parses in `threads` threads joined before returning;
// independent scans may run in parallel.
//
// With a PostfixScanCache, files of the active, deferred and hold queues whose
// (queue, subdirectory, name, inode, mtime, ctime, size) and defer log's (inode,
// mtime, ctime, size) are unchanged since the previous scan are not opened again: one
// fstatat each instead of open, read, close for the file and its defer log.
#ifndef MAILREP_COLLECTORS_QUEUE_POSTFIX_QUEUE_SCAN_H_
#define MAILREP_COLLECTORS_QUEUE_POSTFIX_QUEUE_SCAN_H_

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <unordered_map>

#include "collectors/queue/postfix_queue_file.h"
#include "collectors/queue/postfix_scan_cache.h"
#include "collectors/queue/queue_source.h"
#include "collectors/queue/spool_walker.h"
#include "collectors/reply/reply_classifier.h"
#include "exporter/util/status.h"

namespace mailrep {

// The message queues, in the order metrics list them.
inline constexpr std::array<std::string_view, 6> kPostfixQueueNames = {
    "maildrop", "incoming", "active", "deferred", "hold", "corrupt"};
// Positions in kPostfixQueueNames and PostfixQueueScan::queues (QueueIndex).
enum class PostfixQueue : size_t { kMaildrop, kIncoming, kActive, kDeferred, kHold, kCorrupt };

struct PostfixQueueStats {
  bool readable = false;  // false: it exists but could not be listed (see problems)
  uint64_t messages = 0;  // files named like queue ids (from the listing)
  // Below: from the parse (zero in count-only scans). Size is what mailq shows
  // (content size; the file size for maildrop files and corrupt/).
  uint64_t bytes = 0;
  uint64_t recipients = 0;                // pending ('R') recipients
  std::optional<int64_t> oldest_arrival;  // Unix seconds; mtime for corrupt/
};

struct PostfixQueueScan {
  std::array<PostfixQueueStats, kPostfixQueueNames.size()> queues;
  // Deferred queue only: messages with at least one pending recipient in the
  // domain (lower case; "(none)" for an address without '@').
  std::unordered_map<std::string, uint64_t> deferred_by_destination;
  // Deferred queue only: messages whose defer log has at least one entry of
  // the class, indexed by ReplyReason.
  std::array<uint64_t, kAllReplyReasons.size()> deferred_by_reason{};
  uint64_t deferred_without_defer_log = 0;
  SpoolProblemCounts problems;
  // With a cache: messages taken from it unread, and messages (re)parsed.
  uint64_t cache_hits = 0;
  uint64_t cache_misses = 0;
  // With PostfixScanOptions::composition: per queue (of the parsed ones:
  // maildrop, incoming, active, deferred, hold), by sender, submitter and
  // destination.
  QueueComposition composition;
};

struct PostfixScanOptions {
  bool count_only = false;           // list only: no open, no stat
  bool read_defer_logs = true;       // reasons for the deferred queue
  size_t max_destinations = 100000;  // distinct domains kept; more go to "other"
  // Threads parsing queue files while the calling thread lists directories
  // (1: all in the calling thread). Memory stays bounded: at most a few
  // thousand listed names wait for a parser.
  int threads = 1;
  // Summaries reused from and stored into this cache (not owned; may be null).
  PostfixScanCache* cache = nullptr;
  // Fill PostfixQueueScan::composition (reads each file's sender and origin
  // attributes; the cache keeps neither, so the caller passes no cache then).
  bool composition = false;
};

// The sender and submitter of a parsed queue file (read_origin): the SASL
// login; else a local submission's uid ("uid=N": cleanup's Received field,
// or `maildrop_owner`, the owner of a maildrop file); else the SMTP client.
QueueOrigin PostfixOrigin(const PostfixQueueFileInfo& info,
                          std::optional<uint64_t> maildrop_owner = std::nullopt);

// NotFound when `queue_directory` does not exist, InvalidArgument when it holds
// none of the queue subdirectories (not a Postfix queue), Cancelled when `stop`
// is requested. An unreadable queue subdirectory leaves `readable` false and
// is counted; the caller decides whether that is fatal.
StatusOr<PostfixQueueScan> ScanPostfixQueue(const std::string& queue_directory,
                                            const PostfixScanOptions& options,
                                            std::stop_token stop);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_POSTFIX_QUEUE_SCAN_H_
