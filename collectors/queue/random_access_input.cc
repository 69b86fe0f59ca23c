#include "collectors/queue/random_access_input.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

namespace mailrep {

StatusOr<size_t> StringInput::ReadAt(uint64_t offset, char* buf, size_t n) {
  if (offset >= data_.size()) return size_t{0};
  size_t count = std::min<uint64_t>(n, data_.size() - offset);
  std::memcpy(buf, data_.data() + offset, count);
  return count;
}

StatusOr<size_t> FdInput::ReadAt(uint64_t offset, char* buf, size_t n) {
  size_t done = 0;
  while (done < n) {
    ssize_t got = pread(fd_, buf + done, n - done, static_cast<off_t>(offset + done));
    if (got < 0) {
      if (errno == EINTR) continue;
      return Status::IoError(std::string("read: ") + std::strerror(errno));
    }
    done += static_cast<size_t>(got);
    if (got == 0 || done < n) break;  // a regular file reads short only at its end
  }
  return done;
}

}  // namespace mailrep
