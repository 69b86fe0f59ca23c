// PostmasterFetchReason: the outcome of one Postmaster Tools API request (a
// token refresh, domainStats:query or complianceStatus), from a bounded set:
// the `state` and `reason` labels of the postmaster collector's fetch
// metrics. Plus the two classifiers every request shares: a transport error
// and a non-200 status. Stateless; thread-safe.
#ifndef MAILREP_COLLECTORS_POSTMASTER_POSTMASTER_FETCH_REASON_H_
#define MAILREP_COLLECTORS_POSTMASTER_POSTMASTER_FETCH_REASON_H_

#include <string>
#include <string_view>

#include "exporter/util/status.h"

namespace mailrep {

enum class PostmasterFetchReason {
  kOk,
  kNoData,         // 200 with no statistics or compliance rows for the domain
  kHttp401,        // still 401 after one token refresh
  kHttp403,        // PERMISSION_DENIED: the account cannot read the domain
  kHttp404,        // NOT_FOUND: the domain is not registered
  kHttp429,        // quota
  kHttp4xx,        // any other 4xx
  kHttp5xx,        // 5xx
  kHttpOther,      // 1xx, 3xx (redirects are not followed), 2xx other than 200
  kHtml,           // a 200 with an HTML page instead of JSON
  kMalformed,      // a 200 whose body is not the documented JSON
  kTruncated,      // the transfer ended before Content-Length bytes
  kTooLarge,       // the body is over max_response_bytes
  kTimeout,        // the fetch deadline (or the run's) passed
  kNetwork,        // DNS, connection, TLS
  kOauth,          // the token endpoint refused or answered nonsense
  kNoCredentials,  // the credentials file(s) cannot be read or are incomplete
};
inline constexpr PostmasterFetchReason kAllPostmasterFetchReasons[] = {
    PostmasterFetchReason::kOk,           PostmasterFetchReason::kNoData,
    PostmasterFetchReason::kHttp401,      PostmasterFetchReason::kHttp403,
    PostmasterFetchReason::kHttp404,      PostmasterFetchReason::kHttp429,
    PostmasterFetchReason::kHttp4xx,      PostmasterFetchReason::kHttp5xx,
    PostmasterFetchReason::kHttpOther,    PostmasterFetchReason::kHtml,
    PostmasterFetchReason::kMalformed,    PostmasterFetchReason::kTruncated,
    PostmasterFetchReason::kTooLarge,     PostmasterFetchReason::kTimeout,
    PostmasterFetchReason::kNetwork,      PostmasterFetchReason::kOauth,
    PostmasterFetchReason::kNoCredentials};

// "ok", "no_data", "http_401", "http_403", "http_404", "http_429", "http_4xx",
// "http_5xx", "http_other", "html", "malformed", "truncated", "too_large",
// "timeout", "network", "oauth", "no_credentials"; "unknown" outside the enum.
std::string_view PostmasterFetchReasonName(PostmasterFetchReason reason);

// What went wrong, for a log line or `check postmaster`: the reason and a
// message that has already passed through the caller's redaction.
struct PostmasterFailure {
  PostmasterFetchReason reason = PostmasterFetchReason::kOk;
  std::string error;
  long http_status = 0;  // 0 when no response came
};

// A fetch that returned no response (HttpFetcher's error codes): timeout
// (DeadlineExceeded, Cancelled), too_large (ResourceExhausted), truncated
// (libcurl's "Transferred a partial file"), else network. The message is
// the Status's; redact it before showing it.
PostmasterFailure PostmasterTransportFailure(const Status& status);

// The reason for a response with this status (kOk for 200).
PostmasterFetchReason PostmasterHttpStatusReason(long status);

// True for a Content-Type of HTML (text/html, application/xhtml+xml) or a
// body that starts, after blanks, with '<' (an HTML page; JSON cannot).
bool PostmasterLooksLikeHtml(std::string_view content_type, std::string_view body);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_POSTMASTER_POSTMASTER_FETCH_REASON_H_
