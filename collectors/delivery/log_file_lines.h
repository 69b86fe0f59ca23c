// ForEachLogFileLine: every line of a whole log file, plain or gzip, for the
// check commands that read log files once (check logs, check trace). Lines
// longer than LineParser::kMaxLineBytes are passed once, cut to their first
// 200 bytes, with too_long set. Stateless.
#ifndef MAILREP_COLLECTORS_DELIVERY_LOG_FILE_LINES_H_
#define MAILREP_COLLECTORS_DELIVERY_LOG_FILE_LINES_H_

#include <functional>
#include <string>
#include <string_view>

namespace mailrep {

// Calls `fn(line, too_long)` for each line of `path` (no trailing newline).
// False, with `*error` ("PATH: why"), when the file cannot be opened or read.
bool ForEachLogFileLine(const std::string& path,
                        const std::function<void(std::string_view, bool)>& fn, std::string* error);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_LOG_FILE_LINES_H_
