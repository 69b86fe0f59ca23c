#include "collectors/queue/exim_queue_scan.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <vector>

#include "collectors/queue/exim_header_file.h"
#include "collectors/queue/queue_metrics.h"

namespace mailrep {
namespace {

constexpr size_t kMaxHeaderFileBytes = 8 << 20;
constexpr size_t kMaxMsglogBytes = 1 << 20;

bool IsBase62(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

class Scanner {
 public:
  Scanner(int spool_fd, const EximScanOptions& options, QueueScan* scan)
      : spool_fd_(spool_fd), options_(options), scan_(scan) {}

  void Visit(const SpoolEntry& entry) {
    std::string_view name = entry.name;
    if (name.size() > 2 && name[name.size() - 2] == '-') {
      char kind = name.back();
      if (kind == 'D' || kind == 'J' || kind == 'K') return;  // data, journal, temporary
      if (kind == 'H' && IsEximMessageId(name.substr(0, name.size() - 2))) {
        Message(entry);
        return;
      }
    }
    scan_->problems.Add(SpoolProblem::kIncomplete);  // hdr.<pid> and other temporaries
  }

 private:
  void Message(const SpoolEntry& entry) {
    std::string name(entry.name);
    bool truncated = false;
    Status read = ReadFileAt(entry.dir_fd, name, kMaxHeaderFileBytes, &text_, &truncated);
    if (!read.ok()) {
      CountStatusProblem(read, &scan_->problems);
      return;
    }
    StatusOr<EximHeaderInfo> info = ParseEximHeaderFile(text_);
    if (!info.ok() || truncated) {
      scan_->problems.Add(SpoolProblem::kCorrupt);
      return;
    }
    std::string data_name = name.substr(0, name.size() - 1) + "D";
    struct stat st;
    if (fstatat(entry.dir_fd, data_name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      CountErrno(errno, &scan_->problems);  // a vanished -D: delivered meanwhile
      return;
    }
    EximQueue queue = info->frozen           ? EximQueue::kFrozen
                      : info->first_delivery ? EximQueue::kNew
                                             : EximQueue::kDeferred;
    QueueStats& stats = scan_->queue(queue);
    ++stats.messages;
    stats.bytes += EximMessageSize(*info, static_cast<uint64_t>(st.st_size));
    stats.recipients += info->pending_count;
    KeepOldest(&stats.oldest_arrival, info->arrival_time);
    if (options_.composition) {
      scan_->composition.Add(QueueIndex(queue), kEximQueueNames.size(), EximOrigin(*info),
                             info->pending_count, info->pending, info->arrival_time);
    }
    if (queue != EximQueue::kDeferred) return;
    CountRecipientDestinations(info->pending, options_.max_destinations,
                               &scan_->deferred_by_destination);
    if (options_.read_msglogs) CountReasons(*info, entry.subdir);
  }

  void CountReasons(const EximHeaderInfo& info, std::string_view subdir) {
    std::string path = "msglog/";
    if (!subdir.empty()) (path += subdir) += '/';
    path += info.id;
    bool truncated = false;
    Status read = ReadFileAt(spool_fd_, path, kMaxMsglogBytes, &text_, &truncated);
    if (read.code() == Status::Code::kNotFound && !subdir.empty()) {
      read = ReadFileAt(spool_fd_, "msglog/" + info.id, kMaxMsglogBytes, &text_, &truncated);
    }
    if (!read.ok()) {
      if (read.code() != Status::Code::kNotFound) CountStatusProblem(read, &scan_->problems);
      return;
    }
    // The latest deferral of each pending recipient.
    std::vector<EximDeferral> deferrals = ParseEximMsglogDeferrals(text_);
    std::array<bool, kAllReplyReasons.size()> seen{};
    for (const std::string& rcpt : info.pending) {
      for (auto it = deferrals.rbegin(); it != deferrals.rend(); ++it) {
        if (it->recipient == rcpt) {
          seen[static_cast<size_t>(ClassifyReply(it->reason))] = true;
          break;
        }
      }
    }
    for (size_t i = 0; i < seen.size(); ++i) scan_->deferred_by_reason[i] += seen[i] ? 1 : 0;
  }

  int spool_fd_;
  const EximScanOptions& options_;
  QueueScan* scan_;
  std::string text_;  // reused per file
};

}  // namespace

QueueOrigin EximOrigin(const EximHeaderInfo& info) {
  QueueOrigin origin;
  origin.sender = info.sender;
  // Without a client address the message came from a local process (Exim's
  // -local flag is not always written; -received_protocol says "local").
  bool local = info.local || info.host_address.empty();
  SetSubmitter(&origin, info.auth_id, local, info.login.empty() ? info.ident : info.login,
               info.host_address);
  return origin;
}

bool IsEximMessageId(std::string_view id) {
  size_t pid_len = 0;
  if (id.size() == 16) {
    pid_len = 6;
  } else if (id.size() == 23) {
    pid_len = 11;
  } else {
    return false;
  }
  for (size_t i = 0; i < id.size(); ++i) {
    bool dash = i == 6 || i == 7 + pid_len;
    if (dash ? id[i] != '-' : !IsBase62(id[i])) return false;
  }
  return true;
}

StatusOr<QueueScan> ScanEximSpool(const std::string& spool_directory,
                                  const EximScanOptions& options, std::stop_token stop) {
  int spool_fd = open(spool_directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (spool_fd < 0) {
    return StatusFromErrno(errno, "Exim spool_directory " + spool_directory);
  }
  QueueScan scan;
  scan.queues.resize(kEximQueueNames.size());
  Scanner scanner(spool_fd, options, &scan);
  SpoolWalkOptions walk;
  walk.max_depth = 1;  // split_spool_directory: input/<c>/
  Status s = WalkSpool(spool_directory + "/input", walk, stop, &scan.problems,
                       [&](const SpoolEntry& e) { scanner.Visit(e); });
  close(spool_fd);
  if (!s.ok()) return s.Annotate("Exim spool");
  return scan;
}

std::unique_ptr<QueueScanner> NewEximQueueScanner(const std::string& spool_directory,
                                                  const QueueScanOptions& options) {
  EximScanOptions own;
  own.read_msglogs = options.read_reasons;
  own.max_destinations = options.max_destinations;
  own.composition = options.composition;
  return NewStatelessQueueScanner(spool_directory, own, &ScanEximSpool);
}

}  // namespace mailrep
