// A pure parser of Postfix defer/bounce logfiles (defer/<hash>/<queue id>):
// entries separated by empty lines, each an optional old-style
// "<recipient>: reason" line followed by name=value lines (recipient, offset,
// status, action, reason, ...). See mta-formats.md section 1.4.
#ifndef MAILREP_COLLECTORS_QUEUE_POSTFIX_DEFER_LOG_H_
#define MAILREP_COLLECTORS_QUEUE_POSTFIX_DEFER_LOG_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/util/status.h"

namespace mailrep {

struct PostfixDeferEntry {
  std::string recipient;           // printable quoted form, at most kMaxDeferReasonLength bytes
  std::optional<uint64_t> offset;  // of the recipient's 'R' record in the queue file
  std::string status;              // "4.2.2"
  std::string action;              // "delayed", "failed"
  std::string reason;              // at most kMaxDeferReasonLength bytes
};

struct PostfixDeferLog {
  std::vector<PostfixDeferEntry> entries;  // in file order, at most max_entries
  uint64_t dropped_entries = 0;            // entries beyond max_entries
  uint64_t malformed_lines = 0;            // neither name=value nor "<rcpt>: ..." (skipped)
};

inline constexpr size_t kMaxDeferReasonLength = 1024;

// Parses a whole logfile. An entry needs a recipient= or reason= line; others
// are ignored. Binary data (a NUL byte) is InvalidArgument.
StatusOr<PostfixDeferLog> ParsePostfixDeferLog(std::string_view text, size_t max_entries = 1000);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_POSTFIX_DEFER_LOG_H_
