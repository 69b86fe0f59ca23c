#include "collectors/postmaster/postmaster_collector.h"

#include <algorithm>

#include "exporter/core/log.h"
#include "exporter/util/ascii.h"

namespace mailrep {
namespace {

using prometheus::MetricType;

constexpr MetricFamily kSpamRatio{
    "mailrep_postmaster_spam_ratio",
    MetricType::Gauge,
    {"domain"},
    "Gmail's user-reported spam rate of the domain's mail (0.001 is 0.1 %) on the date of "
    "mailrep_postmaster_stats_date_timestamp_seconds; keep it below 0.001, never reach 0.003.",
    true};
constexpr MetricFamily kAuthSuccessRatio{
    "mailrep_postmaster_auth_success_ratio",
    MetricType::Gauge,
    {"domain", "auth"},
    "Share of the domain's mail to Gmail that passed the authentication (auth: spf, dkim, "
    "dmarc), per Postmaster Tools.",
    true};
constexpr MetricFamily kTlsRatio{
    "mailrep_postmaster_tls_ratio",
    MetricType::Gauge,
    {"domain", "direction"},
    "Share of the domain's mail sent over TLS, per Postmaster Tools (direction inbound: to "
    "Gmail, outbound: from Gmail).",
    true};
constexpr MetricFamily kDeliveryErrorRatio{
    "mailrep_postmaster_delivery_error_ratio",
    MetricType::Gauge,
    {"domain", "type", "reason"},
    "Share of the domain's mail Gmail refused (type reject) or deferred (type temp_fail), by "
    "Postmaster Tools' error reason.",
    true};
constexpr MetricFamily kCompliant{
    "mailrep_postmaster_compliant",
    MetricType::Gauge,
    {"domain", "requirement"},
    "1 when Postmaster Tools finds the domain compliant with the sender requirement, 0 when it "
    "needs work; absent when Google does not say.",
    true};
constexpr MetricFamily kStatsDate{
    "mailrep_postmaster_stats_date_timestamp_seconds",
    MetricType::Gauge,
    {"domain"},
    "00:00 UTC of the day the exported Postmaster Tools statistics of the domain are about (the "
    "newest day with data; Google lags one to two days).",
    true};
constexpr MetricFamily kFetchState{
    "mailrep_postmaster_fetch_state",
    MetricType::Gauge,
    {"domain", "request", "state"},
    "1 for the outcome of the last Postmaster Tools request (request domain_stats, "
    "compliance_status) for the domain (ok, no_data, http_401, http_403, http_404, http_429, "
    "http_4xx, http_5xx, http_other, html, malformed, truncated, too_large, timeout, network, "
    "oauth, no_credentials), 0 for the others.",
    true};
constexpr MetricFamily kFetchErrors{
    "mailrep_postmaster_fetch_errors_total",
    MetricType::Counter,
    {"domain", "request", "reason"},
    "Postmaster Tools requests that gave no new data, by reason (the states of "
    "mailrep_postmaster_fetch_state but ok); the last good data stays exported.",
    true};
constexpr MetricFamily kLastSuccess{
    "mailrep_postmaster_last_success_timestamp_seconds",
    MetricType::Gauge,
    {"domain", "request"},
    "Unix time of the last Postmaster Tools request for the domain that gave data (0: never).",
    true};
constexpr MetricFamily kSkipped{
    "mailrep_postmaster_skipped_values_total",
    MetricType::Counter,
    {"domain", "request"},
    "Entries of Postmaster Tools answers not exported: an unknown metric or requirement, a "
    "value that is not a ratio, a bad date, a repeated entry.",
    true};
constexpr MetricFamily kTokenRefreshes{
    "mailrep_postmaster_token_refreshes_total",
    MetricType::Counter,
    {"result"},
    "OAuth 2.0 access-token refreshes for Postmaster Tools (result ok, failed).",
    true};

constexpr MetricFamily kPostmasterFamilies[] = {
    kSpamRatio,   kAuthSuccessRatio, kTlsRatio,      kDeliveryErrorRatio,
    kCompliant,   kStatsDate,        kFetchState,    kFetchErrors,
    kLastSuccess, kSkipped,          kTokenRefreshes};

// A host name as DNS spells it: letters, digits, '-', dots between labels.
bool IsDomainName(std::string_view d) {
  if (d.empty() || d.size() > 253 || d.front() == '.' || d.back() == '.' ||
      d.find("..") != std::string_view::npos) {
    return false;
  }
  return std::all_of(d.begin(), d.end(),
                     [](char c) { return IsAlpha(c) || IsDigit(c) || c == '-' || c == '.'; });
}

void AddMetricValues(const std::string& domain, const PostmasterStatsResult& stats,
                     MetricSet* out) {
  for (size_t i = 0; i < kPostmasterMetricCount; ++i) {
    if (!stats.values[i]) continue;
    const PostmasterMetric& m = kPostmasterMetrics[i];
    double v = *stats.values[i];
    switch (m.kind) {
      case PostmasterMetricKind::kSpamRate:
        out->Add(kSpamRatio, {domain}, v);
        break;
      case PostmasterMetricKind::kAuthSuccessRate:
        out->Add(kAuthSuccessRatio, {domain, m.label}, v);
        break;
      case PostmasterMetricKind::kTlsRate:
        out->Add(kTlsRatio, {domain, m.label}, v);
        break;
      case PostmasterMetricKind::kDeliveryErrorRate:
        out->Add(kDeliveryErrorRatio, {domain, m.label, m.reason}, v);
        break;
    }
  }
  if (stats.date) {
    out->Add(kStatsDate, {domain}, static_cast<double>(stats.date->UnixSeconds()));
  }
}

}  // namespace

std::string_view PostmasterRequestName(PostmasterRequest request) {
  switch (request) {
    case PostmasterRequest::kDomainStats:
      return "domain_stats";
    case PostmasterRequest::kComplianceStatus:
      return "compliance_status";
  }
  return "unknown";
}

PostmasterCollector::PostmasterCollector(PostmasterCollectorOptions options,
                                         std::shared_ptr<HttpFetcher> http,
                                         std::shared_ptr<const Clock> clock)
    : options_(std::move(options)),
      clock_(clock),
      client_(
          std::make_unique<PostmasterClient>(options_.client, std::move(http), std::move(clock))) {}

void PostmasterCollector::Record(const std::string& domain, PostmasterRequest request,
                                 const PostmasterFailure& failure, size_t skipped, int64_t now) {
  RequestState& state = domains_[domain].requests[static_cast<int>(request)];
  state.tried = true;
  state.last = failure.reason;
  state.skipped += skipped;
  if (failure.reason == PostmasterFetchReason::kOk) {
    state.success_time = now;
    return;
  }
  ++state.errors[failure.reason];
  LogWarn("Postmaster Tools request failed; the last good data stays exported",
          {{"domain", domain},
           {"request", PostmasterRequestName(request)},
           {"reason", PostmasterFetchReasonName(failure.reason)},
           {"err", client_->Redact(failure.error)}});
}

Status PostmasterCollector::Collect(const CollectContext& ctx, MetricSet* out) {
  if (options_.client.credentials.empty()) return Status::OK();
  for (const std::string& domain : options_.domains) {
    if (ctx.stop.stop_requested()) return Status::Cancelled("postmaster requests cancelled");
    DomainState& state = domains_[domain];
    PostmasterStatsResult stats = client_->QueryDomainStats(domain, ctx.deadline, ctx.stop);
    Record(domain, PostmasterRequest::kDomainStats, stats.failure, stats.skipped,
           clock_->UnixSeconds());
    if (stats.ok()) state.stats = std::move(stats);
    if (ctx.stop.stop_requested()) return Status::Cancelled("postmaster requests cancelled");
    PostmasterComplianceResult compliance =
        client_->GetComplianceStatus(domain, ctx.deadline, ctx.stop);
    Record(domain, PostmasterRequest::kComplianceStatus, compliance.failure,
           compliance.compliance.skipped, clock_->UnixSeconds());
    if (compliance.ok()) state.compliance = std::move(compliance);
  }

  std::vector<std::string_view> states;
  for (PostmasterFetchReason r : kAllPostmasterFetchReasons) {
    states.push_back(PostmasterFetchReasonName(r));
  }
  for (const std::string& domain : options_.domains) {
    const DomainState& state = domains_[domain];
    if (state.stats) AddMetricValues(domain, *state.stats, out);
    if (state.compliance) {
      for (size_t i = 0; i < kPostmasterRequirementCount; ++i) {
        const std::optional<bool>& c = state.compliance->compliance.compliant[i];
        if (!c) continue;
        out->Add(kCompliant, {domain, PostmasterRequirementName(kAllPostmasterRequirements[i])},
                 *c ? 1 : 0);
      }
    }
    for (PostmasterRequest request : kAllPostmasterRequests) {
      const RequestState& r = state.requests[static_cast<int>(request)];
      std::string_view name = PostmasterRequestName(request);
      if (r.tried) {
        out->AddOneHot(kFetchState, {domain, name}, states, PostmasterFetchReasonName(r.last));
      }
      for (const auto& [reason, count] : r.errors) {
        out->Add(kFetchErrors, {domain, name, PostmasterFetchReasonName(reason)},
                 static_cast<double>(count));
      }
      out->Add(kLastSuccess, {domain, name}, static_cast<double>(r.success_time));
      out->Add(kSkipped, {domain, name}, static_cast<double>(r.skipped));
    }
  }
  out->Add(kTokenRefreshes, {"ok"},
           static_cast<double>(token_refreshes_base_ + client_->token_refreshes()));
  out->Add(kTokenRefreshes, {"failed"},
           static_cast<double>(token_failures_base_ + client_->token_refresh_failures()));
  return Status::OK();
}

void PostmasterCollector::AdoptState(Collector& previous) {
  auto& old = static_cast<PostmasterCollector&>(previous);
  for (const std::string& domain : options_.domains) {
    auto it = old.domains_.find(domain);
    if (it != old.domains_.end()) domains_[domain] = it->second;
  }
  token_refreshes_base_ = old.token_refreshes_base_ + old.client_->token_refreshes();
  token_failures_base_ = old.token_failures_base_ + old.client_->token_refresh_failures();
}

CollectorSpec PostmasterCollectorSpec() {
  using std::chrono::hours;
  using std::chrono::minutes;
  return {{"postmaster", false, hours(1), minutes(5)},
          "Google Postmaster Tools v2 per sending domain: Gmail spam rate, authentication and "
          "TLS rates, delivery errors, sender compliance.",
          NewPostmasterCollector,
          kPostmasterFamilies};
}

StatusOr<std::unique_ptr<Collector>> NewPostmasterCollector(const CollectorEnv& env,
                                                            ConfigNode& options) {
  PostmasterCollectorOptions o;
  PostmasterClientOptions& c = o.client;
  auto path = [&](std::string_view key) {
    std::string value = options.GetString(key);
    return value.empty() ? value : env.root + value;
  };
  c.credentials.credentials_file = path("credentials_file");
  c.credentials.client_id = options.GetString("client_id");
  c.credentials.client_secret_file = path("client_secret_file");
  c.credentials.refresh_token_file = path("refresh_token_file");
  bool split = !c.credentials.client_id.empty() || !c.credentials.client_secret_file.empty() ||
               !c.credentials.refresh_token_file.empty();
  if (!c.credentials.credentials_file.empty() && split) {
    options.Error("credentials_file",
                  "give credentials_file, or client_id, client_secret_file and "
                  "refresh_token_file, not both");
  } else if (split &&
             (c.credentials.client_id.empty() || c.credentials.client_secret_file.empty() ||
              c.credentials.refresh_token_file.empty())) {
    options.Error(c.credentials.client_id.empty()            ? "client_id"
                  : c.credentials.client_secret_file.empty() ? "client_secret_file"
                                                             : "refresh_token_file",
                  "client_id, client_secret_file and refresh_token_file go together");
  }
  c.token_url = options.GetString("token_url", std::string(kGoogleTokenUrl));
  if (c.token_url.rfind("https://", 0) != 0) options.Error("token_url", "must be an https:// URL");
  c.api_url = options.GetString("api_url", std::string(kPostmasterDefaultApiUrl));
  if (c.api_url.rfind("https://", 0) != 0) {
    options.Error("api_url", "must be an https:// URL");
  } else if (c.api_url.back() != '/') {
    c.api_url += '/';
  }
  c.lookback_days = static_cast<int>(options.GetInt("lookback_days", 7, 1, 30));
  c.ca_file = path("ca_file");
  c.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
      options.GetDuration("fetch_timeout", std::chrono::seconds(30)));
  if (c.timeout.count() <= 0) options.Error("fetch_timeout", "must be positive");
  c.max_response_bytes =
      static_cast<size_t>(options.GetInt("max_response_bytes", 4 << 20, 1024, int64_t{256} << 20));
  std::vector<std::string> domains;
  if (options.Has("domains")) {
    domains = options.GetStringList("domains");
    for (size_t i = 0; i < domains.size(); ++i) {
      std::string_view d = domains[i];
      if (!d.empty() && d.back() == '.') d.remove_suffix(1);  // a root dot is fine
      if (!IsDomainName(d)) options.ErrorAt("domains", i, "not a domain name");
    }
  } else {
    for (const SenderConfig& sender : env.config.senders) {
      domains.insert(domains.end(), sender.domains.begin(), sender.domains.end());
    }
  }
  for (const std::string& d : domains) {
    std::string domain = ToLowerAscii(d);
    if (!domain.empty() && domain.back() == '.') domain.pop_back();
    if (IsDomainName(domain) &&
        std::find(o.domains.begin(), o.domains.end(), domain) == o.domains.end()) {
      o.domains.push_back(domain);
    }
  }
  if (Status s = options.Finish(); !s.ok()) return s;
  bool configured = !c.credentials.empty();
  if (configured && !env.http) {
    return Status::Internal(env.config.source + ": the collector got no HTTP fetcher");
  }
  if (!configured) {
    LogWarn(
        "The postmaster collector has no credentials_file or refresh_token_file: it fetches "
        "nothing");
  } else if (o.domains.empty()) {
    LogWarn(
        "The postmaster collector has no domains (collectors.postmaster.domains or "
        "senders[].domains): it fetches nothing");
  }
  return std::unique_ptr<Collector>(new PostmasterCollector(std::move(o), env.http, env.clock));
}

}  // namespace mailrep
