#include "collectors/http_fetch/curl_http_fetcher.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string_view>
#include <utility>
#include <vector>

namespace mailrep {
namespace {

constexpr long kMaxRedirects = 5;
// More header fields than any real response; the rest are dropped.
constexpr size_t kMaxHeaderFields = 256;
// How long one wait for socket activity may last; a stop wakes it earlier.
constexpr int kPollMilliseconds = 1000;

struct Received {
  HttpFetchResponse response;
  size_t max_bytes = 0;
  bool too_large = false;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  Received* r = static_cast<Received*>(user);
  size_t n = size * count;
  if (r->response.body.size() + n > r->max_bytes) {
    r->too_large = true;
    return 0;  // aborts with CURLE_WRITE_ERROR
  }
  r->response.body.append(data, n);
  return n;
}

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// One header line. A status line starts a new response (after a 1xx or a
// followed redirect), whose fields replace the previous ones.
size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  Received* r = static_cast<Received*>(user);
  size_t n = size * count;
  std::string_view line(data, n);
  if (line.starts_with("HTTP/")) {
    r->response.headers.clear();
    return n;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return n;  // end of fields
  if (r->response.headers.size() < kMaxHeaderFields) {
    r->response.headers.emplace_back(std::string(TrimSpace(line.substr(0, colon))),
                                     std::string(TrimSpace(line.substr(colon + 1))));
  }
  return n;
}

struct UrlParts {
  std::string scheme;
  std::string host;  // an IPv6 literal keeps its brackets
  std::string port;  // the scheme's default when the URL names none
};

StatusOr<UrlParts> ParseUrl(const std::string& url) {
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> handle(curl_url(), curl_url_cleanup);
  if (!handle) return Status::Internal("curl_url failed");
  if (CURLUcode rc = curl_url_set(handle.get(), CURLUPART_URL, url.c_str(), 0); rc != CURLUE_OK) {
    return Status::InvalidArgument("URL \"" + url + "\": " + curl_url_strerror(rc));
  }
  UrlParts parts;
  const std::pair<CURLUPart, std::string*> wanted[] = {{CURLUPART_SCHEME, &parts.scheme},
                                                       {CURLUPART_HOST, &parts.host},
                                                       {CURLUPART_PORT, &parts.port}};
  for (const auto& [part, out] : wanted) {
    char* value = nullptr;
    if (curl_url_get(handle.get(), part, &value, CURLU_DEFAULT_PORT) != CURLUE_OK || !value) {
      return Status::InvalidArgument("URL \"" + url + "\" lacks a scheme, host or port");
    }
    *out = value;
    curl_free(value);
  }
  return parts;
}

bool HasLineBreak(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

Status Validate(const HttpFetchRequest& request, const UrlParts& url) {
  if (url.scheme != "https" && !(url.scheme == "http" && request.allow_plain_http)) {
    return Status::InvalidArgument("URL scheme " + url.scheme + " not allowed" +
                                   (request.allow_plain_http ? "" : " (HTTPS only)"));
  }
  if (request.method == HttpMethod::kGet && !request.body.empty()) {
    return Status::InvalidArgument("a GET request has no body");
  }
  if (!request.addresses.empty() && request.follow_redirects) {
    return Status::InvalidArgument("pinned addresses cannot be combined with following redirects");
  }
  for (const HttpHeader& header : request.headers) {
    if (header.first.empty() || header.first.find(':') != std::string::npos ||
        HasLineBreak(header.first) || HasLineBreak(header.second)) {
      return Status::InvalidArgument("malformed request header \"" + header.first + "\"");
    }
  }
  return Status::OK();
}

using SlistPtr = std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)>;

SlistPtr Slist(const std::vector<std::string>& lines) {
  curl_slist* list = nullptr;
  for (const std::string& line : lines) list = curl_slist_append(list, line.c_str());
  return SlistPtr(list, curl_slist_free_all);
}

// An easy handle attached to its own multi handle; detached and freed on
// destruction.
class Transfer {
 public:
  Transfer() : easy_(curl_easy_init()), multi_(curl_multi_init()) {
    if (easy_ && multi_) attached_ = curl_multi_add_handle(multi_, easy_) == CURLM_OK;
  }
  ~Transfer() {
    if (attached_) curl_multi_remove_handle(multi_, easy_);
    if (easy_) curl_easy_cleanup(easy_);
    if (multi_) curl_multi_cleanup(multi_);
  }
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  bool ok() const { return attached_; }
  CURL* easy() const { return easy_; }
  CURLM* multi() const { return multi_; }

 private:
  CURL* const easy_;
  CURLM* const multi_;
  bool attached_ = false;
};

// Drives `transfer` until libcurl finishes it (its result) or `stop` is
// requested (nullopt).
StatusOr<std::optional<CURLcode>> Run(const Transfer& transfer, const std::stop_token& stop) {
  for (;;) {
    if (stop.stop_requested()) return std::optional<CURLcode>();
    int running = 0;
    if (CURLMcode mc = curl_multi_perform(transfer.multi(), &running); mc != CURLM_OK) {
      return Status::Internal(std::string("curl_multi_perform: ") + curl_multi_strerror(mc));
    }
    if (running == 0) break;
    // Returns early on socket activity, on libcurl's own timers (the
    // request's timeouts) and on curl_multi_wakeup (a stop).
    if (CURLMcode mc = curl_multi_poll(transfer.multi(), nullptr, 0, kPollMilliseconds, nullptr);
        mc != CURLM_OK) {
      return Status::Internal(std::string("curl_multi_poll: ") + curl_multi_strerror(mc));
    }
  }
  int queued = 0;
  while (CURLMsg* message = curl_multi_info_read(transfer.multi(), &queued)) {
    if (message->msg == CURLMSG_DONE) return std::optional<CURLcode>(message->data.result);
  }
  return Status::Internal("libcurl finished without a result");
}

Status ErrorFor(CURLcode code, const char* error_buffer) {
  std::string message = curl_easy_strerror(code);
  if (error_buffer[0] != '\0') message += std::string(": ") + error_buffer;
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return Status::DeadlineExceeded(std::move(message));
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return Status::InvalidArgument(std::move(message));
    default:
      return Status::Unavailable(std::move(message));
  }
}

// "host:port:a,b" for CURLOPT_RESOLVE (IPv6 in brackets).
std::string ResolveEntry(const std::string& host, const std::string& port,
                         const std::vector<IpAddress>& addresses) {
  std::string entry = host + ":" + port + ":";
  for (size_t i = 0; i < addresses.size(); ++i) {
    bool v6 = addresses[i].family == IpAddress::Family::kV6;
    entry +=
        (i ? "," : "") + std::string(v6 ? "[" : "") + addresses[i].ToString() + (v6 ? "]" : "");
  }
  return entry;
}

class CurlHttpFetcher : public HttpFetcher {
 public:
  explicit CurlHttpFetcher(CurlHttpFetcherOptions options) : options_(std::move(options)) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }

  StatusOr<HttpFetchResponse> Fetch(const HttpFetchRequest& request) override {
    if (request.stop.stop_requested()) return Status::Cancelled("cancelled");
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(request.deadline -
                                                                      options_.clock->SteadyNow());
    if (left.count() <= 0) return Status::DeadlineExceeded("no time left before the deadline");
    StatusOr<UrlParts> url = ParseUrl(request.url);
    if (!url.ok()) return url.status();
    if (Status s = Validate(request, *url); !s.ok()) return s;

    Transfer transfer;
    if (!transfer.ok()) return Status::Internal("cannot set up a libcurl transfer");
    CURL* h = transfer.easy();
    Received received;
    received.max_bytes = request.max_response_bytes;
    char error_buffer[CURL_ERROR_SIZE] = {};

    std::vector<std::string> header_lines;
    for (const auto& [name, value] : request.headers) {
      // "Name;" sends an empty value ("Name:" would remove the header).
      header_lines.push_back(value.empty() ? name + ";" : name + ": " + value);
    }
    if (request.method == HttpMethod::kPost) header_lines.push_back("Expect:");
    SlistPtr headers = Slist(header_lines);
    std::string connect_port =
        request.connect_port != 0 ? std::to_string(request.connect_port) : url->port;
    SlistPtr connect_to =
        Slist(request.connect_port != 0
                  ? std::vector<std::string>{url->host + ":" + url->port + "::" + connect_port}
                  : std::vector<std::string>{});
    SlistPtr resolve = Slist(
        request.addresses.empty()
            ? std::vector<std::string>{}
            : std::vector<std::string>{ResolveEntry(url->host, connect_port, request.addresses)});

    const char* protocols = request.allow_plain_http ? "http,https" : "https";
    long total_ms = left.count();
    long connect_ms = std::clamp<long>(request.connect_timeout.count(), 1, total_ms);
    curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, protocols);
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, protocols);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, request.follow_redirects ? 1L : 0L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, kMaxRedirects);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!request.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, request.ca_file.c_str());
    if (connect_to) curl_easy_setopt(h, CURLOPT_CONNECT_TO, connect_to.get());
    if (resolve) curl_easy_setopt(h, CURLOPT_RESOLVE, resolve.get());
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, total_ms);
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
                     static_cast<curl_off_t>(request.max_response_bytes));
    curl_easy_setopt(h, CURLOPT_USERAGENT, options_.user_agent.c_str());
    if (headers) curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
    if (request.method == HttpMethod::kPost) {
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
    } else {
      curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    }
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &received);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &received);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);

    StatusOr<std::optional<CURLcode>> done = Status::Internal("not run");
    {
      // Destroyed before `transfer`: waits for a wake-up running elsewhere.
      CURLM* multi = transfer.multi();
      std::stop_callback wake(request.stop, [multi] { curl_multi_wakeup(multi); });
      done = Run(transfer, request.stop);
    }
    if (!done.ok()) return done.status();
    if (!done->has_value()) return Status::Cancelled("cancelled");
    CURLcode code = **done;
    if (received.too_large || code == CURLE_FILESIZE_EXCEEDED) {
      return Status::ResourceExhausted("response larger than " +
                                       std::to_string(request.max_response_bytes) + " bytes");
    }
    if (code != CURLE_OK) return ErrorFor(code, error_buffer);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &received.response.status);
    char* content_type = nullptr;
    if (curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &content_type) == CURLE_OK && content_type) {
      received.response.content_type = content_type;
    }
    return std::move(received.response);
  }

 private:
  const CurlHttpFetcherOptions options_;
};

}  // namespace

std::shared_ptr<HttpFetcher> NewCurlHttpFetcher(CurlHttpFetcherOptions options) {
  return std::make_shared<CurlHttpFetcher>(std::move(options));
}

}  // namespace mailrep
