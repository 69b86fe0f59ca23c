#include "collectors/reports/imap_mailbox.h"

#include <curl/curl.h>

#include <algorithm>
#include <mutex>
#include <optional>

#include "exporter/util/ascii.h"
#include "exporter/util/ip_network.h"
#include "exporter/util/redact.h"

namespace mailrep {
namespace {

constexpr ImapFailure kAllFailures[] = {
    ImapFailure::kConnect, ImapFailure::kTls,      ImapFailure::kLogin,    ImapFailure::kMailbox,
    ImapFailure::kSearch,  ImapFailure::kFetch,    ImapFailure::kMark,     ImapFailure::kMove,
    ImapFailure::kTimeout, ImapFailure::kProtocol, ImapFailure::kTooLarge, ImapFailure::kCancelled,
};

// UIDs per command: keeps each command line far below servers' limits
// (Dovecot's 64 KiB) even when the UIDs are not consecutive.
constexpr size_t kUidsPerCommand = 500;
// Protocol lines libcurl can take whole (its maximum buffer): a SEARCH reply
// of some 20,000 UIDs. A longer one is cut, and Info() checks each UID.
constexpr long kLineBuffer = 512 * 1024;
// Replies other than a message (SEARCH, FETCH FLAGS) larger than this are an
// error.
constexpr size_t kMaxReplyBytes = 8 << 20;
std::string Redact(std::string_view text, const std::string& secret) {
  return RedactSecrets(text, {secret});
}

bool IsLoopbackHost(std::string_view host) {
  if (EqualsIgnoreCase(host, "localhost")) return true;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  StatusOr<IpAddress> ip = IpAddress::Parse(host);
  if (!ip.ok()) return false;
  IpAddress a = UnmapIpv4(*ip);
  if (a.family == IpAddress::Family::kV4) {
    return IpNetwork::Parse("127.0.0.0/8")->Contains(a);
  }
  return IpNetwork::Parse("::1/128")->Contains(a);
}

// "%25" for '%': libcurl URL-decodes a custom IMAP request.
std::string EscapePercent(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%') {
      out += "%25";
    } else {
      out += c;
    }
  }
  return out;
}

// An IMAP quoted string.
std::string Quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// A URL path segment: unreserved characters and '/' as they are.
std::string EncodeMailbox(std::string_view name) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : name) {
    if (IsAlpha(static_cast<char>(c)) || IsDigit(static_cast<char>(c)) || c == '-' || c == '.' ||
        c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

struct Reply {
  std::string body;
  size_t max_bytes = kMaxReplyBytes;
  bool too_large = false;
  std::optional<uint32_t> uid_validity;  // from the response lines
  const std::stop_token* stop = nullptr;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  Reply* r = static_cast<Reply*>(user);
  size_t n = size * count;
  if (r->body.size() + n > r->max_bytes) {
    r->too_large = true;
    return 0;
  }
  r->body.append(data, n);
  return n;
}

// Every response line libcurl reads (its "headers"): only UIDVALIDITY is kept.
size_t OnLine(char* data, size_t size, size_t count, void* user) {
  Reply* r = static_cast<Reply*>(user);
  size_t n = size * count;
  if (std::optional<uint32_t> v = ParseUidValidity(std::string_view(data, n))) r->uid_validity = v;
  return n;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const Reply* r = static_cast<const Reply*>(user);
  return r->stop->stop_requested() ? 1 : 0;
}

class CurlImapMailbox : public ImapMailbox {
 public:
  CurlImapMailbox(ImapAccount account, ImapUrl url, ImapSessionLimits limits)
      : account_(std::move(account)),
        url_(std::move(url)),
        limits_(std::move(limits)),
        easy_(curl_easy_init(), curl_easy_cleanup) {
    base_ = url_.scheme + "://" + url_.host + ":" + std::to_string(url_.port) + "/";
    mailbox_url_ = base_ + EncodeMailbox(url_.mailbox);
  }

  // The first request: connect, TLS, LOGIN (and a NOOP, no mailbox yet).
  Status Connect() {
    if (!easy_) return ImapError(ImapFailure::kProtocol, "cannot set up a libcurl handle");
    Reply reply;
    return Perform(base_, "NOOP", ImapFailure::kLogin, &reply);
  }

  StatusOr<ImapUnseen> Unseen(size_t max) override {
    Reply reply;
    Status s = Perform(mailbox_url_, "UID SEARCH UNSEEN", ImapFailure::kSearch, &reply);
    if (!s.ok()) return s;
    if (!reply.uid_validity) {
      return ImapError(ImapFailure::kMailbox,
                       "the server named no UIDVALIDITY for " + url_.mailbox);
    }
    uid_validity_ = *reply.uid_validity;
    return ImapUnseen{uid_validity_, ParseSearchUids(reply.body, max)};
  }

  StatusOr<std::vector<ImapMessageInfo>> Info(std::span<const uint32_t> uids) override {
    std::vector<ImapMessageInfo> out;
    for (size_t i = 0; i < uids.size(); i += kUidsPerCommand) {
      Reply reply;
      std::string set = UidSet(uids.subspan(i, std::min(kUidsPerCommand, uids.size() - i)));
      Status s = Perform(SelectedUrl(), "UID FETCH " + set + " (UID FLAGS RFC822.SIZE)",
                         ImapFailure::kSearch, &reply);
      if (!s.ok()) return s;
      std::vector<ImapMessageInfo> part = ParseFetchInfo(reply.body);
      out.insert(out.end(), part.begin(), part.end());
    }
    return out;
  }

  StatusOr<std::string> Fetch(uint32_t uid, size_t max_bytes) override {
    Reply reply;
    reply.max_bytes = max_bytes;
    // BODY[]: the server sets \Seen, taken back at once (the caller marks
    // the message only once its report is counted and remembered).
    Status s =
        Perform(SelectedUrl() + "/;UID=" + std::to_string(uid), "", ImapFailure::kFetch, &reply);
    if (!s.ok()) return s;
    Reply unmark;
    s = Perform(SelectedUrl(), "UID STORE " + std::to_string(uid) + " -FLAGS.SILENT (\\Seen)",
                ImapFailure::kFetch, &unmark);
    if (!s.ok()) return s;
    return std::move(reply.body);
  }

  Status MarkSeen(std::span<const uint32_t> uids) override {
    return EachChunk(
        uids,
        [&](const std::string& set) { return "UID STORE " + set + " +FLAGS.SILENT (\\Seen)"; },
        ImapFailure::kMark);
  }

  Status Move(std::span<const uint32_t> uids, std::string_view folder) override {
    std::string target = EscapePercent(Quoted(folder));
    return EachChunk(
        uids, [&](const std::string& set) { return "UID MOVE " + set + " " + target; },
        ImapFailure::kMove);
  }

 private:
  template <typename F>
  Status EachChunk(std::span<const uint32_t> uids, F command, ImapFailure failure) {
    for (size_t i = 0; i < uids.size(); i += kUidsPerCommand) {
      Reply reply;
      std::string set = UidSet(uids.subspan(i, std::min(kUidsPerCommand, uids.size() - i)));
      if (Status s = Perform(SelectedUrl(), command(set), failure, &reply); !s.ok()) return s;
    }
    return Status::OK();
  }

  // The mailbox with the UIDVALIDITY Unseen() found: should libcurl have to
  // select it again (a new connection), a changed UIDVALIDITY is an error
  // rather than other messages under the same UIDs.
  std::string SelectedUrl() const {
    return mailbox_url_ + ";UIDVALIDITY=" + std::to_string(uid_validity_);
  }

  // One libcurl request on the session's connection: `custom` as the IMAP
  // command (after libcurl's SELECT when the URL names a mailbox not yet
  // selected), or "" to fetch the message the URL names. A refused command
  // is `refused`.
  Status Perform(const std::string& url, const std::string& custom, ImapFailure refused,
                 Reply* reply) {
    if (limits_.stop.stop_requested()) return ImapError(ImapFailure::kCancelled, "stopped");
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        limits_.deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return ImapError(ImapFailure::kTimeout, "no time left");
    CURL* h = easy_.get();
    char error_buffer[CURL_ERROR_SIZE] = {};
    reply->stop = &limits_.stop;
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, custom.empty() ? nullptr : custom.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "imap,imaps");
    curl_easy_setopt(h, CURLOPT_USE_SSL,
                     url_.scheme == "imap" && !url_.loopback ? static_cast<long>(CURLUSESSL_ALL)
                                                             : static_cast<long>(CURLUSESSL_NONE));
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!account_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, account_.ca_file.c_str());
    curl_easy_setopt(h, CURLOPT_USERNAME, account_.username.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, account_.password.c_str());
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_BUFFERSIZE, kLineBuffer);
    long total_ms = left.count();
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     std::clamp<long>(limits_.connect_timeout.count(), 1, total_ms));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, total_ms);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, reply);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, OnLine);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, reply);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, OnProgress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, reply);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
    CURLcode code = curl_easy_perform(h);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
    if (code == CURLE_OK) return Status::OK();
    std::string detail = curl_easy_strerror(code);
    if (error_buffer[0] != '\0') detail += std::string(": ") + error_buffer;
    detail = Redact(std::move(detail), account_.password);
    if (reply->too_large) {
      return ImapError(ImapFailure::kTooLarge,
                       "reply larger than " + std::to_string(reply->max_bytes) + " bytes");
    }
    return ImapError(FailureOf(code, refused), detail);
  }

  static ImapFailure FailureOf(CURLcode code, ImapFailure refused) {
    switch (code) {
      case CURLE_ABORTED_BY_CALLBACK:
        return ImapFailure::kCancelled;
      case CURLE_OPERATION_TIMEDOUT:
        return ImapFailure::kTimeout;
      case CURLE_COULDNT_RESOLVE_HOST:
      case CURLE_COULDNT_RESOLVE_PROXY:
      case CURLE_COULDNT_CONNECT:
      case CURLE_SEND_ERROR:
      case CURLE_RECV_ERROR:
      case CURLE_GOT_NOTHING:
        return ImapFailure::kConnect;
      case CURLE_SSL_CONNECT_ERROR:
      case CURLE_PEER_FAILED_VERIFICATION:
      case CURLE_USE_SSL_FAILED:
      case CURLE_SSL_CERTPROBLEM:
      case CURLE_SSL_CIPHER:
      case CURLE_SSL_CACERT_BADFILE:
      case CURLE_SSL_ISSUER_ERROR:
      case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      case CURLE_SSL_INVALIDCERTSTATUS:
      case CURLE_SSL_CRL_BADFILE:
        return ImapFailure::kTls;
      case CURLE_LOGIN_DENIED:
        // libcurl also says so for a refused SELECT.
        return refused == ImapFailure::kLogin ? ImapFailure::kLogin : ImapFailure::kMailbox;
      case CURLE_QUOTE_ERROR:
      case CURLE_REMOTE_FILE_NOT_FOUND:
        return refused == ImapFailure::kLogin ? ImapFailure::kProtocol : refused;
      default:
        return ImapFailure::kProtocol;
    }
  }

  const ImapAccount account_;
  const ImapUrl url_;
  const ImapSessionLimits limits_;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> easy_;
  std::string base_, mailbox_url_;
  uint32_t uid_validity_ = 0;
};

Status CodeFor(ImapFailure failure, std::string message) {
  switch (failure) {
    case ImapFailure::kTimeout:
      return Status::DeadlineExceeded(std::move(message));
    case ImapFailure::kCancelled:
      return Status::Cancelled(std::move(message));
    case ImapFailure::kTooLarge:
      return Status::ResourceExhausted(std::move(message));
    case ImapFailure::kLogin:
      return Status::PermissionDenied(std::move(message));
    default:
      return Status::Unavailable(std::move(message));
  }
}

}  // namespace

std::string_view ImapFailureName(ImapFailure failure) {
  switch (failure) {
    case ImapFailure::kConnect:
      return "connect";
    case ImapFailure::kTls:
      return "tls";
    case ImapFailure::kLogin:
      return "login";
    case ImapFailure::kMailbox:
      return "mailbox";
    case ImapFailure::kSearch:
      return "search";
    case ImapFailure::kFetch:
      return "fetch";
    case ImapFailure::kMark:
      return "mark";
    case ImapFailure::kMove:
      return "move";
    case ImapFailure::kTimeout:
      return "timeout";
    case ImapFailure::kProtocol:
      return "protocol";
    case ImapFailure::kTooLarge:
      return "too_large";
    case ImapFailure::kCancelled:
      return "cancelled";
  }
  return "other";
}

Status ImapError(ImapFailure failure, std::string_view detail) {
  return CodeFor(failure, std::string(ImapFailureName(failure)) + ": " + std::string(detail));
}

std::string_view ImapFailureOf(const Status& status) {
  std::string_view message = status.message();
  for (ImapFailure f : kAllFailures) {
    std::string_view name = ImapFailureName(f);
    if (message.size() > name.size() && message.starts_with(name) && message[name.size()] == ':') {
      return name;
    }
  }
  return "other";
}

StatusOr<ImapUrl> ParseImapUrl(std::string_view text) {
  std::string url(text);
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument("URL \"" + url + "\": " + std::string(why));
  };
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> handle(curl_url(), curl_url_cleanup);
  if (!handle) return Status::Internal("curl_url failed");
  if (CURLUcode rc = curl_url_set(handle.get(), CURLUPART_URL, url.c_str(), 0); rc != CURLUE_OK) {
    return bad(curl_url_strerror(rc));
  }
  auto get = [&](CURLUPart part, unsigned flags = 0) -> std::optional<std::string> {
    char* value = nullptr;
    if (curl_url_get(handle.get(), part, &value, flags) != CURLUE_OK || !value) {
      return std::nullopt;
    }
    std::string out = value;
    curl_free(value);
    return out;
  };
  ImapUrl out;
  out.scheme = get(CURLUPART_SCHEME).value_or("");
  if (out.scheme != "imaps" && out.scheme != "imap") return bad("want imaps:// or imap://");
  if (get(CURLUPART_USER) || get(CURLUPART_PASSWORD) || get(CURLUPART_OPTIONS)) {
    return bad("credentials do not belong in the URL (username, password_file)");
  }
  if (get(CURLUPART_QUERY) || get(CURLUPART_FRAGMENT)) return bad("no query or fragment");
  out.host = get(CURLUPART_HOST).value_or("");
  if (out.host.empty()) return bad("no host");
  std::optional<std::string> port = get(CURLUPART_PORT, CURLU_DEFAULT_PORT);
  out.port = port ? static_cast<uint16_t>(std::stoul(*port)) : 0;
  if (out.port == 0) return bad("bad port");
  std::string raw_path = get(CURLUPART_PATH).value_or("/");
  if (raw_path.find(';') != std::string::npos) return bad("no ;parameters in the path");
  std::string path = get(CURLUPART_PATH, CURLU_URLDECODE).value_or("/");
  if (!path.empty() && path.front() == '/') path.erase(0, 1);
  if (!path.empty() && path.back() == '/') path.pop_back();
  for (unsigned char c : path) {
    if (c < 0x20 || c >= 0x7f) {
      return bad("the mailbox name must be printable ASCII (modified UTF-7 for others)");
    }
  }
  out.mailbox = path.empty() ? "INBOX" : path;
  out.loopback = IsLoopbackHost(out.host);
  return out;
}

StatusOr<std::unique_ptr<ImapMailbox>> ConnectCurlImapMailbox(const ImapAccount& account,
                                                              const ImapSessionLimits& limits) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  StatusOr<ImapUrl> url = ParseImapUrl(account.url);
  if (!url.ok()) return url.status();
  auto mailbox = std::make_unique<CurlImapMailbox>(account, std::move(*url), limits);
  if (Status s = mailbox->Connect(); !s.ok()) return s;
  return std::unique_ptr<ImapMailbox>(std::move(mailbox));
}

}  // namespace mailrep
