#include "collectors/queue/spool_walker.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mailrep {
namespace {

constexpr int kStopPollInterval = 16;  // entries between stop checks

class Walk {
 public:
  Walk(const SpoolWalkOptions& options, std::stop_token stop, SpoolProblemCounts* problems,
       const SpoolVisitor& visit)
      : options_(options), stop_(std::move(stop)), problems_(problems), visit_(visit) {}

  // Walks the open directory `fd` (takes ownership) at `depth`.
  Status Dir(int fd, int depth) {
    DIR* dir = fdopendir(fd);
    if (dir == nullptr) {
      int err = errno;
      close(fd);
      return Status::IoError(std::string("fdopendir: ") + std::strerror(err));
    }
    Status result = Entries(dir, depth);
    closedir(dir);
    return result;
  }

 private:
  Status Entries(DIR* dir, int depth) {
    int dfd = dirfd(dir);
    for (;;) {
      if (++since_poll_ >= kStopPollInterval) {
        since_poll_ = 0;
        if (stop_.stop_requested()) return Status::Cancelled("queue walk stopped");
      }
      errno = 0;
      struct dirent* ent = readdir(dir);
      if (ent == nullptr) {
        if (errno != 0) problems_->Add(SpoolProblem::kIoError);
        return Status::OK();
      }
      const char* name = ent->d_name;
      if (name[0] == '.' &&
          (options_.skip_dot_files || name[1] == '\0' || (name[1] == '.' && name[2] == '\0'))) {
        continue;
      }
      unsigned char type = ent->d_type;
      if (type == DT_UNKNOWN) {
        struct stat st;
        if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
          CountErrno(errno, problems_);
          continue;
        }
        type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_LNK;
      }
      if (type == DT_REG) {
        visit_(SpoolEntry{dfd, name, subdir_, type});
      } else if (type == DT_DIR && depth < options_.max_depth) {
        if (Status s = Subdir(dfd, name, depth); !s.ok()) return s;
      } else {
        problems_->Add(SpoolProblem::kUnexpectedEntry);
      }
    }
  }

  Status Subdir(int parent_fd, const char* name, int depth) {
    int fd = openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
      CountErrno(errno, problems_);
      return Status::OK();
    }
    size_t old_size = subdir_.size();
    if (!subdir_.empty()) subdir_ += '/';
    subdir_ += name;
    Status s = Dir(fd, depth + 1);
    subdir_.resize(old_size);
    if (s.code() == Status::Code::kIoError) {
      problems_->Add(SpoolProblem::kIoError);
      return Status::OK();
    }
    return s;
  }

  const SpoolWalkOptions& options_;
  std::stop_token stop_;
  SpoolProblemCounts* problems_;
  const SpoolVisitor& visit_;
  std::string subdir_;
  int since_poll_ = 0;
};

}  // namespace

std::string_view SpoolProblemName(SpoolProblem problem) {
  switch (problem) {
    case SpoolProblem::kVanished:
      return "vanished";
    case SpoolProblem::kPermissionDenied:
      return "permission_denied";
    case SpoolProblem::kIoError:
      return "io_error";
    case SpoolProblem::kUnexpectedEntry:
      return "unexpected_entry";
    case SpoolProblem::kIncomplete:
      return "incomplete";
    case SpoolProblem::kCorrupt:
      return "corrupt";
    case SpoolProblem::kUnknownRecord:
      return "unknown_record";
  }
  return "unknown";
}

void SpoolProblemCounts::Merge(const SpoolProblemCounts& other) {
  for (size_t i = 0; i < counts.size(); ++i) counts[i] += other.counts[i];
}

uint64_t SpoolProblemCounts::Total() const {
  uint64_t total = 0;
  for (uint64_t c : counts) total += c;
  return total;
}

void CountErrno(int err, SpoolProblemCounts* problems) {
  switch (err) {
    case ENOENT:
      problems->Add(SpoolProblem::kVanished);
      break;
    case EACCES:
    case EPERM:
      problems->Add(SpoolProblem::kPermissionDenied);
      break;
    case ELOOP:
    case ENOTDIR:
      problems->Add(SpoolProblem::kUnexpectedEntry);
      break;
    default:
      problems->Add(SpoolProblem::kIoError);
      break;
  }
}

void CountStatusProblem(const Status& status, SpoolProblemCounts* problems) {
  switch (status.code()) {
    case Status::Code::kNotFound:
      problems->Add(SpoolProblem::kVanished);
      break;
    case Status::Code::kPermissionDenied:
      problems->Add(SpoolProblem::kPermissionDenied);
      break;
    default:
      problems->Add(SpoolProblem::kIoError);
      break;
  }
}

Status WalkSpool(const std::string& dir, const SpoolWalkOptions& options, std::stop_token stop,
                 SpoolProblemCounts* problems, const SpoolVisitor& visit) {
  int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    std::string what = dir + ": " + std::strerror(err);
    if (err == ENOENT) return Status::NotFound(what);
    if (err == EACCES || err == EPERM) return Status::PermissionDenied(what);
    return Status::IoError(what);
  }
  Walk walk(options, std::move(stop), problems, visit);
  return walk.Dir(fd, 0).Annotate(dir);
}

int OpenSpoolEntry(const SpoolEntry& entry, SpoolProblemCounts* problems) {
  std::string name(entry.name);
  int fd = openat(entry.dir_fd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) CountErrno(errno, problems);
  return fd;
}

Status ReadFileAt(int dir_fd, const std::string& path, size_t max_bytes, std::string* out,
                  bool* truncated) {
  out->clear();
  *truncated = false;
  int fd = openat(dir_fd, path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT) return Status::NotFound(path);
    if (err == EACCES || err == EPERM) return Status::PermissionDenied(path);
    return Status::IoError(path + ": " + std::strerror(err));
  }
  char buf[8192];
  Status result;
  for (;;) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      result = Status::IoError(path + ": " + std::strerror(errno));
      break;
    }
    if (n == 0) break;
    size_t room = max_bytes - out->size();
    if (static_cast<size_t>(n) > room) {
      out->append(buf, room);
      *truncated = true;
      break;
    }
    out->append(buf, static_cast<size_t>(n));
    if (static_cast<size_t>(n) < sizeof(buf)) break;  // a regular file reads short only at its end
  }
  close(fd);
  return result;
}

}  // namespace mailrep
