#include "collectors/auth/mta_sts_collector.h"

#include <algorithm>

#include "collectors/dns/dns_engine.h"
#include "collectors/dns/resolver_lookup.h"

namespace mailrep {
namespace {

using prometheus::MetricType;

constexpr MetricFamily kMtaStsStatus{
    "mailrep_mta_sts_status",
    MetricType::Gauge,
    {"domain", "status"},
    "1 for the state of the domain's MTA-STS deployment (valid, missing, invalid, fetch_error, "
    "mx_mismatch, dns_error), 0 for the others.",
    true};
constexpr MetricFamily kMtaStsMode{
    "mailrep_mta_sts_mode",
    MetricType::Gauge,
    {"domain", "mode"},
    "1 for the mode of the domain's MTA-STS policy (enforce, testing, none), all 0 when no valid "
    "policy was fetched.",
    true};
constexpr MetricFamily kMtaStsMaxAge{
    "mailrep_mta_sts_max_age_seconds",
    MetricType::Gauge,
    {"domain"},
    "max_age of the domain's MTA-STS policy in seconds, 0 when no valid policy was fetched.",
    true};
constexpr MetricFamily kTlsRptStatus{
    "mailrep_tls_rpt_status",
    MetricType::Gauge,
    {"domain", "status"},
    "1 for the state of the domain's TLS-RPT record (valid, missing, invalid, dns_error), 0 for "
    "the others.",
    true};

constexpr MetricFamily kMtaStsFamilies[] = {kMtaStsStatus, kMtaStsMode, kMtaStsMaxAge,
                                            kTlsRptStatus};

}  // namespace

MtaStsCheckResult RunMtaStsCheck(Resolver& resolver, MtaStsFetcher& fetcher,
                                 const std::string& domain, SteadyTime deadline,
                                 std::stop_token stop) {
  ResolverLookup dns(resolver, kAuthLookupTimeout, deadline, stop);
  return CheckMtaSts(domain, dns, fetcher, deadline, stop);
}

std::vector<std::string> MtaStsDomainsFromConfig(const Config& config) {
  std::vector<std::string> domains;
  for (const SenderConfig& sender : config.senders) {
    for (const std::string& d : sender.domains) {
      std::string domain = NormalizeDnsName(d);
      if (std::find(domains.begin(), domains.end(), domain) == domains.end()) {
        domains.push_back(domain);
      }
    }
  }
  return domains;
}

void AddMtaStsMetrics(const MtaStsCheckResult& r, MetricSet* out) {
  std::vector<std::string_view> statuses;
  for (MtaStsStatus s : kAllMtaStsStatuses) statuses.push_back(MtaStsStatusName(s));
  out->AddOneHot(kMtaStsStatus, {r.domain}, statuses, MtaStsStatusName(r.status));
  std::vector<std::string_view> modes;
  for (MtaStsMode m : kAllMtaStsModes) modes.push_back(MtaStsModeName(m));
  out->AddOneHot(kMtaStsMode, {r.domain}, modes, r.policy ? MtaStsModeName(r.policy->mode) : "");
  out->Add(kMtaStsMaxAge, {r.domain}, r.policy ? static_cast<double>(r.policy->max_age) : 0);
  std::vector<std::string_view> rpt;
  for (TlsRptStatus s : kAllTlsRptStatuses) rpt.push_back(TlsRptStatusName(s));
  out->AddOneHot(kTlsRptStatus, {r.domain}, rpt, TlsRptStatusName(r.tls_rpt_status));
}

MtaStsCollector::MtaStsCollector(std::vector<std::string> domains,
                                 std::shared_ptr<Resolver> resolver,
                                 std::shared_ptr<MtaStsFetcher> fetcher)
    : domains_(std::move(domains)), resolver_(std::move(resolver)), fetcher_(std::move(fetcher)) {}

Status MtaStsCollector::Collect(const CollectContext& ctx, MetricSet* out) {
  for (const std::string& domain : domains_) {
    if (ctx.stop.stop_requested()) return Status::Cancelled("mta_sts checks cancelled");
    AddMtaStsMetrics(RunMtaStsCheck(*resolver_, *fetcher_, domain, ctx.deadline, ctx.stop), out);
  }
  return Status::OK();
}

std::vector<ProbeModule> MtaStsCollector::ProbeModules() {
  return {{"mta_sts", "MTA-STS policy and TLS-RPT record for target=<configured domain>",
           [this](const ProbeRequest& request, MetricSet* out) -> StatusOr<bool> {
             if (!IsValidMtaStsHostName(request.target)) {
               return Status::InvalidArgument("target " + request.target + " is not a domain name");
             }
             std::string domain = NormalizeDnsName(request.target);
             if (std::find(domains_.begin(), domains_.end(), domain) == domains_.end()) {
               return Status::PermissionDenied("target " + request.target +
                                               " is not a configured sender domain");
             }
             MtaStsCheckResult r =
                 RunMtaStsCheck(*resolver_, *fetcher_, domain, request.deadline, request.stop);
             AddMtaStsMetrics(r, out);
             return r.status == MtaStsStatus::kValid;
           }}};
}

CollectorSpec MtaStsCollectorSpec() {
  using std::chrono::hours;
  using std::chrono::minutes;
  return {{"mta_sts", true, hours(1), minutes(2)},
          "MTA-STS record, HTTPS policy (mode, max_age, MX coverage) and TLS-RPT record of each "
          "sender domain.",
          NewMtaStsCollector,
          kMtaStsFamilies};
}

StatusOr<std::unique_ptr<Collector>> NewMtaStsCollector(const CollectorEnv& env,
                                                        ConfigNode& options) {
  MtaStsFetcherOptions fetch;
  fetch.clock = env.clock;
  fetch.ca_file = options.GetString("ca_file");
  if (!fetch.ca_file.empty()) fetch.ca_file = env.root + fetch.ca_file;
  fetch.total_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
      options.GetDuration("fetch_timeout", std::chrono::seconds(30)));
  if (fetch.total_timeout.count() <= 0) {
    options.Error("fetch_timeout", "must be positive");
  }
  if (Status s = options.Finish(); !s.ok()) return s;
  std::vector<std::string> domains = MtaStsDomainsFromConfig(env.config);
  StatusOr<std::shared_ptr<Resolver>> resolver = ResolverIfNeeded(env, !domains.empty());
  if (!resolver.ok()) return resolver.status();
  std::shared_ptr<MtaStsFetcher> fetcher;
  if (!domains.empty()) {
    if (!env.http)
      return Status::Internal(env.config.source + ": the collector got no HTTP fetcher");
    fetcher = NewMtaStsFetcher(env.http, std::move(fetch));
  }
  return std::unique_ptr<Collector>(
      new MtaStsCollector(std::move(domains), *resolver, std::move(fetcher)));
}

}  // namespace mailrep
