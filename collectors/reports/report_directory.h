// ListReportFiles: the report files in one intake directory, as the reports
// collector reads them. A directory with cur/, new/ and tmp/ is a Maildir:
// the files of new/ and cur/ (tmp/ holds mails still being delivered). Any
// other directory: its regular files (not recursing, skipping dot files).
// Sorted by path. Stateless; thread-safe.
//
// Bounded: with a ReportListFilter only the files `keep` accepts are held,
// and of those only the first max_kept by path (the rest are only counted),
// so listing a directory of 100,000 files already read holds none of them.
#ifndef MAILREP_COLLECTORS_REPORTS_REPORT_DIRECTORY_H_
#define MAILREP_COLLECTORS_REPORTS_REPORT_DIRECTORY_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
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
  size_t kept = 0;  // files `keep` accepted: files.size() plus those past max_kept
};

struct ReportListFilter {
  // Called once for every file listed; false leaves it out. Unset: keep all.
  std::function<bool(const ReportFile&)> keep;
  size_t max_kept = std::numeric_limits<size_t>::max();
};

// NotFound/PermissionDenied/IoError naming the directory when it cannot be
// listed; a file that vanishes while listed is skipped.
StatusOr<ReportDirectory> ListReportFiles(const std::string& dir,
                                          const ReportListFilter& filter = {});

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_REPORTS_REPORT_DIRECTORY_H_
