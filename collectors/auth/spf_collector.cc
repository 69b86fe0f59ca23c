#include "collectors/auth/spf_collector.h"

#include <algorithm>
#include <set>

#include "collectors/dns/dns_engine.h"
#include "collectors/dns/resolver_lookup.h"

namespace mailrep {
namespace {

using std::chrono::milliseconds;

constexpr SpfResult kAllResults[] = {
    SpfResult::kNone,     SpfResult::kNeutral,   SpfResult::kPass,     SpfResult::kFail,
    SpfResult::kSoftFail, SpfResult::kTempError, SpfResult::kPermError};

using prometheus::MetricType;

constexpr MetricFamily kSpfResult{
    "mailrep_spf_result",
    MetricType::Gauge,
    {"identity", "domain", "ip", "result"},
    "1 for the SPF result a receiver would get for mail from the IP with this envelope domain "
    "(identity mfrom) or HELO name (identity helo), 0 for the six others (none, neutral, pass, "
    "fail, softfail, temperror, permerror).",
    true};
constexpr MetricFamily kSpfDnsLookups{"mailrep_spf_dns_lookups",
                                      MetricType::Gauge,
                                      {"identity", "domain", "ip"},
                                      "DNS-querying SPF terms the check used (RFC 7208 allows 10).",
                                      true};
constexpr MetricFamily kSpfVoidLookups{"mailrep_spf_void_lookups",
                                       MetricType::Gauge,
                                       {"identity", "domain", "ip"},
                                       "SPF lookups that found no records (RFC 7208 allows 2).",
                                       true};
constexpr MetricFamily kSpfRecordInfo{"mailrep_spf_record_info",
                                      MetricType::Gauge,
                                      {"domain", "record"},
                                      "The SPF record published at the domain; always 1.",
                                      true};
constexpr MetricFamily kSpfWarningInfo{
    "mailrep_spf_warning_info",
    MetricType::Gauge,
    {"domain", "warning"},
    "1 for each common SPF mistake found in the domain's record: pass_all, neutral_all, no_all, "
    "redirect_with_all, ptr_mechanism, ptr_macro, wide_network, lookups_near_limit, "
    "void_lookup, large_answer, multiple_records, include_without_record, obsolete_modifier.",
    true};
constexpr MetricFamily kSenderIdResult{
    "mailrep_senderid_result",
    MetricType::Gauge,
    {"ip", "domain", "result"},
    "1 for the Sender ID (RFC 4406) mfrom-scope result a receiver would get for mail from the IP "
    "with this envelope domain, 0 for the six others; the pra scope needs message headers and is "
    "not evaluated.",
    true};
constexpr MetricFamily kSenderIdRecordPresent{
    "mailrep_senderid_record_present",
    MetricType::Gauge,
    {"domain"},
    "1 when the domain publishes an spf2.0 record covering the mfrom scope, 0 when Sender ID "
    "falls back to its v=spf1 record; a DNS error keeps the last value.",
    true};

constexpr MetricFamily kSpfFamilies[] = {
    kSpfResult,      kSpfDnsLookups,  kSpfVoidLookups,       kSpfRecordInfo,
    kSpfWarningInfo, kSenderIdResult, kSenderIdRecordPresent};

std::string MailFrom(const SpfTarget& target) {
  return target.helo_identity ? "" : "postmaster@" + target.domain;
}

// The per-domain series: the record text and the warnings, once per domain.
void AddDomainMetrics(const SpfCheckResult& result, std::set<std::string>* seen_records,
                      std::set<std::pair<std::string, std::string>>* seen_warnings,
                      MetricSet* out) {
  if (!result.record.empty() && seen_records->insert(result.domain).second) {
    out->Add(kSpfRecordInfo, {result.domain, result.record}, 1);
  }
  for (const SpfWarning& w : result.warnings) {
    std::string code(SpfWarningCodeName(w.code));
    if (!seen_warnings->insert({result.domain, code}).second) continue;
    out->Add(kSpfWarningInfo, {result.domain, code}, 1);
  }
}

bool IsAllowedProbeDomain(const std::vector<SpfTarget>& targets, const std::string& domain) {
  std::string wanted = NormalizeDnsName(domain);
  return std::any_of(targets.begin(), targets.end(),
                     [&](const SpfTarget& t) { return NormalizeDnsName(t.domain) == wanted; });
}

void AddSenderIdResultMetrics(const SpfTarget& target, const SenderIdReport& report,
                              MetricSet* out) {
  std::vector<std::string_view> results;
  for (SpfResult r : kAllResults) results.push_back(SpfResultName(r));
  out->AddOneHot(kSenderIdResult, {target.ip.ToString(), target.domain}, results,
                 SpfResultName(report.mfrom.result));
}

void AddSenderIdRecordMetric(const std::string& domain, bool present, MetricSet* out) {
  out->Add(kSenderIdRecordPresent, {domain}, present ? 1 : 0);
}

}  // namespace

std::vector<SpfTarget> SpfTargetsFromConfig(const Config& config, uint64_t max_per_block) {
  std::vector<SpfTarget> targets;
  for (const SenderConfig& sender : config.senders) {
    for (const IpNetwork& network : sender.ips) {
      for (const IpAddress& ip : network.Addresses(max_per_block)) {
        for (const std::string& domain : sender.domains) {
          targets.push_back({ip, domain, sender.helo, false});
        }
        if (!sender.helo.empty()) targets.push_back({ip, sender.helo, sender.helo, true});
      }
    }
  }
  return targets;
}

namespace {

// The evaluator's options for a check that must end by `deadline`.
SpfOptions OptionsUntil(SteadyTime deadline, const Clock& clock) {
  SpfOptions options;
  options.now_seconds = clock.UnixSeconds();
  options.time_budget = std::max(milliseconds(1), std::chrono::duration_cast<milliseconds>(
                                                      deadline - std::chrono::steady_clock::now()));
  return options;
}

}  // namespace

SpfCheckResult RunSpfCheck(Resolver& resolver, const SpfTarget& target, SteadyTime deadline,
                           std::stop_token stop, const Clock& clock) {
  ResolverLookup dns(resolver, kAuthLookupTimeout, deadline, stop);
  SpfOptions options = OptionsUntil(deadline, clock);
  if (target.helo_identity) {
    return CheckSpfHost(target.ip, target.domain, "postmaster@" + target.domain, target.helo, dns,
                        options);
  }
  return CheckSpf({target.ip, MailFrom(target), target.helo}, dns, options);
}

SenderIdReport RunSenderIdCheck(Resolver& resolver, const SpfTarget& target, SteadyTime deadline,
                                std::stop_token stop, const Clock& clock) {
  ResolverLookup dns(resolver, kAuthLookupTimeout, deadline, stop);
  SpfOptions options = OptionsUntil(deadline, clock);
  return CheckSenderId({target.ip, MailFrom(target), target.helo}, dns, options);
}

bool SenderIdRecordPresent(const SenderIdReport& report) {
  return std::any_of(report.records.begin(), report.records.end(), [](const SenderIdRecord& r) {
    return std::find(r.scopes.begin(), r.scopes.end(), "mfrom") != r.scopes.end();
  });
}

void AddSpfResultMetrics(const SpfTarget& target, const SpfCheckResult& result, MetricSet* out) {
  std::string ip = target.ip.ToString();
  std::string_view identity = target.helo_identity ? "helo" : "mfrom";
  std::vector<std::string_view> results;
  for (SpfResult r : kAllResults) results.push_back(SpfResultName(r));
  out->AddOneHot(kSpfResult, {identity, target.domain, ip}, results, SpfResultName(result.result));
  out->Add(kSpfDnsLookups, {identity, target.domain, ip}, result.dns_terms);
  out->Add(kSpfVoidLookups, {identity, target.domain, ip}, result.void_lookups);
}

SpfCollector::SpfCollector(std::vector<SpfTarget> targets, std::shared_ptr<Resolver> resolver,
                           std::shared_ptr<const Clock> clock)
    : targets_(std::move(targets)), resolver_(std::move(resolver)), clock_(std::move(clock)) {}

Status SpfCollector::Collect(const CollectContext& ctx, MetricSet* out) {
  std::set<std::string> seen_records;
  std::set<std::pair<std::string, std::string>> seen_warnings;
  std::set<std::string> seen_senderid;
  std::vector<std::string> senderid_domains;  // config order
  for (const SpfTarget& target : targets_) {
    if (ctx.stop.stop_requested()) return Status::Cancelled("spf checks cancelled");
    SpfCheckResult result = RunSpfCheck(*resolver_, target, ctx.deadline, ctx.stop, *clock_);
    AddSpfResultMetrics(target, result, out);
    AddDomainMetrics(result, &seen_records, &seen_warnings, out);
    if (target.helo_identity) continue;
    SenderIdReport sender_id =
        RunSenderIdCheck(*resolver_, target, ctx.deadline, ctx.stop, *clock_);
    AddSenderIdResultMetrics(target, sender_id, out);
    bool& present = senderid_present_[target.domain];
    if (sender_id.mfrom.result != SpfResult::kTempError) present = SenderIdRecordPresent(sender_id);
    if (seen_senderid.insert(target.domain).second) senderid_domains.push_back(target.domain);
  }
  for (const std::string& domain : senderid_domains) {
    AddSenderIdRecordMetric(domain, senderid_present_[domain], out);
  }
  return Status::OK();
}

std::vector<ProbeModule> SpfCollector::ProbeModules() {
  return {{"spf", "SPF check_host() for target=<domain>&ip=<address>[&helo=<name>]",
           [this](const ProbeRequest& request, MetricSet* out) -> StatusOr<bool> {
             if (!IsAllowedProbeDomain(targets_, request.target)) {
               return Status::PermissionDenied("target " + request.target +
                                               " is not a configured sender domain or HELO name");
             }
             auto ip_param = request.params.find("ip");
             if (ip_param == request.params.end()) {
               return Status::InvalidArgument("the spf module needs an ip parameter");
             }
             StatusOr<IpAddress> ip = IpAddress::Parse(ip_param->second);
             if (!ip.ok()) return ip.status();
             auto helo = request.params.find("helo");
             SpfTarget target{*ip, request.target, helo == request.params.end() ? "" : helo->second,
                              false};
             SpfCheckResult result =
                 RunSpfCheck(*resolver_, target, request.deadline, request.stop, *clock_);
             AddSpfResultMetrics(target, result, out);
             std::set<std::string> records;
             std::set<std::pair<std::string, std::string>> warnings;
             AddDomainMetrics(result, &records, &warnings, out);
             return result.result == SpfResult::kPass;
           }}};
}

CollectorSpec SpfCollectorSpec() {
  using std::chrono::minutes;
  return {{"spf", true, minutes(5), minutes(2)},
          "SPF result for every configured sending IP with each envelope domain and HELO name.",
          NewSpfCollector,
          kSpfFamilies};
}

StatusOr<std::unique_ptr<Collector>> NewSpfCollector(const CollectorEnv& env, ConfigNode& options) {
  int64_t max_per_block = options.GetInt("max_addresses_per_block", 256, 1, 65536);
  if (Status s = options.Finish(); !s.ok()) return s;
  std::vector<SpfTarget> targets = SpfTargetsFromConfig(env.config, max_per_block);
  StatusOr<std::shared_ptr<Resolver>> resolver = ResolverIfNeeded(env, !targets.empty());
  if (!resolver.ok()) return resolver.status();
  return std::unique_ptr<Collector>(new SpfCollector(std::move(targets), *resolver, env.clock));
}

}  // namespace mailrep
