#include "collectors/delivery/file_follower.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "exporter/util/lines.h"

namespace mailrep {
namespace {

// Bytes compared before the offset: a log line's timestamp and queue id make
// a rewritten file differ from the old one well within them.
constexpr size_t kMarkBytes = 64;

// Reads exactly `size` bytes at `offset`; false on a short read or error.
bool ReadAt(int fd, uint64_t offset, size_t size, std::string* out) {
  out->resize(size);
  size_t got = 0;
  while (got < size) {
    ssize_t n = pread(fd, out->data() + got, size - got, static_cast<off_t>(offset + got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    got += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

struct FileFollower::OpenFile {
  explicit OpenFile(size_t max_line_bytes) : lines(max_line_bytes) {}

  int fd = -1;
  dev_t dev = 0;
  ino_t ino = 0;
  uint64_t offset = 0;
  LineAssembler lines;
  std::string mark;  // the file's bytes just before `offset`, as last read

  ~OpenFile() {
    if (fd >= 0) close(fd);
  }
};

FileFollower::FileFollower(std::string path, Options options)
    : path_(std::move(path)), options_(options) {}

FileFollower::~FileFollower() = default;

bool FileFollower::Open(bool at_end) {
  int fd = open(path_.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    problem_ = std::strerror(errno);
    return false;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    problem_ = S_ISREG(st.st_mode) ? std::strerror(errno) : "not a regular file";
    close(fd);
    return false;
  }
  auto f = std::make_unique<OpenFile>(options_.max_line_bytes);
  f->fd = fd;
  f->dev = st.st_dev;
  f->ino = st.st_ino;
  f->offset = at_end ? static_cast<uint64_t>(st.st_size) : 0;
  MarkOffset(f.get());
  current_ = std::move(f);
  problem_.clear();
  return true;
}

void FileFollower::MarkOffset(OpenFile* f) {
  size_t size = static_cast<size_t>(std::min<uint64_t>(f->offset, kMarkBytes));
  if (!ReadAt(f->fd, f->offset - size, size, &f->mark)) f->mark.clear();
}

bool FileFollower::Truncated(const OpenFile& f) {
  struct stat st;
  if (fstat(f.fd, &st) != 0) return false;
  if (static_cast<uint64_t>(st.st_size) < f.offset) return true;
  std::string now;
  return !f.mark.empty() && ReadAt(f.fd, f.offset - f.mark.size(), f.mark.size(), &now) &&
         now != f.mark;
}

uint64_t FileFollower::Drain(OpenFile* f, const LineFn& on_line, uint64_t budget) {
  if (Truncated(*f)) {
    f->offset = 0;  // copytruncate
    f->lines.Reset();
  }
  std::vector<char> buf(1 << 20);
  uint64_t total = 0;
  while (total < budget) {
    ssize_t n = pread(f->fd, buf.data(), buf.size(), static_cast<off_t>(f->offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    f->offset += static_cast<uint64_t>(n);
    total += static_cast<uint64_t>(n);
    f->lines.Feed(std::string_view(buf.data(), static_cast<size_t>(n)), on_line);
  }
  if (total > 0) MarkOffset(f);
  return total;
}

void FileFollower::ClosePrevious(const LineFn& on_line) {
  if (!previous_) return;
  previous_->lines.Finish(on_line);
  previous_.reset();
}

void FileFollower::Poll(const LineFn& on_line) {
  uint64_t budget = options_.max_bytes_per_poll;
  uint64_t from_previous = 0;
  if (previous_) from_previous = Drain(previous_.get(), on_line, budget);
  budget -= from_previous;

  if (!current_) {
    if (!Open(/*at_end=*/!opened_once_ && !options_.from_start)) {
      up_ = false;
      opened_once_ = true;
      return;
    }
    opened_once_ = true;
  }
  uint64_t from_current = Drain(current_.get(), on_line, budget);
  budget -= from_current;

  struct stat st;
  if (stat(path_.c_str(), &st) != 0) {
    up_ = false;
    problem_ = std::strerror(errno);
    return;  // rotated away, not yet recreated: keep reading the open file
  }
  up_ = true;
  problem_.clear();
  if (st.st_dev == current_->dev && st.st_ino == current_->ino) {
    // The writer has moved to the current file: the rotated one is done.
    if (previous_ && from_previous == 0 && from_current > 0) ClosePrevious(on_line);
    return;
  }
  // Rotated: read the old file to its end, keep it for late writers, open the new one.
  Drain(current_.get(), on_line, budget);
  ClosePrevious(on_line);
  previous_ = std::move(current_);
  if (!Open(/*at_end=*/false)) {
    up_ = false;
    return;
  }
  Drain(current_.get(), on_line, budget);
}

}  // namespace mailrep
