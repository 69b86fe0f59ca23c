#include "collectors/queue/queued_message_lookup.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "collectors/queue/exim_header_file.h"
#include "collectors/queue/exim_queue_scan.h"
#include "collectors/queue/postfix_defer_log.h"
#include "collectors/queue/postfix_message_scan.h"
#include "collectors/queue/postfix_queue_file.h"
#include "collectors/queue/postfix_queue_id.h"
#include "collectors/queue/postfix_queue_scan.h"
#include "exporter/util/read_file.h"

namespace mailrep {
namespace {

// Longest Exim -H file read (its recipients and headers).
constexpr size_t kMaxEximHeaderBytes = 16 << 20;
// Longest defer log or msglog read.
constexpr size_t kMaxLogBytes = 1 << 20;

// Fails unless `dir` is a directory that can be searched.
Status CheckDirectory(const std::string& dir, std::string_view what) {
  struct stat st;
  if (stat(dir.c_str(), &st) != 0) return StatusFromErrno(errno, std::string(what) + " " + dir);
  if (!S_ISDIR(st.st_mode))
    return Status::InvalidArgument(std::string(what) + " " + dir + ": not a directory");
  if (access(dir.c_str(), X_OK) != 0) return StatusFromErrno(errno, std::string(what) + " " + dir);
  return Status::OK();
}

bool IsSafeName(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok =
        (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-';
    if (!ok) return false;
  }
  return true;
}

// The first file of `names` that exists, read whole; "" when none does
// (or cannot be read: deferral reasons are an extra).
std::string ReadFirst(const std::vector<std::string>& names) {
  for (const std::string& path : names) {
    StatusOr<std::string> text = ReadFileCapped(path, kMaxLogBytes);
    if (text.ok()) return std::move(text).value();
  }
  return "";
}

// `base`/`id`, `base`/<c1>/`id`, ... as Postfix hashes its queues.
std::vector<std::string> HashedPaths(const std::string& base, const std::string& prefix,
                                     std::string_view id) {
  std::vector<std::string> paths;
  for (int depth = 0; depth <= kPostfixMaxHashDepth; ++depth) {
    std::string path = base + "/";
    for (int i = 0; i < depth && i < static_cast<int>(prefix.size()); ++i) {
      path += prefix[static_cast<size_t>(i)];
      path += '/';
    }
    paths.push_back(path + std::string(id));
  }
  return paths;
}

// Records a deferral of `address` (later ones replace earlier ones).
void SetReason(std::string_view address, std::string_view dsn, std::string_view reason,
               std::vector<QueuedRecipient>* recipients) {
  for (QueuedRecipient& r : *recipients) {
    if (r.address != address) continue;
    r.dsn.assign(dsn);
    r.reason.assign(reason);
  }
}

}  // namespace

StatusOr<std::optional<QueuedMessage>> FindPostfixQueuedMessage(const std::string& queue_directory,
                                                                std::string_view queue_id) {
  if (Status s = CheckDirectory(queue_directory, "Postfix queue_directory"); !s.ok()) return s;
  StatusOr<PostfixQueueId> id = ParsePostfixQueueId(queue_id);
  if (!id.ok()) return std::optional<QueuedMessage>();
  std::string prefix = PostfixQueueHashPrefix(*id, kPostfixMaxHashDepth);
  for (std::string_view queue : {"incoming", "active", "deferred", "hold"}) {
    for (const std::string& path :
         HashedPaths(queue_directory + "/" + std::string(queue), prefix, queue_id)) {
      int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
      if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR) continue;
        return StatusFromErrno(errno, path);
      }
      struct stat st;
      if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        continue;
      }
      FdInput input(fd);
      PostfixQueueFileOptions options;
      options.read_origin = true;
      StatusOr<PostfixQueueFileInfo> info = ParsePostfixQueueFile(input, options);
      close(fd);
      QueuedMessage m;
      m.queue.assign(queue);
      m.since = static_cast<int64_t>(st.st_ctime);
      // A file still being written (incoming) may not parse yet: where it
      // is is still known.
      if (info.ok()) {
        m.arrival = info->arrival_time;
        if (!m.arrival) m.arrival = id->seconds;
        for (const PostfixRecipient& r : info->pending)
          m.recipients.push_back({.address = r.address});
        m.origin = PostfixOrigin(*info, std::nullopt);
        std::string text = ReadFirst(HashedPaths(queue_directory + "/defer", prefix, queue_id));
        if (StatusOr<PostfixDeferLog> log = ParsePostfixDeferLog(text); log.ok()) {
          for (const PostfixDeferEntry& e : log->entries) {
            SetReason(e.recipient, e.status, e.reason, &m.recipients);
          }
        }
      } else if (queue != "incoming") {
        return Status::InvalidArgument(path + ": " + std::string(info.status().message()));
      }
      return std::optional<QueuedMessage>(std::move(m));
    }
  }
  return std::optional<QueuedMessage>();
}

StatusOr<std::optional<QueuedMessage>> FindEximQueuedMessage(const std::string& spool_directory,
                                                             std::string_view message_id) {
  std::string input = spool_directory + "/input";
  if (Status s = CheckDirectory(input, "Exim spool input directory"); !s.ok()) return s;
  if (!IsSafeName(message_id) || message_id.size() < 6) return std::optional<QueuedMessage>();
  std::string name = std::string(message_id) + "-H";
  for (const std::string& path :
       {input + "/" + name, input + "/" + std::string(1, message_id[5]) + "/" + name}) {
    StatusOr<std::string> text = ReadFileCapped(path, kMaxEximHeaderBytes);
    if (!text.ok()) {
      if (text.status().code() == Status::Code::kNotFound) continue;
      return text.status();
    }
    StatusOr<EximHeaderInfo> info = ParseEximHeaderFile(*text);
    if (!info.ok())
      return Status::InvalidArgument(path + ": " + std::string(info.status().message()));
    QueuedMessage m;
    m.queue = info->frozen ? "hold" : info->first_delivery ? "incoming" : "deferred";
    m.since = info->arrival_time;
    m.arrival = info->arrival_time;
    for (const std::string& r : info->pending) m.recipients.push_back({.address = r});
    m.origin = EximOrigin(*info);
    std::string id(message_id);
    std::string msglog = ReadFirst({spool_directory + "/msglog/" + id,
                                    spool_directory + "/msglog/" + id.substr(5, 1) + "/" + id});
    for (const EximDeferral& d : ParseEximMsglogDeferrals(msglog)) {
      SetReason(d.recipient, "", d.reason, &m.recipients);
    }
    return std::optional<QueuedMessage>(std::move(m));
  }
  return std::optional<QueuedMessage>();
}

}  // namespace mailrep
