#include "collectors/queue/postfix_showq.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

#include "collectors/queue/postfix_queue_scan.h"
#include "collectors/queue/queue_metrics.h"
#include "collectors/reply/reply_classifier.h"

namespace mailrep {
namespace {

constexpr size_t kMaxKeptRecipients = 10000;
constexpr int kPollSliceMs = 250;

template <typename T>
bool ParseNumber(std::string_view text, T* value) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

PostfixShowqParser::PostfixShowqParser(size_t max_destinations)
    : max_destinations_(max_destinations) {
  scan_.queues.resize(kPostfixQueueNames.size());
  scan_.source = "showq";
}

Status PostfixShowqParser::Feed(std::string_view bytes) {
  if (!error_.ok()) return error_;
  while (!bytes.empty()) {
    if (done_) {
      error_ = Status::InvalidArgument("showq stream: data after its end");
      return error_;
    }
    const void* nul = std::memchr(bytes.data(), '\0', bytes.size());
    size_t n = nul ? static_cast<const char*>(nul) - bytes.data() : bytes.size();
    std::string& target = in_value_ ? value_ : name_;
    // Before 3.1 showq sent mailq text: no NUL within the first 128 bytes.
    size_t limit = in_value_ ? kMaxShowqValue : any_byte_ ? kMaxShowqName : 128;
    if (target.size() + n > limit) {
      error_ = Status::InvalidArgument(
          any_byte_ ? "showq stream: attribute too long"
                    : "showq stream: not an attribute stream (Postfix before 3.1 sends text)");
      return error_;
    }
    target.append(bytes.data(), n);
    if (nul == nullptr) break;
    any_byte_ = true;
    bytes.remove_prefix(n + 1);
    if (in_value_) {
      Attribute();
      name_.clear();
      value_.clear();
      in_value_ = false;
    } else if (name_.empty()) {
      EndGroup();
    } else {
      in_value_ = true;
    }
  }
  return Status::OK();
}

void PostfixShowqParser::Attribute() {
  ++attributes_;
  std::string_view name = name_;
  if (name == "recipient") {
    ++recipient_count_;
    if (recipients_.size() < kMaxKeptRecipients) {
      recipients_.push_back(value_);
      reasons_.emplace_back();
    }
  } else if (name == "reason") {
    if (!reasons_.empty() && recipient_count_ <= kMaxKeptRecipients) {
      reasons_.back() = value_;
    }
  } else if (name == "queue_name") {
    auto index = static_cast<size_t>(
        std::find(kPostfixQueueNames.begin(), kPostfixQueueNames.end(), value_) -
        kPostfixQueueNames.begin());
    if (index == kPostfixQueueNames.size() || index == QueueIndex(PostfixQueue::kCorrupt)) {
      bad_ = true;
    } else {
      queue_ = static_cast<int>(index);
    }
  } else if (name == "queue_id") {
    has_id_ = !value_.empty();
  } else if (name == "time") {
    has_time_ = ParseNumber(value_, &time_);
    bad_ = bad_ || !has_time_;
  } else if (name == "size") {
    bad_ = bad_ || !ParseNumber(value_, &size_);
  } else if (name == "protocol") {
    greeting_ = true;
  }
}

void PostfixShowqParser::EndGroup() {
  if (attributes_ == 0) {
    done_ = true;
    return;
  }
  if (greeting_ && !has_id_) {
    // The protocol greeting (Postfix >= 3.6).
  } else if (bad_ || !has_id_ || queue_ < 0) {
    scan_.problems.Add(SpoolProblem::kCorrupt);
  } else {
    ++messages_;
    QueueStats& q = scan_.queues[static_cast<size_t>(queue_)];
    ++q.messages;
    q.bytes += size_;
    q.recipients += recipient_count_;
    if (has_time_) KeepOldest(&q.oldest_arrival, time_);
    if (static_cast<size_t>(queue_) == QueueIndex(PostfixQueue::kDeferred)) CountDeferred();
  }
  attributes_ = 0;
  greeting_ = bad_ = has_id_ = has_time_ = false;
  queue_ = -1;
  size_ = 0;
  time_ = 0;
  recipient_count_ = 0;
  recipients_.clear();
  reasons_.clear();
}

void PostfixShowqParser::CountDeferred() {
  CountRecipientDestinations(recipients_, max_destinations_, &scan_.deferred_by_destination);
  std::array<bool, kAllReplyReasons.size()> seen{};
  for (const std::string& reason : reasons_) {
    if (reason.empty()) continue;
    auto it = memo_.find(reason);
    if (it == memo_.end()) {
      if (memo_.size() >= 4096) memo_.clear();
      it = memo_.emplace(reason, ClassifyReply(reason)).first;
    }
    seen[static_cast<size_t>(it->second)] = true;
  }
  for (size_t i = 0; i < seen.size(); ++i) scan_.deferred_by_reason[i] += seen[i] ? 1 : 0;
}

StatusOr<QueueScan> ReadPostfixShowq(const std::string& socket_path, size_t max_destinations,
                                     std::stop_token stop, int timeout_ms) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socket_path.size() >= sizeof(addr.sun_path)) {
    return Status::InvalidArgument("showq socket path too long: " + socket_path);
  }
  std::memcpy(addr.sun_path, socket_path.c_str(), socket_path.size() + 1);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return StatusFromErrno(errno, "showq socket");
  if (connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) != 0) {
    int err = errno;
    close(fd);
    std::string what = "showq socket " + socket_path + ": " + std::strerror(err);
    if (err == ENOENT || err == ECONNREFUSED) {
      return Status::Unavailable(what + " (is the Postfix mail system running?)");
    }
    if (err == EACCES || err == EPERM) {
      return Status::PermissionDenied(what + " (needs membership of group postdrop)");
    }
    return Status::IoError(what);
  }
  PostfixShowqParser parser(max_destinations);
  std::vector<char> buf(64 * 1024);
  int idle_ms = 0;
  Status result;
  for (;;) {
    if (stop.stop_requested()) {
      result = Status::Cancelled("showq read stopped");
      break;
    }
    pollfd pfd{fd, POLLIN, 0};
    int ready = poll(&pfd, 1, kPollSliceMs);
    if (ready < 0) {
      if (errno == EINTR) continue;
      result = StatusFromErrno(errno, "showq poll");
      break;
    }
    if (ready == 0) {
      idle_ms += kPollSliceMs;
      if (idle_ms >= timeout_ms) {
        result = Status::DeadlineExceeded("showq sent nothing for " +
                                          std::to_string(timeout_ms / 1000) + " s");
        break;
      }
      continue;
    }
    idle_ms = 0;
    ssize_t n = read(fd, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      result = StatusFromErrno(errno, "showq read");
      break;
    }
    if (n == 0) {
      if (!parser.done()) {
        result = Status::IoError("showq stream ended early, after " +
                                 std::to_string(parser.messages()) + " messages");
      }
      break;
    }
    result = parser.Feed(std::string_view(buf.data(), static_cast<size_t>(n)));
    if (!result.ok()) break;
  }
  close(fd);
  if (!result.ok()) return result.Annotate(socket_path);
  return parser.TakeScan();
}

}  // namespace mailrep
