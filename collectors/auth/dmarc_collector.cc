#include "collectors/auth/dmarc_collector.h"

#include <algorithm>

#include "collectors/dns/dns_engine.h"
#include "collectors/dns/resolver_lookup.h"

namespace mailrep {
namespace {

void AddUnique(std::vector<std::string>* names, const std::string& name) {
  std::string normalized = NormalizeDnsName(name);
  if (std::find(names->begin(), names->end(), normalized) == names->end()) {
    names->push_back(normalized);
  }
}

using prometheus::MetricType;

constexpr MetricFamily kDmarcStatus{
    "mailrep_dmarc_status",
    MetricType::Gauge,
    {"domain", "status"},
    "1 for the state of the domain's DMARC record (valid, missing, invalid, multiple, dns_error), "
    "0 for the others.",
    true};
constexpr MetricFamily kDmarcRecordValid{
    "mailrep_dmarc_record_valid",
    MetricType::Gauge,
    {"domain"},
    "1 when the DMARC record that applies to the domain is valid; a DNS error keeps the last "
    "value.",
    true};
constexpr MetricFamily kDmarcPolicy{
    "mailrep_dmarc_policy",
    MetricType::Gauge,
    {"domain", "policy"},
    "1 for the DMARC policy receivers apply to mail from the domain (none, quarantine, reject); "
    "all 0 when no DMARC applies.",
    true};
constexpr MetricFamily kDmarcPct{
    "mailrep_dmarc_pct",
    MetricType::Gauge,
    {"domain"},
    "The pct= of the DMARC record that applies (100 when absent or no record).",
    true};
constexpr MetricFamily kDmarcOrgDomainFallback{
    "mailrep_dmarc_org_domain_fallback",
    MetricType::Gauge,
    {"domain"},
    "1 when the domain has no DMARC record of its own and the organizational domain's record "
    "applies.",
    true};
constexpr MetricFamily kDmarcUnauthorized{
    "mailrep_dmarc_unauthorized_report_destinations",
    MetricType::Gauge,
    {"domain"},
    "External rua/ruf destinations that do not authorize reports for the domain (RFC 7489 7.1): "
    "receivers will not send these reports.",
    true};
constexpr MetricFamily kDmarcSpfAligned{
    "mailrep_dmarc_spf_aligned",
    MetricType::Gauge,
    {"domain"},
    "1 when an envelope domain configured with this domain aligns with it under the record's "
    "aspf (relaxed without a record).",
    true};
constexpr MetricFamily kDmarcDkimAligned{
    "mailrep_dmarc_dkim_aligned",
    MetricType::Gauge,
    {"domain"},
    "1 when a DKIM d= domain configured with this domain aligns with it under the record's adkim "
    "(relaxed without a record).",
    true};

constexpr MetricFamily kDmarcFamilies[] = {
    kDmarcStatus,       kDmarcRecordValid, kDmarcPolicy,     kDmarcPct, kDmarcOrgDomainFallback,
    kDmarcUnauthorized, kDmarcSpfAligned,  kDmarcDkimAligned};

void AddMetrics(const std::string& domain, DmarcStatus status, bool valid,
                std::optional<DmarcPolicy> policy, int pct, bool fallback, int unauthorized,
                const DmarcConfiguredAlignment& alignment, MetricSet* out) {
  std::vector<std::string_view> statuses;
  for (DmarcStatus s : kAllDmarcStatuses) statuses.push_back(DmarcStatusName(s));
  out->AddOneHot(kDmarcStatus, {domain}, statuses, DmarcStatusName(status));
  out->Add(kDmarcRecordValid, {domain}, valid ? 1 : 0);
  std::vector<std::string_view> policies;
  for (DmarcPolicy p : kAllDmarcPolicies) policies.push_back(DmarcPolicyName(p));
  out->AddOneHot(kDmarcPolicy, {domain}, policies, policy ? DmarcPolicyName(*policy) : "");
  out->Add(kDmarcPct, {domain}, pct);
  out->Add(kDmarcOrgDomainFallback, {domain}, fallback ? 1 : 0);
  out->Add(kDmarcUnauthorized, {domain}, unauthorized);
  out->Add(kDmarcSpfAligned, {domain}, alignment.spf_aligned ? 1 : 0);
  out->Add(kDmarcDkimAligned, {domain}, alignment.dkim_aligned ? 1 : 0);
}

}  // namespace

std::vector<DmarcTarget> DmarcTargetsFromConfig(const Config& config) {
  std::vector<DmarcTarget> targets;
  auto add = [&](const std::string& domain, const SenderConfig& sender) {
    std::string name = NormalizeDnsName(domain);
    auto it = std::find_if(targets.begin(), targets.end(),
                           [&](const DmarcTarget& t) { return t.domain == name; });
    if (it == targets.end()) it = targets.insert(targets.end(), DmarcTarget{name, {}, {}});
    for (const std::string& d : sender.domains) AddUnique(&it->envelope_domains, d);
    for (const DkimKeyConfig& key : sender.dkim) AddUnique(&it->dkim_domains, key.domain);
  };
  for (const SenderConfig& sender : config.senders) {
    for (const std::string& domain : sender.domains) add(domain, sender);
    for (const DkimKeyConfig& key : sender.dkim) add(key.domain, sender);
  }
  return targets;
}

DmarcConfiguredAlignment CheckConfiguredDmarcAlignment(const DmarcTarget& target,
                                                       const DmarcRecord* record,
                                                       const PublicSuffixList& psl) {
  DmarcRecord defaults;
  const DmarcRecord& r = record != nullptr ? *record : defaults;
  DmarcConfiguredAlignment alignment;
  for (const std::string& d : target.envelope_domains) {
    alignment.spf_aligned |= DmarcAligned(target.domain, d, r.aspf, psl);
  }
  for (const std::string& d : target.dkim_domains) {
    alignment.dkim_aligned |= DmarcAligned(target.domain, d, r.adkim, psl);
  }
  return alignment;
}

StatusOr<std::shared_ptr<const PublicSuffixList>> LoadSystemPublicSuffixList() {
  StatusOr<std::unique_ptr<PublicSuffixList>> psl =
      PublicSuffixList::LoadFile(kDefaultPublicSuffixListPath);
  if (!psl.ok()) psl = PublicSuffixList::Latest();
  if (!psl.ok()) return psl.status();
  return std::shared_ptr<const PublicSuffixList>(std::move(psl).value());
}

DmarcCheckResult RunDmarcCheck(Resolver& resolver, const PublicSuffixList& psl,
                               std::string_view domain, SteadyTime deadline, std::stop_token stop) {
  ResolverLookup dns(resolver, kAuthLookupTimeout, deadline, stop);
  return CheckDmarc(domain, dns, psl);
}

DmarcCollector::DmarcCollector(std::vector<DmarcTarget> targets, std::shared_ptr<Resolver> resolver,
                               std::shared_ptr<const PublicSuffixList> psl)
    : targets_(std::move(targets)), resolver_(std::move(resolver)), psl_(std::move(psl)) {}

DmarcCollector::LastGood DmarcCollector::Evaluate(const DmarcTarget& target,
                                                  const DmarcCheckResult& result) const {
  LastGood values;
  const DmarcRecord* record = result.record ? &*result.record : nullptr;
  values.valid = result.status == DmarcStatus::kValid;
  values.policy = result.applied_policy;
  values.pct = record != nullptr ? record->pct : 100;
  values.fallback = result.from_organizational_domain;
  values.unauthorized = UnauthorizedDestinations(result);
  values.alignment = CheckConfiguredDmarcAlignment(target, record, *psl_);
  return values;
}

Status DmarcCollector::Collect(const CollectContext& ctx, MetricSet* out) {
  for (const DmarcTarget& target : targets_) {
    if (ctx.stop.stop_requested()) return Status::Cancelled("dmarc checks cancelled");
    DmarcCheckResult result =
        RunDmarcCheck(*resolver_, *psl_, target.domain, ctx.deadline, ctx.stop);
    LastGood& values = last_good_[target.domain];
    if (result.status != DmarcStatus::kDnsError) values = Evaluate(target, result);
    AddMetrics(target.domain, result.status, values.valid, values.policy, values.pct,
               values.fallback, values.unauthorized, values.alignment, out);
  }
  return Status::OK();
}

std::vector<ProbeModule> DmarcCollector::ProbeModules() {
  return {{"dmarc", "DMARC record, policy and report authorization for target=<configured domain>",
           [this](const ProbeRequest& request, MetricSet* out) -> StatusOr<bool> {
             std::string domain = NormalizeDnsName(request.target);
             auto it = std::find_if(targets_.begin(), targets_.end(),
                                    [&](const DmarcTarget& t) { return t.domain == domain; });
             if (it == targets_.end()) {
               return Status::PermissionDenied("target " + request.target +
                                               " is not a configured sender domain");
             }
             DmarcCheckResult result =
                 RunDmarcCheck(*resolver_, *psl_, domain, request.deadline, request.stop);
             LastGood v = Evaluate(*it, result);
             AddMetrics(domain, result.status, v.valid, v.policy, v.pct, v.fallback, v.unauthorized,
                        v.alignment, out);
             return DmarcCheckPassed(result);
           }}};
}

CollectorSpec DmarcCollectorSpec() {
  using std::chrono::minutes;
  return {{"dmarc", true, minutes(15), minutes(2)},
          "DMARC of every configured domain: record, applied policy, report authorization, "
          "alignment.",
          NewDmarcCollector,
          kDmarcFamilies};
}

StatusOr<std::unique_ptr<Collector>> NewDmarcCollector(const CollectorEnv& env,
                                                       ConfigNode& options) {
  if (Status s = options.Finish(); !s.ok()) return s;
  std::vector<DmarcTarget> targets = DmarcTargetsFromConfig(env.config);
  StatusOr<std::shared_ptr<const PublicSuffixList>> psl = LoadSystemPublicSuffixList();
  if (!psl.ok()) return psl.status();
  StatusOr<std::shared_ptr<Resolver>> resolver = ResolverIfNeeded(env, !targets.empty());
  if (!resolver.ok()) return resolver.status();
  return std::unique_ptr<Collector>(new DmarcCollector(std::move(targets), *resolver, *psl));
}

}  // namespace mailrep
