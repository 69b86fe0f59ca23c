// ListReportFiles: the report files in one intake directory, as the reports
// collector reads them. A directory with cur/, new/ and tmp/ is a Maildir:
// the files of new/ and cur/ (tmp/ holds mails still being delivered). Any
// other directory: its regular files (not recursing, skipping dot files).
// Sorted by path. Stateless; thread-safe.
#ifndef MAILREP_COLLECTORS_REPORTS_REPORT_DIRECTORY_H_
#define MAILREP_COLLECTORS_REPORTS_REPORT_DIRECTORY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "exporter/util/status.h"

namespace mailrep {

struct ReportFile {
  std::string path;  // dir + "/" + name (or dir + "/new/" + name)
  uint64_t size = 0;
  int64_t mtime_ns = 0;
};

struct ReportDirectory {
  bool maildir = false;
  std::vector<ReportFile> files;
};

// NotFound/PermissionDenied/IoError naming the directory when it cannot be
// listed; a file that vanishes while listed is skipped.
StatusOr<ReportDirectory> ListReportFiles(const std::string& dir);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_REPORTS_REPORT_DIRECTORY_H_
