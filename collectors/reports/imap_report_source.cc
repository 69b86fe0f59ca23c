#include "collectors/reports/imap_report_source.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "exporter/core/log.h"
#include "exporter/util/read_file.h"

namespace mailrep {
namespace {

constexpr std::string_view kStateKind = "imap";
constexpr size_t kMaxPasswordBytes = 4096;
// UIDs listed per run at most (the lowest first); more wait.
constexpr size_t kMaxUnseen = 100000;
// UIDs whose size and flags are asked at once.
constexpr size_t kInfoChunk = 200;

std::string Redact(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
    text.replace(at, secret.size(), "<redacted>");
  }
  return text;
}

bool PrintableAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

std::string AbsolutePath(ConfigNode& node, std::string_view key, const std::string& root,
                         bool required, std::string_view what) {
  std::string path = node.GetString(key);
  if (path.empty() && !required) return "";
  if (path.empty() || path.front() != '/') {
    node.Error(key, "want an absolute path of " + std::string(what));
    return "";
  }
  return root + path;
}

}  // namespace

ImapSourceConfig ParseImapSourceConfig(ConfigNode& node, const std::string& root) {
  ImapSourceConfig c;
  c.url = node.GetString("url");
  if (c.url.empty()) {
    node.Error("url", "want imaps://HOST[:PORT]/MAILBOX");
  } else if (StatusOr<ImapUrl> url = ParseImapUrl(c.url); !url.ok()) {
    node.Error("url", url.status().message());
  }
  c.username = node.GetString("username");
  if (c.username.empty()) node.Error("username", "want the IMAP login name");
  c.password_file =
      AbsolutePath(node, "password_file", root, true, "a file holding the IMAP password");
  c.ca_file = AbsolutePath(node, "ca_file", root, false, "a PEM file of trusted CAs");
  std::string after = node.GetString("after_read", "seen");
  if (after.starts_with("move:") && after.size() > 5 && PrintableAscii(after.substr(5))) {
    c.move_to = after.substr(5);
  } else if (after != "seen") {
    node.Error("after_read", "want seen, or move:<folder> (printable ASCII)");
  }
  c.max_message_bytes = static_cast<size_t>(
      node.GetInt("max_message_bytes", static_cast<int64_t>(c.max_message_bytes), 1024, 64 << 20));
  (void)node.Finish();
  return c;
}

ImapReportSource::ImapReportSource(ImapSourceConfig config, ImapConnector connect)
    : config_(std::move(config)), connect_(std::move(connect)) {
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016llx",
                static_cast<unsigned long long>(ReportState::Fingerprint(config_.Key())));
  name_prefix_ = "imap-" + std::string(hash, 8) + "-";
}

void ImapReportSource::Problem(ReportStats* stats, std::string_view reason, const Status& status) {
  failed_ = true;
  if (status.code() == Status::Code::kCancelled) return;  // a shutdown, not a fault
  stats->CountSourceError("imap", reason);
  std::string message = Redact(status.message(), password_);
  if (message == problem_) return;
  problem_ = message;
  LogWarn(
      "IMAP report source failed; the next run tries again",
      {{"source", config_.url}, {"user", config_.username}, {"reason", reason}, {"err", message}});
}

void ImapReportSource::Healthy() {
  if (problem_.empty()) return;
  problem_.clear();
  LogInfo("IMAP report source readable", {{"source", config_.url}, {"user", config_.username}});
}

ImapReportSource::Result ImapReportSource::Read(const Context& ctx) {
  Result result;
  session_.reset();
  to_mark_.clear();
  failed_ = false;
  StatusOr<std::string> password = ReadFileCapped(config_.password_file, kMaxPasswordBytes);
  if (!password.ok()) {
    Problem(ctx.stats, "password_file", password.status());
    return result;
  }
  while (!password->empty() && (password->back() == '\n' || password->back() == '\r')) {
    password->pop_back();
  }
  if (password->empty()) {
    Problem(ctx.stats, "password_file",
            Status::InvalidArgument(config_.password_file + ": the file is empty"));
    return result;
  }
  password_ = std::move(*password);
  StatusOr<std::unique_ptr<ImapMailbox>> session = connect_(
      {config_.url, config_.username, password_, config_.ca_file}, {ctx.deadline, ctx.stop});
  if (!session.ok()) {
    Problem(ctx.stats, ImapFailureOf(session.status()), session.status());
    return result;
  }
  session_ = std::move(*session);
  StatusOr<ImapUnseen> unseen = session_->Unseen(kMaxUnseen);
  if (!unseen.ok()) {
    Problem(ctx.stats, ImapFailureOf(unseen.status()), unseen.status());
    return result;
  }
  const std::vector<uint32_t>& uids = unseen->uids;
  std::string validity = std::to_string(unseen->uid_validity);
  size_t next = 0;
  while (next < uids.size() && !failed_) {
    if (result.fetched == ctx.budget || ctx.stop.stop_requested() ||
        std::chrono::steady_clock::now() > ctx.fetch_until) {
      break;
    }
    size_t n = std::min(kInfoChunk, uids.size() - next);
    StatusOr<std::vector<ImapMessageInfo>> infos =
        session_->Info(std::span<const uint32_t>(uids).subspan(next, n));
    next += n;
    if (!infos.ok()) {
      Problem(ctx.stats, ImapFailureOf(infos.status()), infos.status());
      break;
    }
    for (const ImapMessageInfo& info : *infos) {
      if (info.seen) continue;  // read by someone else meanwhile
      std::string id = validity + "/" + std::to_string(info.uid);
      if (ctx.state->HasReport(kStateKind, config_.Key(), id)) {
        to_mark_.push_back(info.uid);  // counted before; only the mark was missing
        continue;
      }
      if (failed_ || result.fetched == ctx.budget || ctx.stop.stop_requested() ||
          std::chrono::steady_clock::now() > ctx.fetch_until) {
        ++result.backlog;
        continue;
      }
      std::string name = name_prefix_ + validity + "-" + std::to_string(info.uid);
      if (info.size > config_.max_message_bytes) {
        ctx.too_large(name);
      } else {
        StatusOr<std::string> bytes = session_->Fetch(info.uid, config_.max_message_bytes);
        if (!bytes.ok() && ImapFailureOf(bytes.status()) == "too_large") {
          ctx.too_large(name);
        } else if (!bytes.ok()) {
          Problem(ctx.stats, ImapFailureOf(bytes.status()), bytes.status());
          ++result.backlog;
          continue;
        } else {
          ctx.read(name, *bytes);
        }
      }
      (void)ctx.state->AddReport(kStateKind, config_.Key(), id, ctx.now);
      to_mark_.push_back(info.uid);
      ++result.fetched;
    }
  }
  result.backlog += uids.size() - next;
  if (!failed_) Healthy();
  return result;
}

void ImapReportSource::Finish(ReportStats* stats) {
  if (session_ && !to_mark_.empty()) {
    std::sort(to_mark_.begin(), to_mark_.end());
    to_mark_.erase(std::unique(to_mark_.begin(), to_mark_.end()), to_mark_.end());
    Status s = session_->MarkSeen(to_mark_);
    if (s.ok() && !config_.move_to.empty()) s = session_->Move(to_mark_, config_.move_to);
    if (!s.ok()) Problem(stats, ImapFailureOf(s), s);
  }
  session_.reset();
  to_mark_.clear();
  password_.clear();
}

}  // namespace mailrep
