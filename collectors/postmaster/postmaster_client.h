// PostmasterClient: the Postmaster Tools API v2 (postmaster_api.h) over the
// process's HttpFetcher, with OAuth 2.0 user credentials
// (postmaster_credentials.h):
//
//   - The access token comes from the refresh-token grant: a form POST of
//     grant_type=refresh_token, client_id, client_secret and refresh_token to
//     token_url (Google's https://oauth2.googleapis.com/token by default),
//     answered {"access_token", "expires_in", "token_type": "Bearer"}. The
//     credentials are read anew for every refresh. The token is kept until
//     token_margin before it expires (by the clock's steady time).
//   - Each API request carries "Authorization: Bearer <token>". A 401 drops
//     the token, refreshes it and repeats the request once; a second 401 is
//     http_401.
//   - Every outcome is one PostmasterFetchReason; a refused or nonsensical
//     token answer is oauth, unreadable credentials no_credentials.
//   - The client secret, refresh token and access token are replaced by
//     "<redacted>" in every message this class returns (Redact()).
//
// QueryDomainStats asks for the lookback_days days before today (UTC; Google's
// data lags one to two days) and returns the newest date that has values,
// with the value of each kPostmasterMetrics definition on that date.
//
// Not thread-safe: one owner (a collector run, a `check`) at a time.
#ifndef MAILREP_COLLECTORS_POSTMASTER_POSTMASTER_CLIENT_H_
#define MAILREP_COLLECTORS_POSTMASTER_POSTMASTER_CLIENT_H_

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>

#include "collectors/http_fetch/http_fetcher.h"
#include "collectors/postmaster/postmaster_api.h"
#include "collectors/postmaster/postmaster_credentials.h"
#include "collectors/postmaster/postmaster_fetch_reason.h"
#include "exporter/core/clock.h"

namespace mailrep {

inline constexpr std::string_view kGoogleTokenUrl = "https://oauth2.googleapis.com/token";

struct PostmasterClientOptions {
  PostmasterCredentialSource credentials;
  std::string token_url = std::string(kGoogleTokenUrl);
  std::string api_url = std::string(kPostmasterDefaultApiUrl);  // ends in '/'
  std::string ca_file;                                          // "" = the system store
  std::chrono::milliseconds timeout{30000};                     // per HTTP request
  size_t max_response_bytes = 4 << 20;
  int lookback_days = 7;
  int max_pages = 5;                       // domainStats:query pages followed per domain
  std::chrono::seconds token_margin{120};  // at most half the token's lifetime
};

struct PostmasterStatsResult {
  PostmasterFailure failure;  // reason kOk on success
  // The newest date with values, and each definition's value on it.
  std::optional<PostmasterDate> date;
  std::array<std::optional<double>, kPostmasterMetricCount> values{};
  size_t skipped = 0;  // entries not used, over all pages
  bool ok() const { return failure.reason == PostmasterFetchReason::kOk; }
};

struct PostmasterComplianceResult {
  PostmasterFailure failure;
  PostmasterCompliance compliance;
  bool ok() const { return failure.reason == PostmasterFetchReason::kOk; }
};

class PostmasterClient {
 public:
  PostmasterClient(PostmasterClientOptions options, std::shared_ptr<HttpFetcher> http,
                   std::shared_ptr<const Clock> clock);

  // POST v2/domains/{domain}/domainStats:query, following nextPageToken.
  // No values at all is no_data.
  PostmasterStatsResult QueryDomainStats(const std::string& domain, SteadyTime deadline,
                                         std::stop_token stop = {});
  // GET v2/domains/{domain}/complianceStatus. No known row is no_data.
  PostmasterComplianceResult GetComplianceStatus(const std::string& domain, SteadyTime deadline,
                                                 std::stop_token stop = {});

  uint64_t token_refreshes() const { return token_refreshes_; }
  uint64_t token_refresh_failures() const { return token_refresh_failures_; }
  // `text` with every secret this client knows replaced by "<redacted>".
  std::string Redact(std::string_view text) const { return redactor_.Redact(text); }

 private:
  struct Answer {
    std::optional<HttpFetchResponse> response;  // a 200 with a JSON body
    PostmasterFailure failure;
  };
  Answer Call(HttpMethod method, const std::string& url, const std::string& body,
              SteadyTime deadline, std::stop_token stop);
  PostmasterFailure RefreshToken(SteadyTime deadline, std::stop_token stop);
  HttpFetchRequest Request(std::string url, SteadyTime deadline, std::stop_token stop) const;
  PostmasterFailure Redacted(PostmasterFailure failure) const;

  const PostmasterClientOptions options_;
  const std::shared_ptr<HttpFetcher> http_;
  const std::shared_ptr<const Clock> clock_;
  std::string access_token_;
  SteadyTime token_expiry_{};
  SecretRedactor redactor_;
  uint64_t token_refreshes_ = 0;
  uint64_t token_refresh_failures_ = 0;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_POSTMASTER_POSTMASTER_CLIENT_H_
