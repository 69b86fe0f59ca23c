#include "collectors/snds/snds_fetch.h"

#include <algorithm>

#include "exporter/util/ascii.h"
#include "exporter/util/lines.h"
#include "exporter/util/read_file.h"
#include "exporter/util/redact.h"

namespace mailrep {
namespace {

constexpr size_t kMaxLinkFileBytes = 64 * 1024;

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// Where the part after "scheme://host[:port]" starts (npos when none).
size_t PathStart(std::string_view url) {
  size_t scheme = url.find("://");
  size_t from = scheme == std::string_view::npos ? 0 : scheme + 3;
  return url.find_first_of("/?#", from);
}

bool IsHtmlType(std::string_view content_type) {
  std::string type = ToLowerAscii(content_type);
  return type.find("text/html") != std::string::npos ||
         type.find("application/xhtml") != std::string::npos;
}

SndsFetchResult Failed(SndsFetchReason reason, std::string error, long status = 0) {
  SndsFetchResult r;
  r.reason = reason;
  r.error = std::move(error);
  r.http_status = status;
  return r;
}

template <typename Row>
SndsFetchResult FromParsed(const SndsParsed<Row>& parsed, std::vector<Row>* rows) {
  if (!parsed.invalid) {
    SndsFetchResult r;
    r.http_status = 200;
    *rows = parsed.rows;
    return r;
  }
  SndsFetchReason reason = *parsed.invalid == SndsInvalidReason::kHtml ? SndsFetchReason::kHtml
                           : *parsed.invalid == SndsInvalidReason::kTruncated
                               ? SndsFetchReason::kTruncated
                               : SndsFetchReason::kInvalid;
  return Failed(
      reason,
      "rejected (" + std::string(SndsInvalidReasonName(*parsed.invalid)) + "): " + parsed.detail,
      200);
}

}  // namespace

std::string_view SndsFetchReasonName(SndsFetchReason reason) {
  switch (reason) {
    case SndsFetchReason::kOk:
      return "ok";
    case SndsFetchReason::kNoData:
      return "no_data";
    case SndsFetchReason::kHtml:
      return "html";
    case SndsFetchReason::kUnauthorized:
      return "unauthorized";
    case SndsFetchReason::kRateLimited:
      return "rate_limited";
    case SndsFetchReason::kBadRequest:
      return "bad_request";
    case SndsFetchReason::kHttpError:
      return "http_error";
    case SndsFetchReason::kTimeout:
      return "timeout";
    case SndsFetchReason::kNetwork:
      return "network";
    case SndsFetchReason::kTooLarge:
      return "too_large";
    case SndsFetchReason::kTruncated:
      return "truncated";
    case SndsFetchReason::kInvalid:
      return "invalid";
    case SndsFetchReason::kNoLink:
      return "no_link";
  }
  return "unknown";
}

std::string SndsDisplayUrl(std::string_view url) {
  size_t path = PathStart(url);
  if (path == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, path)) + "/" + std::string(kRedacted);
}

void SndsLinks::AddSecretsOf(const std::string& url) {
  if (url.empty()) return;
  secrets_.push_back(url);
  size_t path = PathStart(url);
  if (path != std::string::npos) {
    std::string_view rest = std::string_view(url).substr(path);
    secrets_.emplace_back(rest);
    size_t query = rest.find('?');
    if (query != std::string_view::npos) {
      std::string_view q = rest.substr(query + 1);
      secrets_.emplace_back(q);
      while (!q.empty()) {
        size_t amp = q.find('&');
        std::string_view pair = q.substr(0, amp);
        size_t eq = pair.find('=');
        if (eq != std::string_view::npos && pair.size() - eq - 1 >= 4) {
          secrets_.emplace_back(pair.substr(eq + 1));
        }
        q.remove_prefix(amp == std::string_view::npos ? q.size() : amp + 1);
      }
      rest = rest.substr(0, query);
    }
    // Long path segments are tokens in links that carry no query.
    while (!rest.empty()) {
      size_t slash = rest.find('/', 1);
      std::string_view segment =
          rest.substr(1, slash == std::string_view::npos ? rest.size() - 1 : slash - 1);
      if (segment.size() >= 16) secrets_.emplace_back(segment);
      rest.remove_prefix(slash == std::string_view::npos ? rest.size() : slash);
    }
  }
}

SndsLinks SndsLinks::FromUrls(std::string ip_data_url, std::string ip_status_url,
                              std::vector<std::string> secrets) {
  SndsLinks links;
  links.ip_data_url_ = std::move(ip_data_url);
  links.ip_status_url_ = std::move(ip_status_url);
  links.AddSecretsOf(links.ip_data_url_);
  links.AddSecretsOf(links.ip_status_url_);
  for (std::string& s : secrets) {
    if (!s.empty()) links.secrets_.push_back(std::move(s));
  }
  std::sort(links.secrets_.begin(), links.secrets_.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  return links;
}

StatusOr<SndsLinks> SndsLinks::Read(const SndsLinkSource& source) {
  if (!source.url_file.empty()) {
    StatusOr<std::string> text = ReadFileCapped(source.url_file, kMaxLinkFileBytes);
    if (!text.ok()) return text.status();
    std::string data_url, status_url;
    std::string_view rest = *text;
    while (std::optional<std::string_view> line = NextLine(&rest)) {
      std::string_view link = TrimBlanks(*line);
      if (link.empty() || link.front() == '#') continue;
      size_t path = PathStart(link);
      std::string lower = ToLowerAscii(path == std::string_view::npos ? "" : link.substr(path));
      size_t query = lower.find('?');
      bool status = lower.substr(0, query).find("ipstatus") != std::string::npos;
      (status ? status_url : data_url) = std::string(link);
    }
    if (data_url.empty() && status_url.empty()) {
      return Status::InvalidArgument(source.url_file + ": no link in the file");
    }
    return FromUrls(std::move(data_url), std::move(status_url));
  }
  if (source.key_file.empty()) return Status::InvalidArgument("no url_file or key_file");
  StatusOr<std::string> text = ReadFileCapped(source.key_file, kMaxLinkFileBytes);
  if (!text.ok()) return text.status();
  std::string key(TrimBlanks(*text));
  if (key.empty()) return Status::InvalidArgument(source.key_file + ": the file is empty");
  for (char c : key) {
    if (!(IsAlpha(c) || IsDigit(c) || c == '-' || c == '_' || c == '.' || c == '~')) {
      return Status::InvalidArgument(
          source.key_file + ": the key has characters other than letters, digits and -_.~");
    }
  }
  std::string base = source.base_url;
  if (!base.empty() && base.back() != '/') base += '/';
  return FromUrls(base + "data.aspx?key=" + key, base + "ipStatus.aspx?key=" + key, {key});
}

std::string SndsLinks::Redact(std::string_view text) const { return RedactSecrets(text, secrets_); }

SndsFetchResult FetchSndsReport(HttpFetcher& http, const SndsLinks& links, SndsReport report,
                                const SndsFetchOptions& options, SteadyTime deadline,
                                std::stop_token stop) {
  const std::string& url = links.url(report);
  if (url.empty()) {
    return Failed(SndsFetchReason::kNoLink,
                  "no link for the " + std::string(SndsReportName(report)) + " report");
  }
  HttpFetchRequest request;
  request.url = url;
  request.headers = {{"Accept", "text/plain, text/csv"}};
  request.deadline = std::min(deadline, std::chrono::steady_clock::now() + options.timeout);
  request.stop = stop;
  request.ca_file = options.ca_file;
  request.max_response_bytes = options.max_response_bytes;
  request.connect_port = options.connect_port;
  StatusOr<HttpFetchResponse> response = http.Fetch(request);
  if (!response.ok()) {
    std::string message = links.Redact(response.status().message());
    switch (response.status().code()) {
      case Status::Code::kDeadlineExceeded:
        return Failed(SndsFetchReason::kTimeout, message);
      case Status::Code::kResourceExhausted:
        return Failed(SndsFetchReason::kTooLarge, message);
      default:
        // libcurl's CURLE_PARTIAL_FILE: fewer bytes than Content-Length said.
        if (message.rfind("Transferred a partial file", 0) == 0) {
          return Failed(SndsFetchReason::kTruncated, message);
        }
        return Failed(SndsFetchReason::kNetwork, message);
    }
  }
  long status = response->status;
  std::string status_text = "HTTP " + std::to_string(status);
  if (status == 404)
    return Failed(SndsFetchReason::kNoData, status_text + ": no data (or the link expired)",
                  status);
  if (status == 401 || status == 403) {
    return Failed(SndsFetchReason::kUnauthorized, status_text + ": access denied", status);
  }
  if (status == 429) return Failed(SndsFetchReason::kRateLimited, status_text, status);
  if (status == 400) return Failed(SndsFetchReason::kBadRequest, status_text, status);
  if (status != 200) return Failed(SndsFetchReason::kHttpError, status_text, status);
  if (IsHtmlType(response->content_type)) {
    return Failed(SndsFetchReason::kHtml,
                  "an HTML page (Content-Type " + links.Redact(response->content_type) + ")",
                  status);
  }
  SndsFetchResult result;
  if (report == SndsReport::kIpData) {
    std::vector<SndsIpDataRow> rows;
    result = FromParsed(ParseSndsIpData(response->body), &rows);
    if (result.ok() && rows.empty()) {
      return Failed(SndsFetchReason::kNoData, "HTTP 200 with no rows: no data", status);
    }
    result.ip_data = std::move(rows);
  } else {
    std::vector<SndsIpStatusRow> rows;
    result = FromParsed(ParseSndsIpStatus(response->body), &rows);
    result.ip_status = std::move(rows);
  }
  result.error = links.Redact(result.error);
  return result;
}

}  // namespace mailrep
