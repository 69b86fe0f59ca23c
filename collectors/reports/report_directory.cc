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

bool PathLess(const ReportFile& a, const ReportFile& b) { return a.path < b.path; }

// Adds the files `filter` keeps to `out`, a max-heap by path of at most
// filter.max_kept files.
Status AddFiles(const std::string& dir, const ReportListFilter& filter, ReportDirectory* out) {
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return StatusFromErrno(errno, "cannot list " + dir);
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] == '.') continue;
    std::string path = dir + "/" + e->d_name;
    struct stat st;
    if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    ReportFile file{std::move(path), static_cast<uint64_t>(st.st_size),
                    static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
    if (filter.keep && !filter.keep(file)) continue;
    ++out->kept;
    std::vector<ReportFile>& files = out->files;
    if (files.size() == filter.max_kept) {
      if (files.empty() || !PathLess(file, files.front())) continue;
      std::pop_heap(files.begin(), files.end(), PathLess);
      files.pop_back();
    }
    files.push_back(std::move(file));
    std::push_heap(files.begin(), files.end(), PathLess);
  }
  closedir(d);
  return Status::OK();
}

}  // namespace

StatusOr<ReportDirectory> ListReportFiles(const std::string& dir, const ReportListFilter& filter) {
  ReportDirectory listing;
  listing.maildir =
      IsDirectory(dir + "/cur") && IsDirectory(dir + "/new") && IsDirectory(dir + "/tmp");
  if (listing.maildir) {
    for (const char* sub : {"/new", "/cur"}) {
      if (Status s = AddFiles(dir + sub, filter, &listing); !s.ok()) return s;
    }
  } else if (Status s = AddFiles(dir, filter, &listing); !s.ok()) {
    return s;
  }
  std::sort_heap(listing.files.begin(), listing.files.end(), PathLess);
  return listing;
}

}  // namespace mailrep
