#include "collectors/queue/sendmail_queue_scan.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <set>
#include <vector>

#include "collectors/queue/queue_metrics.h"
#include "collectors/queue/sendmail_queue_file.h"

namespace mailrep {
namespace {

constexpr size_t kMaxQueueFileBytes = 8 << 20;

// "a/b" -> "a", "b" -> "".
std::string_view Parent(std::string_view dir) {
  size_t slash = dir.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : dir.substr(0, slash);
}

std::string_view LastComponent(std::string_view dir) {
  size_t slash = dir.rfind('/');
  return slash == std::string_view::npos ? dir : dir.substr(slash + 1);
}

std::string Join(std::string_view dir, std::string_view name) {
  std::string path(dir);
  if (!path.empty()) path += '/';
  path += name;
  return path;
}

class Scanner {
 public:
  Scanner(int root_fd, std::string root, const SendmailScanOptions& options, QueueScan* scan)
      : root_fd_(root_fd), root_(std::move(root)), options_(options), scan_(scan) {}

  void Visit(const SpoolEntry& entry) {
    std::string_view name = entry.name;
    std::string_view kind = name.substr(0, 2);
    if (name.size() > 2) {
      if (kind == "qf" || kind == "hf") {
        Message(entry, kind == "hf");
        return;
      }
      if (kind == "df" || kind == "xf" || kind == "tf") return;  // data, transcript, being written
      if (kind == "Qf") {  // "lost": Sendmail itself could not use it
        scan_->problems.Add(SpoolProblem::kCorrupt);
        return;
      }
    }
    scan_->problems.Add(SpoolProblem::kUnexpectedEntry);
  }

 private:
  void Message(const SpoolEntry& entry, bool quarantined) {
    bool truncated = false;
    Status read =
        ReadFileAt(entry.dir_fd, std::string(entry.name), kMaxQueueFileBytes, &text_, &truncated);
    if (!read.ok()) {
      CountStatusProblem(read, &scan_->problems);
      return;
    }
    StatusOr<SendmailQueueFileInfo> info = ParseSendmailQueueFile(text_);
    if (!info.ok() || truncated) {
      scan_->problems.Add(SpoolProblem::kCorrupt);
      return;
    }
    if (!info->terminated) {
      scan_->problems.Add(SpoolProblem::kIncomplete);
      return;
    }
    if (info->unknown_lines > 0)
      scan_->problems.Add(SpoolProblem::kUnknownRecord, info->unknown_lines);
    uint64_t size = 0;
    if (!options_.count_only) {
      std::string data_name = "df" + std::string(entry.name.substr(2));
      std::optional<uint64_t> data_size = DataFileSize(entry.subdir, *info, data_name);
      if (!data_size) return;  // delivered meanwhile (Sendmail removes the df first)
      size = *data_size;
    }
    SendmailQueue queue = quarantined     ? SendmailQueue::kQuarantined
                          : info->Tried() ? SendmailQueue::kDeferred
                                          : SendmailQueue::kNew;
    QueueStats& stats = scan_->queue(queue);
    ++stats.messages;
    stats.bytes += size;
    stats.recipients += info->pending_count;
    KeepOldest(&stats.oldest_arrival, info->creation_time);
    if (options_.composition) {
      std::vector<std::string> pending;
      for (const SendmailRecipient& r : info->pending) pending.push_back(r.address);
      scan_->composition.Add(QueueIndex(queue), kSendmailQueueNames.size(), SendmailOrigin(*info),
                             info->pending_count, pending, info->creation_time);
    }
    if (queue != SendmailQueue::kDeferred || options_.count_only) return;
    std::set<std::string> domains;
    for (const SendmailRecipient& r : info->pending) domains.insert(DestinationLabel(r.address));
    CountDestinations(domains, options_.max_destinations, &scan_->deferred_by_destination);
    if (options_.read_reasons) CountReasons(*info);
  }

  // The df's size, from the qf's queue directory (its df/ subdirectory when
  // that exists), else from the queue directory the d line names.
  std::optional<uint64_t> DataFileSize(std::string_view qf_subdir,
                                       const SendmailQueueFileInfo& info,
                                       const std::string& data_name) {
    std::string_view queue_dir = LastComponent(qf_subdir) == "qf" ? Parent(qf_subdir) : qf_subdir;
    struct stat st;
    int err = StatAt(DataPath(queue_dir, data_name), &st);
    if (err == ENOENT && !info.data_directory.empty()) {
      std::optional<std::string> other = QueueDirOfDataLine(info.data_directory);
      if (other) err = StatAt(DataPath(*other, data_name), &st);
    }
    if (err != 0) {
      CountErrno(err, &scan_->problems);
      return std::nullopt;
    }
    return static_cast<uint64_t>(st.st_size);
  }

  std::string DataPath(std::string_view queue_dir, const std::string& data_name) {
    std::string df_dir = Join(queue_dir, "df");
    auto it = has_df_dir_.find(df_dir);
    if (it == has_df_dir_.end()) {
      struct stat st;
      bool is_dir = StatAt(df_dir, &st) == 0 && S_ISDIR(st.st_mode);
      it = has_df_dir_.emplace(df_dir, is_dir).first;
    }
    return Join(it->second ? std::string_view(df_dir) : queue_dir, data_name);
  }

  // The d line holds the data queue directory as Sendmail names it (a path,
  // maybe ending in "/df"); map it below our root, which may be prefixed.
  std::optional<std::string> QueueDirOfDataLine(std::string_view d) {
    while (!d.empty() && d.back() == '/') d.remove_suffix(1);
    if (LastComponent(d) == "df") d = Parent(d);
    if (d.empty()) return std::nullopt;
    std::string_view root = root_;
    while (!root.empty() && root.back() == '/') root.remove_suffix(1);
    if (d == root || LastComponent(d) == LastComponent(root)) return std::string();
    std::string_view last = LastComponent(d);
    if (last.empty() || last == "." || last == "..") return std::nullopt;
    return std::string(last);
  }

  int StatAt(const std::string& path, struct stat* st) {
    const char* p = path.empty() ? "." : path.c_str();
    return fstatat(root_fd_, p, st, AT_SYMLINK_NOFOLLOW) == 0 ? 0 : errno;
  }

  void CountReasons(const SendmailQueueFileInfo& info) {
    std::array<bool, kAllReplyReasons.size()> seen{};
    for (const SendmailRecipient& r : info.pending) {
      const std::string& text = r.status.empty() ? info.envelope_status : r.status;
      if (text.empty()) continue;
      seen[static_cast<size_t>(ClassifyReply(text))] = true;
    }
    for (size_t i = 0; i < seen.size(); ++i) scan_->deferred_by_reason[i] += seen[i] ? 1 : 0;
  }

  int root_fd_;
  std::string root_;
  const SendmailScanOptions& options_;
  QueueScan* scan_;
  std::unordered_map<std::string, bool> has_df_dir_;  // "<queue dir>/df" -> exists
  std::string text_;                                  // reused per file
};

}  // namespace

QueueOrigin SendmailOrigin(const SendmailQueueFileInfo& info) {
  QueueOrigin origin;
  origin.sender = info.sender;
  std::string_view macro = info.origin_macro;
  std::string_view client;
  std::string_view user;
  bool local = false;
  size_t open = macro.rfind(" [");
  if (open != std::string_view::npos && macro.back() == ']') {
    client = macro.substr(open + 2, macro.size() - open - 3);
    // "IPv6:::1" is how Sendmail writes IPv6 addresses.
    if (client.substr(0, 5) == "IPv6:") client.remove_prefix(5);
  } else if (!macro.empty()) {
    local = true;
    user = macro.substr(0, macro.find('@'));
  }
  SetSubmitter(&origin, info.auth_authen, local, user, client);
  return origin;
}

StatusOr<QueueScan> ScanSendmailQueue(const std::string& queue_directory,
                                      const SendmailScanOptions& options, std::stop_token stop) {
  int root_fd = open(queue_directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0) {
    return StatusFromErrno(errno, "Sendmail queue directory " + queue_directory);
  }
  QueueScan scan;
  scan.queues.resize(kSendmailQueueNames.size());
  Scanner scanner(root_fd, queue_directory, options, &scan);
  SpoolWalkOptions walk;
  walk.max_depth = 2;  // <group dir>/qf/
  Status s = WalkSpool(queue_directory, walk, stop, &scan.problems,
                       [&](const SpoolEntry& e) { scanner.Visit(e); });
  close(root_fd);
  if (!s.ok()) return s.Annotate("Sendmail queue");
  return scan;
}

std::unique_ptr<QueueScanner> NewSendmailQueueScanner(const std::string& directory,
                                                      const QueueScanOptions& options) {
  SendmailScanOptions own;
  own.count_only = options.count_only;
  own.read_reasons = options.read_reasons;
  own.max_destinations = options.max_destinations;
  own.composition = options.composition;
  return NewStatelessQueueScanner(directory, own, &ScanSendmailQueue);
}

}  // namespace mailrep
