#include "collectors/queue/postfix_queue_scan.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "collectors/queue/postfix_defer_log.h"
#include "collectors/queue/postfix_queue_file.h"
#include "collectors/queue/postfix_queue_id.h"
#include "collectors/queue/queue_metrics.h"
#include "collectors/queue/random_access_input.h"

namespace mailrep {
namespace {

constexpr size_t kMaildropIndex = 0;
constexpr size_t kIncomingIndex = 1;
constexpr size_t kDeferredIndex = 3;
constexpr size_t kCorruptIndex = 5;
constexpr int kMaxHashDepth = 3;
constexpr size_t kMaxDeferLogBytes = 1 << 20;
constexpr std::string_view kOtherDestination = "other";

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

// One file the listing found, to parse (possibly on another thread).
struct ParseTask {
  size_t queue = 0;
  PostfixQueueId id;
  std::string subdir;
  std::string name;
};

// Parses queue files into one PostfixQueueScan. One per thread.
class Scanner {
 public:
  Scanner(int root_fd, const PostfixScanOptions& options, PostfixQueueScan* scan)
      : root_fd_(root_fd), options_(options), scan_(scan), dirs_(root_fd) {
    parse_options_.max_kept_recipients = 10000;
  }

  // Parses the file `path` relative to `dir_fd`, listed in `queue` as
  // `subdir`/`name`.
  void Parse(size_t queue, const PostfixQueueId& id, std::string_view subdir, std::string_view name,
             int dir_fd, const char* path) {
    int fd = openat(dir_fd, path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
      CountErrno(errno, &scan_->problems);
      return;
    }
    // Files in maildrop and incoming may still be being written (mode bits
    // say so); qmgr renames only complete files into the other queues, where
    // the required end record is check enough and fstat is saved.
    struct stat st;
    PostfixQueueStats& stats = scan_->queues[queue];
    if (queue != kMaildropIndex && queue != kIncomingIndex && queue != kCorruptIndex) {
      ParseFile(queue, fd, nullptr, id, subdir, name);
    } else if (fstat(fd, &st) != 0) {
      CountErrno(errno, &scan_->problems);
    } else if (!S_ISREG(st.st_mode)) {
      scan_->problems.Add(SpoolProblem::kUnexpectedEntry);
    } else if (queue == kCorruptIndex) {
      stats.bytes += static_cast<uint64_t>(st.st_size);
      Older(&stats, st.st_mtime);
    } else if ((st.st_mode & 0700) != 0700) {
      scan_->problems.Add(SpoolProblem::kIncomplete);
    } else {
      ParseFile(queue, fd, &st, id, subdir, name);
    }
    close(fd);
  }

  void Parse(const ParseTask& task) {
    path_ = kPostfixQueueNames[task.queue];
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

 private:
  static void Older(PostfixQueueStats* stats, int64_t arrival) {
    if (!stats->oldest_arrival || arrival < *stats->oldest_arrival) stats->oldest_arrival = arrival;
  }

  // `st` may be null; it is then read only if the file needs it (no 'C' or
  // 'T' record).
  void ParseFile(size_t queue, int fd, const struct stat* st, const PostfixQueueId& id,
                 std::string_view subdir, std::string_view name) {
    FdInput input(fd);
    StatusOr<PostfixQueueFileInfo> info = ParsePostfixQueueFile(input, parse_options_);
    if (!info.ok()) {
      scan_->problems.Add(info.status().code() == Status::Code::kIoError ? SpoolProblem::kIoError
                                                                         : SpoolProblem::kCorrupt);
      return;
    }
    struct stat own;
    if (st == nullptr && (!info->has_size_record || (!info->arrival_time && !id.seconds))) {
      if (fstat(fd, &own) != 0) {
        CountErrno(errno, &scan_->problems);
        return;
      }
      st = &own;
    }
    PostfixQueueStats& stats = scan_->queues[queue];
    stats.bytes += info->has_size_record ? info->content_size : static_cast<uint64_t>(st->st_size);
    stats.recipients += info->pending_recipients;
    int64_t arrival = info->arrival_time ? *info->arrival_time
                      : id.seconds       ? *id.seconds
                                         : static_cast<int64_t>(st->st_mtime);
    Older(&stats, arrival);
    scan_->problems.Add(SpoolProblem::kUnknownRecord, info->unknown_records);
    if (queue != kDeferredIndex) return;
    CountDestinations(*info);
    if (options_.read_defer_logs) CountReasons(id, subdir, name);
  }

  void CountDestinations(const PostfixQueueFileInfo& info) {
    domains_.clear();
    for (const PostfixRecipient& r : info.pending) domains_.push_back(DestinationLabel(r.address));
    std::sort(domains_.begin(), domains_.end());
    domains_.erase(std::unique(domains_.begin(), domains_.end()), domains_.end());
    auto& by_dest = scan_->deferred_by_destination;
    for (const std::string& d : domains_) {
      auto it = by_dest.find(d);
      if (it != by_dest.end()) {
        ++it->second;
      } else if (by_dest.size() < options_.max_destinations) {
        by_dest.emplace(d, 1);
      } else {
        ++by_dest[std::string(kOtherDestination)];
      }
    }
  }

  void CountReasons(const PostfixQueueId& id, std::string_view subdir, std::string_view name_view) {
    // The defer log sits in the same subdirectory of defer/ as the queue
    // file when both queues are hashed alike; else look where Postfix's
    // hashing would put it at each depth.
    std::string name(name_view);
    candidates_.clear();
    candidates_.push_back(subdir.empty() ? "defer" : "defer/" + std::string(subdir));
    std::string hash = PostfixQueueHashPrefix(id, kMaxHashDepth);
    for (int depth = 0; depth <= kMaxHashDepth; ++depth) {
      std::string dir = "defer";
      for (int i = 0; i < depth; ++i) (dir += '/') += hash[i];
      if (std::find(candidates_.begin(), candidates_.end(), dir) == candidates_.end()) {
        candidates_.push_back(std::move(dir));
      }
    }
    bool truncated = false;
    Status read = Status::NotFound("");
    for (const std::string& dir : candidates_) {
      int dir_fd = dirs_.Get(dir);
      if (dir_fd == -1) continue;
      read = dir_fd == DirCache::kUseRoot
                 ? ReadFileAt(root_fd_, dir + "/" + name, kMaxDeferLogBytes, &text_, &truncated)
                 : ReadFileAt(dir_fd, name, kMaxDeferLogBytes, &text_, &truncated);
      if (read.code() != Status::Code::kNotFound) break;
    }
    if (!read.ok()) {
      if (read.code() == Status::Code::kPermissionDenied) {
        scan_->problems.Add(SpoolProblem::kPermissionDenied);
      } else if (read.code() != Status::Code::kNotFound) {
        scan_->problems.Add(SpoolProblem::kIoError);
      }
      ++scan_->deferred_without_defer_log;
      return;
    }
    StatusOr<PostfixDeferLog> log = ParsePostfixDeferLog(text_);
    if (!log.ok() || log->entries.empty()) {
      if (!log.ok()) scan_->problems.Add(SpoolProblem::kCorrupt);
      ++scan_->deferred_without_defer_log;
      return;
    }
    std::array<bool, kAllDeferralReasons.size()> seen{};
    for (const PostfixDeferEntry& e : log->entries) {
      seen[static_cast<size_t>(ClassifyDeferralReason(e.reason, e.status))] = true;
    }
    for (size_t i = 0; i < seen.size(); ++i) scan_->deferred_by_reason[i] += seen[i] ? 1 : 0;
  }

  int root_fd_;
  const PostfixScanOptions& options_;
  PostfixQueueScan* scan_;
  PostfixQueueFileOptions parse_options_;
  std::vector<std::string> domains_;     // reused per message
  std::vector<std::string> candidates_;  // reused per message
  std::string text_;                     // reused per message
  std::string path_;                     // reused per message
  DirCache dirs_;
};

// Batches of parse tasks from the listing thread to the parse threads; at most
// `max_batches` wait at a time, so memory stays bounded.
class TaskQueue {
 public:
  explicit TaskQueue(size_t max_batches) : max_batches_(max_batches) {}

  // Blocks while full; false when `stop` was requested meanwhile.
  bool Push(std::vector<ParseTask>&& batch, std::stop_token stop) {
    std::unique_lock lock(mu_);
    if (!cv_.wait(lock, stop, [&] { return batches_.size() < max_batches_; })) return false;
    batches_.push_back(std::move(batch));
    cv_.notify_all();
    return true;
  }

  // Blocks until a batch is ready; false once closed and drained, or stopped.
  bool Pop(std::vector<ParseTask>* batch, std::stop_token stop) {
    std::unique_lock lock(mu_);
    if (!cv_.wait(lock, stop, [&] { return !batches_.empty() || closed_; })) return false;
    if (batches_.empty()) return false;
    *batch = std::move(batches_.front());
    batches_.pop_front();
    cv_.notify_all();
    return true;
  }

  void Close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    cv_.notify_all();
  }

 private:
  const size_t max_batches_;
  std::mutex mu_;
  std::condition_variable_any cv_;
  std::deque<std::vector<ParseTask>> batches_;
  bool closed_ = false;
};

constexpr size_t kBatchSize = 128;
constexpr size_t kMaxQueuedBatches = 16;

void MergeInto(const PostfixQueueScan& part, size_t max_destinations, PostfixQueueScan* scan) {
  for (size_t q = 0; q < scan->queues.size(); ++q) {
    PostfixQueueStats& to = scan->queues[q];
    const PostfixQueueStats& from = part.queues[q];
    to.bytes += from.bytes;
    to.recipients += from.recipients;
    if (from.oldest_arrival && (!to.oldest_arrival || *from.oldest_arrival < *to.oldest_arrival)) {
      to.oldest_arrival = from.oldest_arrival;
    }
  }
  for (const auto& [domain, count] : part.deferred_by_destination) {
    auto it = scan->deferred_by_destination.find(domain);
    if (it != scan->deferred_by_destination.end()) {
      it->second += count;
    } else if (scan->deferred_by_destination.size() < max_destinations) {
      scan->deferred_by_destination.emplace(domain, count);
    } else {
      scan->deferred_by_destination[std::string(kOtherDestination)] += count;
    }
  }
  for (size_t r = 0; r < scan->deferred_by_reason.size(); ++r) {
    scan->deferred_by_reason[r] += part.deferred_by_reason[r];
  }
  scan->deferred_without_defer_log += part.deferred_without_defer_log;
  scan->problems.Merge(part.problems);
}

}  // namespace

StatusOr<PostfixQueueScan> ScanPostfixQueue(const std::string& queue_directory,
                                            const PostfixScanOptions& options,
                                            std::stop_token stop) {
  int root_fd = open(queue_directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0) {
    return StatusFromErrno(errno, "Postfix queue_directory " + queue_directory);
  }
  PostfixQueueScan scan;
  Scanner scanner(root_fd, options, &scan);
  int threads = options.count_only ? 1 : std::clamp(options.threads, 1, 64);
  std::vector<PostfixQueueScan> parts(threads > 1 ? threads : 0);
  TaskQueue tasks(kMaxQueuedBatches);
  std::vector<std::jthread> workers;
  for (PostfixQueueScan& part : parts) {
    workers.emplace_back([&, part_ptr = &part] {
      Scanner worker(root_fd, options, part_ptr);
      std::vector<ParseTask> batch;
      while (tasks.Pop(&batch, stop)) {
        for (const ParseTask& task : batch) {
          if (stop.stop_requested()) return;
          worker.Parse(task);
        }
      }
    });
  }
  std::vector<ParseTask> batch;
  std::string name_buf;

  SpoolWalkOptions walk_options;
  walk_options.max_depth = kMaxHashDepth;
  bool any_queue = false;
  Status result;
  for (size_t q = 0; q < kPostfixQueueNames.size() && result.ok(); ++q) {
    std::string dir = queue_directory + "/" + std::string(kPostfixQueueNames[q]);
    Status s = WalkSpool(dir, walk_options, stop, &scan.problems, [&](const SpoolEntry& e) {
      StatusOr<PostfixQueueId> id = ParsePostfixQueueId(e.name);
      if (!id.ok()) {
        // Temporary files being created and foreign files; showq skips them too.
        scan.problems.Add(SpoolProblem::kIncomplete);
        return;
      }
      ++scan.queues[q].messages;
      if (options.count_only) return;
      if (workers.empty()) {
        name_buf.assign(e.name);
        scanner.Parse(q, *id, e.subdir, e.name, e.dir_fd, name_buf.c_str());
        return;
      }
      batch.push_back({q, *id, std::string(e.subdir), std::string(e.name)});
      if (batch.size() == kBatchSize) {
        tasks.Push(std::move(batch), stop);
        batch.clear();
      }
    });
    if (s.ok()) {
      scan.queues[q].readable = true;
      any_queue = true;
    } else if (s.code() == Status::Code::kCancelled) {
      result = s;
    } else if (s.code() == Status::Code::kPermissionDenied) {
      scan.problems.Add(SpoolProblem::kPermissionDenied);
      any_queue = true;
    } else if (s.code() == Status::Code::kNotFound) {
      scan.queues[q].readable = true;  // not created yet: no messages
    } else {
      scan.problems.Add(SpoolProblem::kIoError);
      any_queue = true;
    }
  }
  if (!batch.empty()) tasks.Push(std::move(batch), stop);
  tasks.Close();
  workers.clear();  // joins
  if (stop.stop_requested() && result.ok()) result = Status::Cancelled("queue scan stopped");
  for (const PostfixQueueScan& part : parts) MergeInto(part, options.max_destinations, &scan);
  close(root_fd);
  if (!result.ok()) return result;
  if (!any_queue) {
    return Status::InvalidArgument(
        "not a Postfix queue_directory (no maildrop, incoming, active, "
        "deferred, hold or corrupt subdirectory): " +
        queue_directory);
  }
  return scan;
}

}  // namespace mailrep
