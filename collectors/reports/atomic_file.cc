#include "collectors/reports/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

namespace mailrep {
namespace {

Status WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return StatusFromErrno(errno, "write");
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::OK();
}

}  // namespace

Status WriteFileAtomically(const std::string& path, std::string_view contents, int mode) {
  return WriteFileAtomically(
      path, [&](const AtomicFileSink& sink) { return sink(contents); }, mode);
}

Status WriteFileAtomically(const std::string& path,
                           const std::function<Status(const AtomicFileSink&)>& produce, int mode) {
  std::string tmp = path + ".tmp." + std::to_string(getpid());
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return StatusFromErrno(errno, "cannot create " + tmp);
  Status s = produce([fd](std::string_view piece) { return WriteAll(fd, piece); });
  if (s.ok() && fsync(fd) != 0) s = StatusFromErrno(errno, "fsync");
  if (close(fd) != 0 && s.ok()) s = StatusFromErrno(errno, "close");
  if (s.ok() && std::rename(tmp.c_str(), path.c_str()) != 0) {
    s = StatusFromErrno(errno, "cannot rename to " + path);
  }
  if (!s.ok()) {
    unlink(tmp.c_str());
    return s.Annotate("writing " + path);
  }
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  int dfd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    fsync(dfd);  // best effort: some file systems refuse fsync on a directory
    close(dfd);
  }
  return Status::OK();
}

}  // namespace mailrep
