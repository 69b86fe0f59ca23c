#include "collectors/postmaster/postmaster_client.h"

#include <algorithm>
#include <vector>

#include "collectors/http_fetch/form_body.h"
#include "collectors/reports/json_value.h"
#include "exporter/util/ascii.h"

namespace mailrep {
namespace {

constexpr size_t kMaxTokenBytes = 4096;

PostmasterFailure Fail(PostmasterFetchReason reason, std::string error, long status = 0) {
  return {reason, std::move(error), status};
}

bool IsCode(std::string_view s, bool upper) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [upper](char c) {
    return c == '_' || (upper ? (c >= 'A' && c <= 'Z') : (c >= 'a' && c <= 'z'));
  });
}

// "HTTP 403 PERMISSION_DENIED": the status and, when the body is Google's
// error JSON, its error.status code (a bounded word; never its message).
std::string HttpError(const HttpFetchResponse& response) {
  std::string text = "HTTP " + std::to_string(response.status);
  JsonLimits limits;
  limits.max_bytes = 64 * 1024;
  limits.max_depth = 8;
  limits.max_values = 10000;
  StatusOr<JsonValue> json = ParseJson(response.body, limits);
  if (!json.ok()) return text;
  const JsonValue* error = json->Find("error");
  if (error == nullptr) return text;
  if (std::optional<std::string_view> code = error->StringAt("status");
      code && IsCode(*code, true)) {
    text += " " + std::string(*code);
  } else if (error->is_string() && IsCode(error->string, false)) {
    text += " " + error->string;  // OAuth's {"error": "invalid_grant"}
  }
  return text;
}

}  // namespace

PostmasterClient::PostmasterClient(PostmasterClientOptions options,
                                   std::shared_ptr<HttpFetcher> http,
                                   std::shared_ptr<const Clock> clock)
    : options_(std::move(options)), http_(std::move(http)), clock_(std::move(clock)) {}

HttpFetchRequest PostmasterClient::Request(std::string url, SteadyTime deadline,
                                           std::stop_token stop) const {
  HttpFetchRequest request;
  request.url = std::move(url);
  request.deadline = std::min(deadline, std::chrono::steady_clock::now() + options_.timeout);
  request.stop = stop;
  request.ca_file = options_.ca_file;
  request.max_response_bytes = options_.max_response_bytes;
  return request;
}

PostmasterFailure PostmasterClient::Redacted(PostmasterFailure failure) const {
  failure.error = redactor_.Redact(failure.error);
  return failure;
}

PostmasterFailure PostmasterClient::RefreshToken(SteadyTime deadline, std::stop_token stop) {
  access_token_.clear();
  ++token_refresh_failures_;  // undone on success
  StatusOr<PostmasterCredentials> credentials = PostmasterCredentials::Read(options_.credentials);
  if (!credentials.ok()) {
    return Fail(PostmasterFetchReason::kNoCredentials, credentials.status().message());
  }
  redactor_.Clear();
  redactor_.Add(credentials->client_secret);
  redactor_.Add(credentials->refresh_token);
  std::vector<FormField> fields = {{"grant_type", "refresh_token"},
                                   {"client_id", credentials->client_id},
                                   {"client_secret", credentials->client_secret},
                                   {"refresh_token", credentials->refresh_token}};
  HttpFetchRequest request = Request(options_.token_url, deadline, stop);
  request.method = HttpMethod::kPost;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                     {"Accept", "application/json"}};
  request.body = FormUrlEncoded(fields);
  request.max_response_bytes = std::min<size_t>(options_.max_response_bytes, 64 * 1024);
  StatusOr<HttpFetchResponse> response = http_->Fetch(request);
  if (!response.ok()) {
    PostmasterFailure f = PostmasterTransportFailure(response.status());
    f.error = "token endpoint: " + f.error;
    return Redacted(f);
  }
  if (response->status != 200) {
    return Redacted(Fail(PostmasterFetchReason::kOauth, "token endpoint: " + HttpError(*response),
                         response->status));
  }
  StatusOr<JsonValue> json = ParseJson(response->body);
  const JsonValue* token = json.ok() ? json->Find("access_token") : nullptr;
  const JsonValue* expires = json.ok() ? json->Find("expires_in") : nullptr;
  std::optional<std::string_view> type = json.ok() ? json->StringAt("token_type") : std::nullopt;
  bool good_token = token != nullptr && token->is_string() && !token->string.empty() &&
                    token->string.size() <= kMaxTokenBytes &&
                    std::all_of(token->string.begin(), token->string.end(),
                                [](char c) { return c > 0x20 && c < 0x7F; });
  bool good_expiry = expires == nullptr || (expires->type == JsonValue::Type::kNumber &&
                                            expires->number > 0 && expires->number <= 86400 * 30);
  bool good_type = !type || ToLowerAscii(*type) == "bearer";
  if (!good_token || !good_expiry || !good_type) {
    if (good_token) redactor_.Add(token->string);
    return Redacted(Fail(PostmasterFetchReason::kOauth,
                         "token endpoint: the answer is not an OAuth 2.0 Bearer token", 200));
  }
  access_token_ = token->string;
  redactor_.Add(access_token_);
  auto lifetime = std::chrono::duration_cast<SteadyTime::duration>(
      std::chrono::duration<double>(expires != nullptr ? expires->number : 3600));
  // The margin, but at most half the lifetime: a short-lived token is still used.
  token_expiry_ = clock_->SteadyNow() + lifetime -
                  std::min<SteadyTime::duration>(options_.token_margin, lifetime / 2);
  --token_refresh_failures_;
  ++token_refreshes_;
  return {};
}

PostmasterClient::Answer PostmasterClient::Call(HttpMethod method, const std::string& url,
                                                const std::string& body, SteadyTime deadline,
                                                std::stop_token stop) {
  Answer answer;
  bool refreshed = false;
  if (access_token_.empty() || clock_->SteadyNow() >= token_expiry_) {
    answer.failure = RefreshToken(deadline, stop);
    if (answer.failure.reason != PostmasterFetchReason::kOk) return answer;
    refreshed = true;
  }
  for (;;) {
    HttpFetchRequest request = Request(url, deadline, stop);
    request.method = method;
    request.headers = {{"Authorization", "Bearer " + access_token_},
                       {"Accept", "application/json"}};
    if (method == HttpMethod::kPost) {
      request.headers.emplace_back("Content-Type", "application/json");
      request.body = body;
    }
    StatusOr<HttpFetchResponse> response = http_->Fetch(request);
    if (!response.ok()) {
      answer.failure = Redacted(PostmasterTransportFailure(response.status()));
      return answer;
    }
    if (response->status == 401 && !refreshed) {
      // The token expired early or was revoked: one fresh token, one retry.
      answer.failure = RefreshToken(deadline, stop);
      if (answer.failure.reason != PostmasterFetchReason::kOk) return answer;
      refreshed = true;
      continue;
    }
    if (response->status == 401) access_token_.clear();
    PostmasterFetchReason reason = PostmasterHttpStatusReason(response->status);
    if (reason != PostmasterFetchReason::kOk) {
      answer.failure = Redacted(Fail(reason, HttpError(*response), response->status));
      return answer;
    }
    if (PostmasterLooksLikeHtml(response->content_type, response->body)) {
      answer.failure = Redacted(Fail(PostmasterFetchReason::kHtml,
                                     "HTTP 200 with an HTML page, not JSON", response->status));
      return answer;
    }
    answer.response = std::move(*response);
    return answer;
  }
}

PostmasterStatsResult PostmasterClient::QueryDomainStats(const std::string& domain,
                                                         SteadyTime deadline,
                                                         std::stop_token stop) {
  PostmasterStatsResult result;
  int64_t today = clock_->UnixSeconds() / 86400 * 86400;
  PostmasterDate end = PostmasterDate::FromUnixSeconds(today - 86400);
  PostmasterDate start =
      PostmasterDate::FromUnixSeconds(today - int64_t{86400} * std::max(1, options_.lookback_days));
  std::string url = options_.api_url + "v2/domains/" + domain + "/domainStats:query";
  std::vector<PostmasterStatsPage::Value> values;
  std::string token;
  for (int page = 0; page < std::max(1, options_.max_pages); ++page) {
    Answer answer = Call(HttpMethod::kPost, url, PostmasterDomainStatsQueryBody(start, end, token),
                         deadline, stop);
    if (!answer.response) {
      result.failure = answer.failure;
      return result;
    }
    StatusOr<PostmasterStatsPage> parsed = ParsePostmasterDomainStats(answer.response->body);
    if (!parsed.ok()) {
      result.failure = Redacted(Fail(PostmasterFetchReason::kMalformed,
                                     "domainStats:query: " + parsed.status().message(), 200));
      return result;
    }
    result.skipped += parsed->skipped;
    values.insert(values.end(), parsed->values.begin(), parsed->values.end());
    token = parsed->next_page_token;
    if (token.empty()) break;
  }
  for (const PostmasterStatsPage::Value& v : values) {
    if (!result.date || *result.date < v.date) result.date = v.date;
  }
  if (!result.date) {
    result.failure = Fail(PostmasterFetchReason::kNoData,
                          "no statistics for " + start.ToString() + " to " + end.ToString(), 200);
    return result;
  }
  for (const PostmasterStatsPage::Value& v : values) {
    if (v.date != *result.date) continue;
    if (result.values[v.metric]) {
      ++result.skipped;  // a repeated entry: the first one counts
      continue;
    }
    result.values[v.metric] = v.value;
  }
  return result;
}

PostmasterComplianceResult PostmasterClient::GetComplianceStatus(const std::string& domain,
                                                                 SteadyTime deadline,
                                                                 std::stop_token stop) {
  PostmasterComplianceResult result;
  Answer answer =
      Call(HttpMethod::kGet, options_.api_url + "v2/domains/" + domain + "/complianceStatus", "",
           deadline, stop);
  if (!answer.response) {
    result.failure = answer.failure;
    return result;
  }
  StatusOr<PostmasterCompliance> parsed = ParsePostmasterCompliance(answer.response->body);
  if (!parsed.ok()) {
    result.failure = Redacted(Fail(PostmasterFetchReason::kMalformed,
                                   "complianceStatus: " + parsed.status().message(), 200));
    return result;
  }
  result.compliance = *parsed;
  if (result.compliance.known() == 0) {
    result.failure = Fail(PostmasterFetchReason::kNoData, "no compliance rows", 200);
  }
  return result;
}

}  // namespace mailrep
