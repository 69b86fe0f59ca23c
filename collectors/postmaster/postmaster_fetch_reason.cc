#include "collectors/postmaster/postmaster_fetch_reason.h"

#include "exporter/util/ascii.h"

namespace mailrep {

std::string_view PostmasterFetchReasonName(PostmasterFetchReason reason) {
  switch (reason) {
    case PostmasterFetchReason::kOk:
      return "ok";
    case PostmasterFetchReason::kNoData:
      return "no_data";
    case PostmasterFetchReason::kHttp401:
      return "http_401";
    case PostmasterFetchReason::kHttp403:
      return "http_403";
    case PostmasterFetchReason::kHttp404:
      return "http_404";
    case PostmasterFetchReason::kHttp429:
      return "http_429";
    case PostmasterFetchReason::kHttp4xx:
      return "http_4xx";
    case PostmasterFetchReason::kHttp5xx:
      return "http_5xx";
    case PostmasterFetchReason::kHttpOther:
      return "http_other";
    case PostmasterFetchReason::kHtml:
      return "html";
    case PostmasterFetchReason::kMalformed:
      return "malformed";
    case PostmasterFetchReason::kTruncated:
      return "truncated";
    case PostmasterFetchReason::kTooLarge:
      return "too_large";
    case PostmasterFetchReason::kTimeout:
      return "timeout";
    case PostmasterFetchReason::kNetwork:
      return "network";
    case PostmasterFetchReason::kOauth:
      return "oauth";
    case PostmasterFetchReason::kNoCredentials:
      return "no_credentials";
  }
  return "unknown";
}

PostmasterFailure PostmasterTransportFailure(const Status& status) {
  PostmasterFailure f;
  f.error = status.message();
  switch (status.code()) {
    case Status::Code::kDeadlineExceeded:
    case Status::Code::kCancelled:
      f.reason = PostmasterFetchReason::kTimeout;
      break;
    case Status::Code::kResourceExhausted:
      f.reason = PostmasterFetchReason::kTooLarge;
      break;
    default:
      // libcurl's CURLE_PARTIAL_FILE: fewer bytes than Content-Length said.
      f.reason = f.error.rfind("Transferred a partial file", 0) == 0
                     ? PostmasterFetchReason::kTruncated
                     : PostmasterFetchReason::kNetwork;
  }
  return f;
}

PostmasterFetchReason PostmasterHttpStatusReason(long status) {
  if (status == 200) return PostmasterFetchReason::kOk;
  if (status == 401) return PostmasterFetchReason::kHttp401;
  if (status == 403) return PostmasterFetchReason::kHttp403;
  if (status == 404) return PostmasterFetchReason::kHttp404;
  if (status == 429) return PostmasterFetchReason::kHttp429;
  if (status >= 400 && status < 500) return PostmasterFetchReason::kHttp4xx;
  if (status >= 500 && status < 600) return PostmasterFetchReason::kHttp5xx;
  return PostmasterFetchReason::kHttpOther;
}

bool PostmasterLooksLikeHtml(std::string_view content_type, std::string_view body) {
  std::string type = ToLowerAscii(content_type);
  if (type.find("text/html") != std::string::npos ||
      type.find("application/xhtml") != std::string::npos) {
    return true;
  }
  size_t first = body.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && body[first] == '<';
}

}  // namespace mailrep
