#include "collectors/queue/opensmtpd_queue_scan.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <charconv>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include "collectors/queue/opensmtpd_envelope.h"
#include "collectors/queue/queue_metrics.h"

namespace mailrep {
namespace {

constexpr size_t kMaxEnvelopeBytes = 64 << 10;

constexpr size_t kMaxKeptRecipients = 1000;  // per message, for destinations

struct Message {
  std::string dir;  // the message directory below the walk root ("" = none yet)
  size_t files = 0;
  uint64_t envelopes = 0;
  uint64_t bytes = 0;
  std::optional<int64_t> arrival;
  std::optional<int64_t> message_mtime;
  bool deferred = false;
  std::set<std::string> domains;
  bool has_origin = false;
  QueueOrigin origin;                // from the first envelope
  std::vector<std::string> pending;  // with options.composition: the first recipients
  std::array<bool, kAllReplyReasons.size()> reasons{};
};

// Reads the message directories below one root (queue/, incoming/, corrupt/)
// whose message directory is `msg_level` levels down.
class DirScanner {
 public:
  // `temporary` (incoming/ only): the directory holding the bodies of
  // messages being received, temporary/<msgid>.
  DirScanner(OpensmtpdQueue queue, size_t msg_level, std::string temporary,
             const OpensmtpdScanOptions& options, QueueScan* scan)
      : queue_(queue),
        msg_level_(msg_level),
        temporary_(std::move(temporary)),
        options_(options),
        scan_(scan) {}

  void Visit(const SpoolEntry& entry) {
    // The message directory is the first msg_level components of subdir.
    std::string_view subdir = entry.subdir;
    std::string_view dir;
    size_t pos = 0;
    for (size_t level = 1;; ++level) {
      size_t slash = subdir.find('/', pos);
      if (level == msg_level_) {
        dir = subdir.substr(0, slash);
        break;
      }
      if (slash == std::string_view::npos) break;
      pos = slash + 1;
    }
    if (dir.empty()) {  // a file above the message directories
      scan_->problems.Add(SpoolProblem::kUnexpectedEntry);
      return;
    }
    if (dir != message_.dir) {
      Flush();
      message_.dir = dir;
    }
    ++message_.files;
    if (entry.name == "message") {
      MessageFile(entry);
    } else if (IsOpensmtpdEvpid(entry.name)) {
      Envelope(entry);
    } else {
      scan_->problems.Add(SpoolProblem::kUnexpectedEntry);
    }
  }

  // Counts the last message; call once after the walk.
  void Flush() {
    Message m = std::move(message_);
    message_ = Message();
    if (m.dir.empty() || m.files == 0) return;
    if (!temporary_.empty() && !m.message_mtime) {
      struct stat st;
      if (stat((temporary_ + "/" + m.dir).c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
        m.bytes = static_cast<uint64_t>(st.st_size);
        m.message_mtime = st.st_mtime;
      }
    }
    OpensmtpdQueue queue = queue_;
    if (queue == OpensmtpdQueue::kQueued) {
      if (m.envelopes == 0) return;  // all delivered, being removed
      if (m.deferred) queue = OpensmtpdQueue::kDeferred;
    }
    QueueStats& stats = scan_->queue(queue);
    ++stats.messages;
    stats.bytes += m.bytes;
    stats.recipients += m.envelopes;
    if (m.arrival) {
      KeepOldest(&stats.oldest_arrival, *m.arrival);
    } else if (m.message_mtime) {
      KeepOldest(&stats.oldest_arrival, *m.message_mtime);
    }
    if (options_.composition) {
      scan_->composition.Add(QueueIndex(queue), kOpensmtpdQueueNames.size(), m.origin, m.envelopes,
                             m.pending, m.arrival ? m.arrival : m.message_mtime);
    }
    if (queue != OpensmtpdQueue::kDeferred) return;
    CountDestinations(m.domains, options_.max_destinations, &scan_->deferred_by_destination);
    for (size_t i = 0; i < m.reasons.size(); ++i) scan_->deferred_by_reason[i] += m.reasons[i];
  }

 private:
  void MessageFile(const SpoolEntry& entry) {
    struct stat st;
    std::string name(entry.name);
    if (fstatat(entry.dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      CountErrno(errno, &scan_->problems);
      return;
    }
    message_.bytes = static_cast<uint64_t>(st.st_size);
    message_.message_mtime = st.st_mtime;
  }

  void Envelope(const SpoolEntry& entry) {
    bool truncated = false;
    Status read =
        ReadFileAt(entry.dir_fd, std::string(entry.name), kMaxEnvelopeBytes, &text_, &truncated);
    if (!read.ok()) {
      CountStatusProblem(read, &scan_->problems);
      return;
    }
    StatusOr<OpensmtpdEnvelope> env = ParseOpensmtpdEnvelope(text_);
    if (!env.ok() || truncated) {
      // Set-aside envelopes are expected to be bad; elsewhere smtpd skips
      // them (smtpctl does not list them), and so do we.
      if (queue_ == OpensmtpdQueue::kCorrupt) {
        ++message_.envelopes;
      } else {
        scan_->problems.Add(SpoolProblem::kCorrupt);
      }
      return;
    }
    ++message_.envelopes;
    KeepOldest(&message_.arrival, env->ctime);
    if (options_.composition) {
      if (!message_.has_origin) {
        message_.has_origin = true;
        message_.origin = OpensmtpdOrigin(*env);
      }
      if (message_.pending.size() < kMaxKeptRecipients) {
        message_.pending.push_back(env->Destination());
      }
    }
    if (queue_ != OpensmtpdQueue::kQueued || env->retry == 0) return;
    message_.deferred = true;
    message_.domains.insert(DestinationLabel(env->Destination()));
    if (options_.read_reasons) {
      message_.reasons[static_cast<size_t>(ClassifyReply(env->errorline))] = true;
    }
  }

  OpensmtpdQueue queue_;
  size_t msg_level_;
  std::string temporary_;
  const OpensmtpdScanOptions& options_;
  QueueScan* scan_;
  Message message_;
  std::string text_;  // reused per envelope
};

// offline/<unix time>.<random>: one message per file.
void VisitOffline(const SpoolEntry& entry, QueueScan* scan) {
  struct stat st;
  std::string name(entry.name);
  if (fstatat(entry.dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    CountErrno(errno, &scan->problems);
    return;
  }
  QueueStats& stats = scan->queue(OpensmtpdQueue::kOffline);
  ++stats.messages;
  stats.bytes += static_cast<uint64_t>(st.st_size);
  int64_t when = st.st_mtime;
  std::string_view prefix = std::string_view(name).substr(0, name.find('.'));
  int64_t from_name = 0;
  auto [end, err] = std::from_chars(prefix.data(), prefix.data() + prefix.size(), from_name);
  if (err == std::errc() && end == prefix.data() + prefix.size() && from_name > 0) {
    when = from_name;
  }
  KeepOldest(&stats.oldest_arrival, when);
}

// Walks spool/<dir>; a missing optional directory is an empty queue.
Status WalkQueueDir(const std::string& spool, const char* dir, OpensmtpdQueue queue,
                    size_t msg_level, const OpensmtpdScanOptions& options, std::stop_token stop,
                    QueueScan* scan) {
  SpoolWalkOptions walk;
  walk.max_depth = static_cast<int>(msg_level) + 1;  // + an "envelopes/" subdirectory
  bool required = queue == OpensmtpdQueue::kQueued;
  DirScanner scanner(queue, msg_level,
                     queue == OpensmtpdQueue::kIncoming ? spool + "/temporary" : "", options, scan);
  Status s = WalkSpool(spool + "/" + dir, walk, stop, &scan->problems,
                       [&](const SpoolEntry& e) { scanner.Visit(e); });
  scanner.Flush();
  if (s.ok() || s.code() == Status::Code::kCancelled || required) return s;
  if (s.code() == Status::Code::kNotFound) return Status::OK();
  scan->problems.Add(s.code() == Status::Code::kPermissionDenied ? SpoolProblem::kPermissionDenied
                                                                 : SpoolProblem::kIoError);
  return Status::OK();
}

}  // namespace

QueueOrigin OpensmtpdOrigin(const OpensmtpdEnvelope& env) {
  QueueOrigin origin;
  origin.sender = env.sender == "@" ? "" : env.sender;
  if (env.sockaddr == "local") {
    origin.kind = SubmitterKind::kLocal;
    origin.submitter = env.username.empty() ? "local" : env.username;
  } else {
    SetSubmitter(&origin, env.username, false, "", env.sockaddr);
  }
  return origin;
}

StatusOr<QueueScan> ScanOpensmtpdSpool(const std::string& spool_directory,
                                       const OpensmtpdScanOptions& options, std::stop_token stop) {
  struct stat st;
  if (stat(spool_directory.c_str(), &st) != 0) {
    return StatusFromErrno(errno, "OpenSMTPD spool " + spool_directory);
  }
  QueueScan scan;
  scan.queues.resize(kOpensmtpdQueueNames.size());
  Status s =
      WalkQueueDir(spool_directory, "queue", OpensmtpdQueue::kQueued, 2, options, stop, &scan);
  if (s.ok())
    s = WalkQueueDir(spool_directory, "incoming", OpensmtpdQueue::kIncoming, 1, options, stop,
                     &scan);
  if (s.ok())
    s = WalkQueueDir(spool_directory, "corrupt", OpensmtpdQueue::kCorrupt, 1, options, stop, &scan);
  if (s.ok()) {
    SpoolWalkOptions walk;
    walk.max_depth = 0;
    s = WalkSpool(spool_directory + "/offline", walk, stop, &scan.problems,
                  [&](const SpoolEntry& e) { VisitOffline(e, &scan); });
    if (s.code() == Status::Code::kNotFound) {
      s = Status::OK();
    } else if (s.code() == Status::Code::kPermissionDenied) {
      scan.problems.Add(SpoolProblem::kPermissionDenied);
      s = Status::OK();
    }
  }
  if (!s.ok()) return s.Annotate("OpenSMTPD spool");
  return scan;
}

std::unique_ptr<QueueScanner> NewOpensmtpdQueueScanner(const std::string& directory,
                                                       const QueueScanOptions& options) {
  OpensmtpdScanOptions own;
  own.read_reasons = options.read_reasons;
  own.max_destinations = options.max_destinations;
  own.composition = options.composition;
  return NewStatelessQueueScanner(directory, own, &ScanOpensmtpdSpool);
}

}  // namespace mailrep
