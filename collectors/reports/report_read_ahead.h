// ReportReadAhead: the reports collector's files read and parsed (file bytes
// and ReadReport()) on up to `threads` threads — the caller's own and helpers
// — while the caller takes the results strictly in the files' order, so what
// is counted, deduplicated and remembered is the same as one file after the
// other on one thread. Reading and parsing are stateless; all counting stays
// with the caller.
//
// Bounded: at most kWindow files are read ahead of the one taken next (each
// result holds one parsed report, at most ReportLimits::max_records records).
// Take() parses on the caller's thread while the next result is not ready,
// so one thread (threads <= 1, or a one-core host) reads in order with no
// helper at all. The destructor stops the helpers and joins them: a helper
// finishes the file it is reading first. Take() is for one thread (the
// collector's run thread); indexes must be taken in increasing order.
#ifndef MAILREP_COLLECTORS_REPORTS_REPORT_READ_AHEAD_H_
#define MAILREP_COLLECTORS_REPORTS_REPORT_READ_AHEAD_H_

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "collectors/reports/report_reader.h"
#include "exporter/util/status.h"

namespace mailrep {

// One report file read and parsed.
struct ReportFileRead {
  // The file's bytes: an error when it could not be read (gone or unreadable
  // since the listing); emptied when the report parsed (only an invalid
  // report's bytes are kept, for the quarantine).
  StatusOr<std::string> bytes;
  // ReadReport() of the bytes; unset when they could not be read.
  std::optional<StatusOr<ParsedReport>> parsed;
};

// Reads `path` (at most limits.max_input_bytes + 1 bytes) and parses it.
ReportFileRead ReadReportFile(const std::string& path, const ReportLimits& limits);

class ReportReadAhead {
 public:
  static constexpr size_t kWindow = 4;

  // `paths` must outlive this object.
  ReportReadAhead(const std::vector<std::string>& paths, const ReportLimits& limits, int threads);
  ~ReportReadAhead();
  ReportReadAhead(const ReportReadAhead&) = delete;
  ReportReadAhead& operator=(const ReportReadAhead&) = delete;

  // The result for paths[index]; index must be the one after the last taken.
  ReportFileRead Take(size_t index);

  // How many threads read at most (the caller's included).
  static int DefaultThreads();

 private:
  void Helper();
  // Claims the next unread index within the window, or nothing; mu_ held.
  std::optional<size_t> ClaimLocked();

  const std::vector<std::string>& paths_;
  const ReportLimits limits_;
  std::mutex mu_;  // guards the members below
  std::condition_variable changed_;
  size_t next_ = 0;   // the next index not yet claimed
  size_t taken_ = 0;  // the next index Take() returns
  bool stopping_ = false;
  std::vector<std::optional<ReportFileRead>> slots_;  // kWindow, by index % kWindow
  std::vector<std::thread> helpers_;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_REPORTS_REPORT_READ_AHEAD_H_
