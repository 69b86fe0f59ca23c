#include "collectors/dnsbl/rbldnsd_zone_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

namespace mailrep {
namespace {

FileVersion VersionOf(const struct stat& st) {
  return {st.st_dev, st.st_ino, static_cast<int64_t>(st.st_size),
          static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

StatusOr<FileVersion> StatFileVersion(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return StatusFromErrno(errno, path);
  return VersionOf(st);
}

StatusOr<LoadedRbldnsdFile> LoadRbldnsdFile(const std::string& path, RbldnsdFormat format,
                                            int64_t now_unix) {
  Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return StatusFromErrno(errno, path);
  struct stat before;
  if (fstat(fd.get(), &before) != 0) return StatusFromErrno(errno, path);
  if (!S_ISREG(before.st_mode)) return Status::IoError(path + ": not a regular file");

  RbldnsdZone::Builder builder(format, path, now_unix);
  std::string pending;  // a line not yet ended by a newline
  std::string buffer(64 * 1024, '\0');
  bool first_chunk = true;
  for (;;) {
    ssize_t n = read(fd.get(), buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return StatusFromErrno(errno, path);
    }
    if (n == 0) break;
    std::string_view chunk(buffer.data(), static_cast<size_t>(n));
    if (first_chunk && chunk.size() >= 2 && chunk[0] == '\x1f' && chunk[1] == '\x8b') {
      return Status::InvalidArgument(path + ": gzip-compressed; decompress the data file first");
    }
    first_chunk = false;
    while (!chunk.empty()) {
      size_t newline = chunk.find('\n');
      if (newline == std::string_view::npos) {
        // Keep at most one byte past rbldnsd's line limit: the builder
        // reports the line as too long either way.
        if (pending.size() < 40000) pending.append(chunk.substr(0, 40000 - pending.size()));
        break;
      }
      Status status;
      if (pending.empty()) {
        status = builder.AddLine(chunk.substr(0, newline));
      } else {
        if (pending.size() < 40000) pending.append(chunk.substr(0, newline));
        status = builder.AddLine(pending);
        pending.clear();
      }
      if (!status.ok()) return status;
      chunk.remove_prefix(newline + 1);
    }
  }
  struct stat after;
  if (fstat(fd.get(), &after) != 0) return StatusFromErrno(errno, path);
  // A file renamed over `path` meanwhile does not matter: the old one was
  // read whole, and the caller sees the new version next time.
  if (!(VersionOf(after) == VersionOf(before))) {
    return Status::Unavailable(path +
                               ": changed while being read; not loaded (write a temporary "
                               "file and rename it into place)");
  }
  if (!pending.empty()) {
    return Status::InvalidArgument(path +
                                   ": the last line has no newline: the file looks "
                                   "half-written; not loaded");
  }
  return LoadedRbldnsdFile{builder.Finish(), VersionOf(before)};
}

}  // namespace mailrep
