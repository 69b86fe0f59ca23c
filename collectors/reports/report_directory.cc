#include "collectors/reports/report_directory.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>

namespace mailrep {
namespace {

bool IsDirectory(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

Status AddFiles(const std::string& dir, std::vector<ReportFile>* out) {
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return StatusFromErrno(errno, "cannot list " + dir);
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] == '.') continue;
    std::string path = dir + "/" + e->d_name;
    struct stat st;
    if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    out->push_back({std::move(path), static_cast<uint64_t>(st.st_size),
                    static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec});
  }
  closedir(d);
  return Status::OK();
}

}  // namespace

StatusOr<ReportDirectory> ListReportFiles(const std::string& dir) {
  ReportDirectory listing;
  listing.maildir =
      IsDirectory(dir + "/cur") && IsDirectory(dir + "/new") && IsDirectory(dir + "/tmp");
  if (listing.maildir) {
    for (const char* sub : {"/new", "/cur"}) {
      if (Status s = AddFiles(dir + sub, &listing.files); !s.ok()) return s;
    }
  } else if (Status s = AddFiles(dir, &listing.files); !s.ok()) {
    return s;
  }
  std::sort(listing.files.begin(), listing.files.end(),
            [](const ReportFile& a, const ReportFile& b) { return a.path < b.path; });
  return listing;
}

}  // namespace mailrep
