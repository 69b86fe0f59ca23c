#include "collectors/queue/postfix_message_scan.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <functional>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "collectors/queue/postfix_defer_log.h"
#include "collectors/queue/postfix_queue_file.h"
#include "collectors/queue/queue_metrics.h"
#include "collectors/queue/random_access_input.h"

namespace mailrep {
namespace {

using CacheState = PostfixScanCache::State;

// fstat(2) without glibc's detour through fstatat(fd, "", AT_EMPTY_PATH),
// which copies and looks up an empty path in the kernel.
int FastFstat(int fd, struct stat* st) { return static_cast<int>(syscall(SYS_fstat, fd, st)); }
constexpr size_t kMaxDeferLogBytes = 1 << 20;
constexpr size_t kMaxMemoizedReasons = 4096;

// Summary flags.
constexpr uint8_t kNoDeferLog = 1;
constexpr uint8_t kDeferLogCorrupt = 2;
constexpr uint8_t kDeferLogDenied = 4;
constexpr uint8_t kDeferLogIoError = 8;

uint64_t Mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  h ^= h >> 31;
  h *= 0xbf58476d1ce4e5b9ULL;
  return h ^ (h >> 29);
}

uint64_t MixStat(uint64_t h, const struct stat& st) {
  h = Mix(h, st.st_ino);
  h = Mix(h, static_cast<uint64_t>(st.st_size));
  h = Mix(h, static_cast<uint64_t>(st.st_mtim.tv_sec) * 1000000000ULL +
                 static_cast<uint64_t>(st.st_mtim.tv_nsec));
  return Mix(h, static_cast<uint64_t>(st.st_ctim.tv_sec) * 1000000000ULL +
                    static_cast<uint64_t>(st.st_ctim.tv_nsec));
}

// Descriptors of directories below the queue root, opened once per scan so
// that files open with a one-component path.
class DirCache {
 public:
  static constexpr int kUseRoot = -2;

  explicit DirCache(int root_fd) : root_fd_(root_fd) {}
  ~DirCache() {
    for (const auto& [dir, fd] : fds_) {
      if (fd >= 0) close(fd);
    }
  }
  DirCache(const DirCache&) = delete;
  DirCache& operator=(const DirCache&) = delete;

  // The descriptor of root/`dir`; -1 when it cannot be opened; kUseRoot when
  // the cache is full (open root-relative then).
  int Get(const std::string& dir) {
    auto it = fds_.find(dir);
    if (it != fds_.end()) return it->second;
    if (fds_.size() >= kMaxDirs) return kUseRoot;
    int fd = openat(root_fd_, dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    fds_.emplace(dir, fd);
    return fd;
  }

 private:
  static constexpr size_t kMaxDirs = 1024;
  int root_fd_;
  std::unordered_map<std::string, int> fds_;
};

// What a scan counts of one message; what the cache keeps of it.
struct Summary {
  uint64_t bytes = 0;
  int64_t arrival = 0;
  uint32_t recipients = 0;
  uint16_t reasons = 0;  // bit per ReplyReason
  uint8_t flags = 0;
  uint8_t unknown_records = 0;
  std::vector<uint32_t> domains;  // distinct ids, deferred queue only
};

// A located defer log: the directory it is in (a descriptor and, for
// kUseRoot, its path) and its identity.
struct DeferLogRef {
  bool found = false;
  int dir_fd = -1;
  const std::string* dir = nullptr;
  struct stat st {};
};

}  // namespace

class PostfixMessageScanner::Impl {
 public:
  Impl(int root_fd, const PostfixScanOptions& options, CacheState* state, bool store,
       PostfixQueueScan* scan)
      : root_fd_(root_fd),
        options_(options),
        state_(state),
        store_(store),
        scan_(scan),
        dirs_(root_fd) {
    parse_options_.max_kept_recipients = 10000;
    parse_options_.read_origin = options.composition;
    if (store_) {
      std::lock_guard lock(state_->mu);
      cache_empty_ = state_->messages.empty();
    }
  }

  // Moves the summaries parsed since the last call into the cache (one lock
  // per batch rather than per message). Call before the cache is swept.
  void FlushStores() {
    if (pending_.empty()) return;
    std::lock_guard lock(state_->mu);
    for (auto& [inode, m] : pending_) {
      m.generation = state_->generation;
      state_->messages.insert_or_assign(inode, std::move(m));
    }
    pending_.clear();
  }

  const std::vector<uint64_t>& by_domain() const { return by_domain_; }

  void Parse(const PostfixParseTask& task) {
    path_ = kPostfixQueueNames[QueueIndex(task.queue)];
    if (!task.subdir.empty()) (path_ += '/') += task.subdir;
    int dir_fd = dirs_.Get(path_);
    if (dir_fd == -1) {
      scan_->problems.Add(SpoolProblem::kVanished);
      return;
    }
    if (dir_fd == DirCache::kUseRoot) {
      (path_ += '/') += task.name;
      Parse(task.queue, task.id, task.subdir, task.name, root_fd_, path_.c_str());
    } else {
      Parse(task.queue, task.id, task.subdir, task.name, dir_fd, task.name.c_str());
    }
  }

  // Parses the file `path` relative to `dir_fd`, listed in `queue` as
  // `subdir`/`name`.
  void Parse(PostfixQueue queue, const PostfixQueueId& id, std::string_view subdir,
             std::string_view name, int dir_fd, const char* path) {
    bool cached = store_ && (queue == PostfixQueue::kActive || queue == PostfixQueue::kDeferred ||
                             queue == PostfixQueue::kHold);
    bool logs = queue == PostfixQueue::kDeferred && options_.read_defer_logs;
    uint64_t key = 0;
    struct stat st;
    DeferLogRef log;
    if (cached) {
      key = Mix(Mix(Mix(QueueIndex(queue), std::hash<std::string_view>()(subdir)),
                    std::hash<std::string_view>()(name)),
                id.inode);
      if (!cache_empty_ && Known(id.inode)) {
        // Revalidate without opening: the file's and its defer log's identity.
        if (fstatat(dir_fd, path, &st, AT_SYMLINK_NOFOLLOW) != 0) {
          CountErrno(errno, &scan_->problems);
          return;
        }
        if (!S_ISREG(st.st_mode)) {
          scan_->problems.Add(SpoolProblem::kUnexpectedEntry);
          return;
        }
        if (logs) log = StatDeferLog(id, subdir, name);
        if (TakeFromCache(id.inode, Validator(key, st, log), queue)) return;
        cached = false;  // changed: parse below, store with these (older) identities
        ++scan_->cache_misses;
        int fd = Open(dir_fd, path);
        if (fd < 0) return;
        ParseOpen(queue, fd, &st, id, subdir, name, logs ? &log : nullptr, key, true);
        close(fd);
        return;
      }
      ++scan_->cache_misses;
    }
    int fd = Open(dir_fd, path);
    if (fd < 0) return;
    // Files in maildrop and incoming may still be being written (mode bits
    // say so); qmgr renames only complete files into the other queues, where
    // the required end record is check enough and fstat is saved.
    PostfixQueueStats& stats = scan_->queues[QueueIndex(queue)];
    if (cached) {
      if (FastFstat(fd, &st) != 0) {
        CountErrno(errno, &scan_->problems);
      } else {
        ParseOpen(queue, fd, &st, id, subdir, name, nullptr, key, true);
      }
    } else if (queue != PostfixQueue::kMaildrop && queue != PostfixQueue::kIncoming &&
               queue != PostfixQueue::kCorrupt) {
      ParseOpen(queue, fd, nullptr, id, subdir, name, nullptr, 0, false);
    } else if (FastFstat(fd, &st) != 0) {
      CountErrno(errno, &scan_->problems);
    } else if (!S_ISREG(st.st_mode)) {
      scan_->problems.Add(SpoolProblem::kUnexpectedEntry);
    } else if (queue == PostfixQueue::kCorrupt) {
      stats.bytes += static_cast<uint64_t>(st.st_size);
      KeepOldest(&stats.oldest_arrival, st.st_mtime);
    } else if ((st.st_mode & 0700) != 0700) {
      scan_->problems.Add(SpoolProblem::kIncomplete);
    } else {
      ParseOpen(queue, fd, &st, id, subdir, name, nullptr, 0, false);
    }
    close(fd);
  }

 private:
  // Opens without updating the access time where allowed (owner or root),
  // which saves an inode write per file. -1 with errno set on failure.
  int OpenRaw(int dir_fd, const char* path) {
    int flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC;
    int fd = openat(dir_fd, path, flags | (noatime_ ? O_NOATIME : 0));
    if (fd < 0 && errno == EPERM && noatime_) {
      noatime_ = false;
      fd = openat(dir_fd, path, flags);
    }
    return fd;
  }

  // OpenRaw, counting a failure.
  int Open(int dir_fd, const char* path) {
    int fd = OpenRaw(dir_fd, path);
    if (fd < 0) CountErrno(errno, &scan_->problems);
    return fd;
  }

  static uint64_t Validator(uint64_t key, const struct stat& st, const DeferLogRef& log) {
    uint64_t h = MixStat(key, st);
    return log.found ? MixStat(h, log.st) : Mix(h, 0);
  }

  bool Known(uint64_t inode) {
    std::lock_guard lock(state_->mu);
    return state_->messages.count(inode) != 0;
  }

  bool TakeFromCache(uint64_t inode, uint64_t validator, PostfixQueue queue) {
    {
      std::lock_guard lock(state_->mu);
      auto it = state_->messages.find(inode);
      if (it == state_->messages.end() || it->second.validator != validator) return false;
      CacheState::Message& m = it->second;
      m.generation = state_->generation;
      summary_.bytes = m.bytes;
      summary_.arrival = m.arrival;
      summary_.recipients = m.recipients;
      summary_.reasons = m.reasons;
      summary_.flags = m.flags;
      summary_.unknown_records = m.unknown_records;
      const uint32_t* ids = m.domain_count > 2 ? m.more_domains.get() : m.domains;
      summary_.domains.assign(ids, ids + m.domain_count);
    }
    ++scan_->cache_hits;
    Apply(queue, summary_);
    return true;
  }

  void Store(uint64_t inode, uint64_t validator, const Summary& s) {
    CacheState::Message m;
    m.validator = validator;
    m.bytes = s.bytes;
    m.arrival = s.arrival;
    m.recipients = s.recipients;
    m.reasons = s.reasons;
    m.flags = s.flags;
    m.unknown_records = s.unknown_records;
    m.domain_count = static_cast<uint16_t>(std::min<size_t>(s.domains.size(), UINT16_MAX));
    if (m.domain_count > 2) {
      m.more_domains = std::make_unique<uint32_t[]>(m.domain_count);
      std::copy_n(s.domains.begin(), m.domain_count, m.more_domains.get());
    } else {
      std::copy_n(s.domains.begin(), m.domain_count, m.domains);
    }
    pending_.emplace_back(inode, std::move(m));
    if (pending_.size() >= kStoreBatch) FlushStores();
  }

  void Apply(PostfixQueue queue, const Summary& s) {
    PostfixQueueStats& stats = scan_->queues[QueueIndex(queue)];
    stats.bytes += s.bytes;
    stats.recipients += s.recipients;
    KeepOldest(&stats.oldest_arrival, s.arrival);
    scan_->problems.Add(SpoolProblem::kUnknownRecord, s.unknown_records);
    if (queue != PostfixQueue::kDeferred) return;
    for (uint32_t d : s.domains) {
      if (d >= by_domain_.size()) by_domain_.resize(d + 1);
      ++by_domain_[d];
    }
    if (!options_.read_defer_logs) return;
    for (size_t i = 0; i < kAllReplyReasons.size(); ++i) {
      if (s.reasons & (1u << i)) ++scan_->deferred_by_reason[i];
    }
    if (s.flags & kNoDeferLog) ++scan_->deferred_without_defer_log;
    if (s.flags & kDeferLogCorrupt) scan_->problems.Add(SpoolProblem::kCorrupt);
    if (s.flags & kDeferLogDenied) scan_->problems.Add(SpoolProblem::kPermissionDenied);
    if (s.flags & kDeferLogIoError) scan_->problems.Add(SpoolProblem::kIoError);
  }

  // `st` may be null; it is then read only if the file needs it (no 'C' or
  // 'T' record). With `store`, `st` is set and the summary is cached, with
  // `log` as the defer log's identity when it was located before (else it is
  // taken when the log is read).
  void ParseOpen(PostfixQueue queue, int fd, const struct stat* st, const PostfixQueueId& id,
                 std::string_view subdir, std::string_view name, DeferLogRef* log, uint64_t key,
                 bool store) {
    FdInput input(fd);
    StatusOr<PostfixQueueFileInfo> info = ParsePostfixQueueFile(input, parse_options_);
    if (!info.ok()) {
      scan_->problems.Add(info.status().code() == Status::Code::kIoError ? SpoolProblem::kIoError
                                                                         : SpoolProblem::kCorrupt);
      return;
    }
    struct stat own;
    if (st == nullptr && (!info->has_size_record || (!info->arrival_time && !id.seconds))) {
      if (FastFstat(fd, &own) != 0) {
        CountErrno(errno, &scan_->problems);
        return;
      }
      st = &own;
    }
    Summary& s = summary_;
    s.bytes = info->has_size_record ? info->content_size : static_cast<uint64_t>(st->st_size);
    s.recipients = static_cast<uint32_t>(std::min<uint64_t>(info->pending_recipients, UINT32_MAX));
    s.arrival = info->arrival_time ? *info->arrival_time
                : id.seconds       ? *id.seconds
                                   : static_cast<int64_t>(st->st_mtime);
    s.unknown_records = static_cast<uint8_t>(std::min<uint64_t>(info->unknown_records, 255));
    s.reasons = 0;
    s.flags = 0;
    s.domains.clear();
    DeferLogRef read_log;
    if (queue == PostfixQueue::kDeferred) {
      Domains(*info, &s);
      if (options_.read_defer_logs) {
        if (log != nullptr && log->found) read_log = *log;
        Reasons(id, subdir, name, log != nullptr && !log->found && log->dir == nullptr, &read_log,
                &s);
        if (log != nullptr) read_log = *log;  // identity as stat'ed before the read
      }
    }
    Apply(queue, s);
    if (options_.composition) Compose(queue, *info, st, s.arrival);
    if (store) Store(id.inode, Validator(key, *st, read_log), s);
  }

  void Compose(PostfixQueue queue, const PostfixQueueFileInfo& info, const struct stat* st,
               int64_t arrival) {
    std::optional<uint64_t> owner;
    if (queue == PostfixQueue::kMaildrop && st != nullptr) owner = st->st_uid;
    addresses_.clear();
    for (const PostfixRecipient& r : info.pending) addresses_.push_back(r.address);
    scan_->composition.Add(QueueIndex(queue), kPostfixQueueNames.size(), PostfixOrigin(info, owner),
                           info.pending_recipients, addresses_, arrival);
  }

  void Domains(const PostfixQueueFileInfo& info, Summary* s) {
    {
      std::lock_guard lock(state_->mu);
      for (const PostfixRecipient& r : info.pending) {
        s->domains.push_back(
            state_->InternLocked(DestinationLabel(r.address), options_.max_destinations));
      }
    }
    std::sort(s->domains.begin(), s->domains.end());
    s->domains.erase(std::unique(s->domains.begin(), s->domains.end()), s->domains.end());
  }

  // Where Postfix may keep the defer log of `id` listed in `subdir`: the same
  // subdirectory of defer/ when both queues are hashed alike; else where
  // Postfix's hashing would put it at each depth.
  const std::vector<std::string>& Candidates(const PostfixQueueId& id, std::string_view subdir) {
    candidates_.clear();
    candidates_.push_back(subdir.empty() ? "defer" : "defer/" + std::string(subdir));
    std::string hash = PostfixQueueHashPrefix(id, kPostfixMaxHashDepth);
    for (int depth = 0; depth <= kPostfixMaxHashDepth; ++depth) {
      std::string dir = "defer";
      for (int i = 0; i < depth; ++i) (dir += '/') += hash[i];
      if (std::find(candidates_.begin(), candidates_.end(), dir) == candidates_.end()) {
        candidates_.push_back(std::move(dir));
      }
    }
    return candidates_;
  }

  DeferLogRef StatDeferLog(const PostfixQueueId& id, std::string_view subdir,
                           std::string_view name) {
    DeferLogRef log;
    name_.assign(name);
    for (const std::string& dir : Candidates(id, subdir)) {
      int dir_fd = dirs_.Get(dir);
      if (dir_fd == -1) continue;
      int rc = dir_fd == DirCache::kUseRoot
                   ? fstatat(root_fd_, (dir + "/" + name_).c_str(), &log.st, AT_SYMLINK_NOFOLLOW)
                   : fstatat(dir_fd, name_.c_str(), &log.st, AT_SYMLINK_NOFOLLOW);
      if (rc == 0 || errno != ENOENT) {
        log.found = rc == 0;
        log.dir_fd = dir_fd;
        log.dir = &dir;
        break;
      }
    }
    return log;
  }

  // Reads the defer log into text_; NotFound when there is none. Fills
  // `found` (its identity) when `stat_it`.
  Status ReadDeferLog(int dir_fd, const std::string& dir, bool stat_it, DeferLogRef* found) {
    int fd = dir_fd == DirCache::kUseRoot ? OpenRaw(root_fd_, (dir + "/" + name_).c_str())
                                          : OpenRaw(dir_fd, name_.c_str());
    if (fd < 0) {
      int err = errno;
      if (err == ENOENT) return Status::NotFound("");
      return err == EACCES || err == EPERM ? Status::PermissionDenied("") : Status::IoError("");
    }
    Status result;
    if (stat_it && FastFstat(fd, &found->st) != 0) {
      result = Status::IoError("");
    } else {
      if (stat_it) found->found = true;
      text_.clear();
      char buf[8192];
      for (;;) {
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n < 0) {
          if (errno == EINTR) continue;
          result = Status::IoError("");
          break;
        }
        if (n == 0) break;
        text_.append(buf, std::min(static_cast<size_t>(n), kMaxDeferLogBytes - text_.size()));
        if (text_.size() >= kMaxDeferLogBytes || static_cast<size_t>(n) < sizeof(buf)) break;
      }
    }
    close(fd);
    return result;
  }

  // `known_missing`: a stat just found no log. `log`: where it is, if found
  // before; else located here (and its identity taken).
  void Reasons(const PostfixQueueId& id, std::string_view subdir, std::string_view name,
               bool known_missing, DeferLogRef* log, Summary* s) {
    name_.assign(name);
    Status read = Status::NotFound("");
    if (known_missing) {
      // nothing to read
    } else if (log->found) {
      read = ReadDeferLog(log->dir_fd, *log->dir, false, log);
    } else {
      for (const std::string& dir : Candidates(id, subdir)) {
        int dir_fd = dirs_.Get(dir);
        if (dir_fd == -1) continue;
        read = ReadDeferLog(dir_fd, dir, store_, log);
        if (read.code() != Status::Code::kNotFound) break;
      }
    }
    if (!read.ok()) {
      if (read.code() == Status::Code::kPermissionDenied) {
        s->flags |= kDeferLogDenied;
      } else if (read.code() != Status::Code::kNotFound) {
        s->flags |= kDeferLogIoError;
      }
      s->flags |= kNoDeferLog;
      return;
    }
    StatusOr<PostfixDeferLog> parsed = ParsePostfixDeferLog(text_);
    if (!parsed.ok() || parsed->entries.empty()) {
      if (!parsed.ok()) s->flags |= kDeferLogCorrupt;
      s->flags |= kNoDeferLog;
      return;
    }
    for (const PostfixDeferEntry& e : parsed->entries) {
      s->reasons |= static_cast<uint16_t>(1u << static_cast<size_t>(Classify(e)));
    }
  }

  // ClassifyReply, memoized: a queue repeats few distinct reasons.
  ReplyReason Classify(const PostfixDeferEntry& e) {
    memo_key_.assign(e.status);
    (memo_key_ += '\n') += e.reason;
    auto it = memo_.find(memo_key_);
    if (it != memo_.end()) return it->second;
    if (memo_.size() >= kMaxMemoizedReasons) memo_.clear();
    ReplyReason r = ClassifyReply(e.reason, e.status);
    memo_.emplace(memo_key_, r);
    return r;
  }

  int root_fd_;
  const PostfixScanOptions& options_;
  CacheState* state_;
  bool store_;
  PostfixQueueScan* scan_;
  bool noatime_ = true;
  PostfixQueueFileOptions parse_options_;
  Summary summary_;           // reused per message
  bool cache_empty_ = false;  // at the start: no lookups needed
  static constexpr size_t kStoreBatch = 512;
  std::vector<std::pair<uint64_t, CacheState::Message>> pending_;  // see FlushStores
  std::vector<uint64_t> by_domain_;  // deferred messages per domain id
  std::vector<std::string> candidates_;
  std::vector<std::string> addresses_;  // reused per message (composition)
  std::string text_;                    // reused per message
  std::string path_;                    // reused per message
  std::string name_;                    // reused per message
  std::string memo_key_;
  std::unordered_map<std::string, ReplyReason> memo_;
  DirCache dirs_;
};

PostfixMessageScanner::PostfixMessageScanner(int root_fd, const PostfixScanOptions& options,
                                             PostfixScanCache::State* state, bool store,
                                             PostfixQueueScan* scan)
    : impl_(std::make_unique<Impl>(root_fd, options, state, store, scan)) {}
PostfixMessageScanner::~PostfixMessageScanner() = default;

void PostfixMessageScanner::FlushStores() { impl_->FlushStores(); }

const std::vector<uint64_t>& PostfixMessageScanner::by_domain() const { return impl_->by_domain(); }

void PostfixMessageScanner::Parse(const PostfixParseTask& task) { impl_->Parse(task); }

void PostfixMessageScanner::Parse(PostfixQueue queue, const PostfixQueueId& id,
                                  std::string_view subdir, std::string_view name, int dir_fd,
                                  const char* path) {
  impl_->Parse(queue, id, subdir, name, dir_fd, path);
}

}  // namespace mailrep
