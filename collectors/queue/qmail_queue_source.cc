#include "collectors/queue/qmail_queue_source.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <unordered_map>
#include <utility>
#include <vector>

#include "collectors/queue/qmail_envelope.h"
#include "collectors/queue/queue_metrics.h"

namespace mailrep {
namespace {

constexpr size_t kMaxEnvelopeBytes = 16 << 20;
constexpr size_t kMessHeadBytes = 4096;      // enough for qmail's two Received fields
constexpr size_t kMaxKeptRecipients = 1000;  // per message, for destinations
// The sender of a message without a readable info/ or todo/ envelope (still
// being queued, or left over): not the null sender.
constexpr std::string_view kUnknownSender = "(unknown)";

bool ParseId(std::string_view name, uint64_t* id) {
  if (name.empty() || name.size() > 19) return false;
  auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), *id);
  return ec == std::errc() && end == name.data() + name.size();
}

// The number of numeric subdirectories of mess/: qmail's conf-split.
uint64_t CountSplit(int queue_fd) {
  int fd = openat(queue_fd, "mess", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return 1;
  DIR* dir = fdopendir(fd);
  if (dir == nullptr) {
    close(fd);
    return 1;
  }
  uint64_t split = 0;
  while (dirent* e = readdir(dir)) {
    uint64_t n;
    if (ParseId(e->d_name, &n)) ++split;
  }
  closedir(dir);
  return std::max<uint64_t>(split, 1);
}

class Scanner {
 public:
  Scanner(std::string root, int queue_fd, const QueueScanOptions& options, int64_t now,
          QueueScan* scan)
      : root_(std::move(root)), queue_fd_(queue_fd), options_(options), now_(now), scan_(scan) {
    split_ = CountSplit(queue_fd_);
  }

  Status Run(std::stop_token stop) {
    struct Pass {
      const char* dir;
      int depth;
      void (Scanner::*visit)(const SpoolEntry&, uint64_t id);
    };
    const Pass passes[] = {
        {"mess", 1, &Scanner::Mess},     {"todo", 1, &Scanner::Todo},
        {"local", 1, &Scanner::Local},   {"remote", 1, &Scanner::Remote},
        {"bounce", 0, &Scanner::Bounce},
    };
    for (const Pass& pass : passes) {
      std::string dir = root_ + "/" + pass.dir;
      SpoolWalkOptions walk;
      walk.max_depth = pass.depth;
      Status s = WalkSpool(dir, walk, stop, &scan_->problems, [&](const SpoolEntry& entry) {
        uint64_t id;
        if (!ParseId(entry.name, &id) ||
            (pass.depth > 0 && entry.subdir.empty() && std::string_view(pass.dir) != "todo")) {
          scan_->problems.Add(SpoolProblem::kUnexpectedEntry);
          return;
        }
        (this->*pass.visit)(entry, id);
      });
      if (s.code() == Status::Code::kPermissionDenied) {
        return Status::PermissionDenied(s.message() +
                                        " (run as root or the qmails user, or grant "
                                        "CAP_DAC_READ_SEARCH)");
      }
      if (!s.ok()) return s;
    }
    return Status::OK();
  }

 private:
  struct MessInfo {
    uint64_t size = 0;
    std::optional<int64_t> mtime;
  };

  void Mess(const SpoolEntry& entry, uint64_t id) {
    QueueStats& q = scan_->queue(QmailQueue::kQueue);
    ++q.messages;
    if (options_.count_only) return;
    struct stat st;
    if (fstatat(entry.dir_fd, std::string(entry.name).c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      CountErrno(errno, &scan_->problems);
      return;
    }
    q.bytes += static_cast<uint64_t>(st.st_size);
    KeepOldest(&q.oldest_arrival, st.st_mtime);
    if (options_.composition) Origin(entry, id, st.st_mtime);
  }

  // With options.composition: who queued message `id`, from the start of its
  // mess file and its info/ sender (todo/ messages have no info file yet; Todo
  // takes the sender from the todo envelope).
  void Origin(const SpoolEntry& entry, uint64_t id, int64_t mtime) {
    Composed& c = composed_[id];
    c.arrival = mtime;
    bool truncated = false;
    if (ReadFileAt(entry.dir_fd, std::string(entry.name), kMessHeadBytes, &text_, &truncated)
            .ok()) {
      QmailSubmission who = ParseQmailSubmission(text_);
      if (who.uid) {
        c.origin.kind = SubmitterKind::kLocal;
        c.origin.submitter = "uid=" + std::to_string(*who.uid);
      } else if (who.from_network) {
        c.origin.kind = SubmitterKind::kClient;
        c.origin.submitter = who.client_address.empty() ? "network" : who.client_address;
      }
    }
    std::string split(entry.subdir);
    if (ReadFileAt(queue_fd_, Path("info", split, id), kMaxEnvelopeBytes, &text_, &truncated)
            .ok()) {
      QmailEnvelope info = ParseQmailEnvelope(text_);
      c.has_sender = info.has_sender;
      c.origin.sender = info.sender;
    }
  }

  // Counts message `id` of channel `queue` (and its recipients toward the
  // whole queue's row, added by FlushComposition).
  void Compose(uint64_t id, QmailQueue queue, const QmailEnvelope& envelope,
               std::optional<int64_t> birth) {
    if (!options_.composition) return;
    Composed& c = composed_[id];
    if (envelope.has_sender && !c.has_sender) {
      c.has_sender = true;
      c.origin.sender = envelope.sender;
    }
    if (!c.has_sender) c.origin.sender = kUnknownSender;
    c.recipients += envelope.pending.size();
    for (const std::string& r : envelope.pending) {
      if (c.pending.size() < kMaxKeptRecipients) c.pending.push_back(r);
    }
    scan_->composition.Add(QueueIndex(queue), kQmailQueueNames.size(), c.origin,
                           envelope.pending.size(), envelope.pending, birth ? birth : c.arrival);
  }

 public:
  // Adds the "queue" row's composition: every message the mess/ pass saw.
  void FlushComposition() {
    if (!options_.composition) return;
    for (const auto& [id, c] : composed_) {
      if (!c.arrival) continue;  // not in mess/: gone meanwhile
      QueueOrigin origin = c.origin;
      if (!c.has_sender) origin.sender = kUnknownSender;
      scan_->composition.Add(QueueIndex(QmailQueue::kQueue), kQmailQueueNames.size(), origin,
                             c.recipients, c.pending, c.arrival);
    }
    composed_.clear();
  }

 private:
  void Todo(const SpoolEntry& entry, uint64_t id) {
    QueueStats& q = scan_->queue(QmailQueue::kTodo);
    ++q.messages;
    if (options_.count_only) return;
    QmailEnvelope envelope;
    if (!Read(entry, &envelope)) return;
    q.recipients += envelope.pending.size();
    scan_->queue(QmailQueue::kQueue).recipients += envelope.pending.size();
    MessInfo mess = StatMess(id, SplitOf(id));
    q.bytes += mess.size;
    if (mess.mtime) KeepOldest(&q.oldest_arrival, *mess.mtime);
    if (options_.composition && envelope.uid &&
        composed_[id].origin.kind == SubmitterKind::kUnknown) {
      composed_[id].origin.kind = SubmitterKind::kLocal;
      composed_[id].origin.submitter = "uid=" + std::to_string(*envelope.uid);
    }
    Compose(id, QmailQueue::kTodo, envelope, mess.mtime);
  }

  void Local(const SpoolEntry& entry, uint64_t id) { Channel(entry, id, QmailQueue::kLocal); }
  void Remote(const SpoolEntry& entry, uint64_t id) { Channel(entry, id, QmailQueue::kRemote); }

  void Channel(const SpoolEntry& entry, uint64_t id, QmailQueue queue) {
    QueueStats& q = scan_->queue(queue);
    ++q.messages;
    if (options_.count_only) return;
    QmailEnvelope envelope;
    if (!Read(entry, &envelope)) return;
    if (envelope.pending.empty() && envelope.done == 0) {
      scan_->problems.Add(SpoolProblem::kCorrupt);
    }
    q.recipients += envelope.pending.size();
    scan_->queue(QmailQueue::kQueue).recipients += envelope.pending.size();
    // local/<n>/<id>: the same <n> as mess/ and info/.
    std::string split = std::string(entry.subdir);
    MessInfo mess = StatMess(id, split);
    q.bytes += mess.size;
    std::optional<int64_t> birth = Birth(id, split, mess);
    if (birth) KeepOldest(&q.oldest_arrival, *birth);
    Compose(id, queue, envelope, birth);
    if (queue == QmailQueue::kRemote && !envelope.pending.empty() && birth &&
        *birth <= now_ - kQmailFirstRetrySeconds) {
      CountRecipientDestinations(envelope.pending, options_.max_destinations,
                                 &scan_->deferred_by_destination);
    }
  }

  void Bounce(const SpoolEntry&, uint64_t id) {
    QueueStats& q = scan_->queue(QmailQueue::kBounce);
    ++q.messages;
    if (options_.count_only) return;
    MessInfo mess = StatMess(id, SplitOf(id));
    q.bytes += mess.size;
    std::optional<int64_t> birth = Birth(id, SplitOf(id), mess);
    if (birth) KeepOldest(&q.oldest_arrival, *birth);
    Compose(id, QmailQueue::kBounce, QmailEnvelope(), birth);
  }

  bool Read(const SpoolEntry& entry, QmailEnvelope* envelope) {
    bool truncated = false;
    Status s =
        ReadFileAt(entry.dir_fd, std::string(entry.name), kMaxEnvelopeBytes, &text_, &truncated);
    if (!s.ok()) {
      CountStatusProblem(s, &scan_->problems);
      return false;
    }
    *envelope = ParseQmailEnvelope(text_);
    if (envelope->truncated || truncated) scan_->problems.Add(SpoolProblem::kIncomplete);
    if (envelope->unknown_records > 0) {
      scan_->problems.Add(SpoolProblem::kUnknownRecord, envelope->unknown_records);
    }
    return true;
  }

  std::string SplitOf(uint64_t id) const { return std::to_string(id % split_); }

  static std::string Path(const char* dir, const std::string& split, uint64_t id) {
    return std::string(dir) + "/" + split + "/" + std::to_string(id);
  }

  // mess/<split>/<id>; a missing one is counted as vanished.
  MessInfo StatMess(uint64_t id, const std::string& split) {
    MessInfo info;
    struct stat st;
    if (fstatat(queue_fd_, Path("mess", split, id).c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      CountErrno(errno, &scan_->problems);
      return info;
    }
    info.size = static_cast<uint64_t>(st.st_size);
    info.mtime = st.st_mtime;
    return info;
  }

  // The queue birth time: info/'s mtime, else the mess file's.
  std::optional<int64_t> Birth(uint64_t id, const std::string& split, const MessInfo& mess) {
    struct stat st;
    if (fstatat(queue_fd_, Path("info", split, id).c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
      return st.st_mtime;
    }
    return mess.mtime;
  }

  // Per message, with options.composition.
  struct Composed {
    QueueOrigin origin;
    bool has_sender = false;         // read from info/ or todo/
    std::optional<int64_t> arrival;  // the mess file's mtime
    uint64_t recipients = 0;         // pending, over todo/local/remote
    std::vector<std::string> pending;
  };
  std::unordered_map<uint64_t, Composed> composed_;

  std::string root_;
  int queue_fd_;
  const QueueScanOptions& options_;
  int64_t now_;
  QueueScan* scan_;
  uint64_t split_ = 1;
  std::string text_;
};

// ScanQmailQueue at the current time.
StatusOr<QueueScan> ScanQmailQueueNow(const std::string& queue_directory,
                                      const QueueScanOptions& options, std::stop_token stop) {
  return ScanQmailQueue(queue_directory, options, options.clock->UnixSeconds(), std::move(stop));
}

}  // namespace

StatusOr<QueueScan> ScanQmailQueue(const std::string& queue_directory,
                                   const QueueScanOptions& options, int64_t now,
                                   std::stop_token stop) {
  int fd = open(queue_directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    std::string what = "qmail queue directory " + queue_directory;
    if (err == ENOENT || err == ENOTDIR) return Status::NotFound(what + " not found");
    if (err == EACCES || err == EPERM) {
      return Status::PermissionDenied(what + " unreadable (run as root or the qmails user)");
    }
    return Status::IoError(what + ": cannot open");
  }
  QueueScan scan;
  scan.queues.resize(kQmailQueueNames.size());
  Scanner scanner(queue_directory, fd, options, now, &scan);
  Status s = scanner.Run(stop);
  if (s.ok()) scanner.FlushComposition();
  close(fd);
  if (!s.ok()) return s;
  return scan;
}

std::unique_ptr<QueueScanner> NewQmailQueueScanner(const std::string& queue_directory,
                                                   const QueueScanOptions& options) {
  return NewStatelessQueueScanner(queue_directory, options, &ScanQmailQueueNow);
}

}  // namespace mailrep
