// Reads Postfix's queue listing from its showq service (the unix socket
// <queue_directory>/public/showq that postqueue -p / -j talk to), for hosts
// where the exporter may not read the spool: the socket needs only search
// access to public/ (group postdrop), no root.
//
// The stream (attr_print0 format, Postfix >= 3.1) is a sequence of groups;
// each attribute is "name\0value\0", and an empty name ends a group. An
// optional first group is the greeting (protocol=mail_queue_list_protocol,
// Postfix >= 3.6); then one group per message (queue_name, queue_id, time,
// size, forced_expire, sender, then per recipient: [original_recipient,]
// recipient, [log_class,] reason); then one empty group ends the stream.
// Unknown names are ignored. See ../shared/reference/mta-formats.md 1.5.
#ifndef MAILREP_COLLECTORS_QUEUE_POSTFIX_SHOWQ_H_
#define MAILREP_COLLECTORS_QUEUE_POSTFIX_SHOWQ_H_

#include <array>
#include <cstdint>
#include <stop_token>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "collectors/queue/queue_source.h"
#include "collectors/reply/reply_classifier.h"
#include "exporter/util/status.h"

namespace mailrep {

// Longest attribute name and value accepted; longer makes the stream corrupt.
inline constexpr size_t kMaxShowqName = 256;
inline constexpr size_t kMaxShowqValue = 64 * 1024;

// An incremental parser of one showq stream into a QueueScan (queues in
// kPostfixQueueNames order; the corrupt queue stays 0: showq does not list
// it). A message with a bad number, no queue_id or an unknown queue_name is
// counted as SpoolProblem::kCorrupt and skipped. Memory: one message's
// recipients plus the destination table (at most `max_destinations` + 1).
// Not thread-safe.
class PostfixShowqParser {
 public:
  explicit PostfixShowqParser(size_t max_destinations = 100000);

  // Consumes the next bytes. InvalidArgument on a stream that cannot be
  // parsed on (an over-long name or value, bytes after the end, the pre-3.1
  // text format); the error sticks.
  Status Feed(std::string_view bytes);

  // True once the terminating empty group was read.
  bool done() const { return done_; }
  uint64_t messages() const { return messages_; }

  // The scan so far (complete when done()).
  const QueueScan& scan() const { return scan_; }
  QueueScan TakeScan() { return std::move(scan_); }

 private:
  void Attribute();
  void EndGroup();
  void CountDeferred();

  size_t max_destinations_;
  QueueScan scan_;
  Status error_;
  bool done_ = false;
  bool any_byte_ = false;
  bool in_value_ = false;
  std::string name_;
  std::string value_;
  uint64_t messages_ = 0;
  // The message being read.
  size_t attributes_ = 0;
  bool greeting_ = false;
  bool bad_ = false;
  bool has_id_ = false;
  int queue_ = -1;
  uint64_t size_ = 0;
  int64_t time_ = 0;
  bool has_time_ = false;
  std::vector<std::string> recipients_;
  std::vector<std::string> reasons_;                   // parallel to recipients_
  size_t recipient_count_ = 0;                         // all, also those beyond the kept ones
  std::unordered_map<std::string, ReplyReason> memo_;  // reason text -> class
};

// Connects to the showq socket at `socket_path`, reads the whole listing and
// parses it. Unavailable when nothing answers there (the mail system is
// down), PermissionDenied without access, IoError / InvalidArgument for a
// truncated or broken stream, DeadlineExceeded after `timeout_ms` without
// data, Cancelled on `stop`.
StatusOr<QueueScan> ReadPostfixShowq(const std::string& socket_path, size_t max_destinations,
                                     std::stop_token stop, int timeout_ms = 60000);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_POSTFIX_SHOWQ_H_
