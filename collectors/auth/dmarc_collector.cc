#include "collectors/auth/dmarc_collector.h"

#include <algorithm>

#include "collectors/dns/dns_engine.h"
#include "collectors/dns/resolver_lookup.h"
#include "exporter/core/check_args.h"
#include "exporter/util/json_string.h"

namespace mailrep {
namespace {

constexpr std::chrono::milliseconds kPerLookup{5000};

void AddUnique(std::vector<std::string>* names, const std::string& name) {
  std::string normalized = NormalizeDnsName(name);
  if (std::find(names->begin(), names->end(), normalized) == names->end()) {
    names->push_back(normalized);
  }
}

int UnauthorizedDestinations(const DmarcCheckResult& result) {
  return static_cast<int>(std::count_if(result.destinations.begin(), result.destinations.end(),
                                        [](const DmarcReportDestination& d) {
                                          return d.status == DmarcDestinationStatus::kNotAuthorized;
                                        }));
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

std::string JsonList(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + JsonQuote(items[i]);
  return out + "]";
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
  ResolverLookup dns(resolver, kPerLookup, deadline, stop);
  return CheckDmarc(domain, dns, psl);
}

void PrintDmarcCheck(const DmarcCheckResult& r, const DmarcConfiguredAlignment* alignment,
                     bool json, std::ostream& out) {
  const DmarcRecord* record = r.record ? &*r.record : nullptr;
  std::string policy = r.applied_policy ? DmarcPolicyName(*r.applied_policy) : "";
  if (json) {
    out << "{\"domain\": " << JsonQuote(r.domain)
        << ", \"status\": " << JsonQuote(DmarcStatusName(r.status))
        << ", \"organizational_domain\": " << JsonQuote(r.organizational_domain)
        << ", \"record_domain\": " << JsonQuote(r.record_domain)
        << ", \"from_organizational_domain\": " << (r.from_organizational_domain ? "true" : "false")
        << ", \"records_found\": " << r.records_found
        << ", \"record\": " << JsonQuote(r.record_text)
        << ", \"policy\": " << (policy.empty() ? "null" : JsonQuote(policy))
        << ", \"pct\": " << (record ? record->pct : 100) << ", \"adkim\": "
        << JsonQuote(DmarcAlignmentModeName(record ? record->adkim : DmarcAlignmentMode::kRelaxed))
        << ", \"aspf\": "
        << JsonQuote(DmarcAlignmentModeName(record ? record->aspf : DmarcAlignmentMode::kRelaxed));
    if (alignment != nullptr) {
      out << ", \"spf_aligned\": " << (alignment->spf_aligned ? "true" : "false")
          << ", \"dkim_aligned\": " << (alignment->dkim_aligned ? "true" : "false");
    }
    out << ", \"report_destinations\": [";
    for (size_t i = 0; i < r.destinations.size(); ++i) {
      const DmarcReportDestination& d = r.destinations[i];
      out << (i ? ", " : "") << "{\"tag\": " << JsonQuote(d.tag)
          << ", \"uri\": " << JsonQuote(d.uri)
          << ", \"external\": " << (d.external ? "true" : "false")
          << ", \"authorization_name\": " << JsonQuote(d.authorization_name)
          << ", \"status\": " << JsonQuote(DmarcDestinationStatusName(d.status)) << "}";
    }
    out << "], \"details\": " << JsonList(r.details) << "}";
    return;
  }
  out << "DMARC for " << r.domain << ": " << DmarcStatusName(r.status) << "\n";
  if (!r.record_domain.empty()) {
    out << "  record at:    _dmarc." << r.record_domain
        << (r.from_organizational_domain ? "  (organizational domain fallback)" : "") << "\n"
        << "  record:       " << r.record_text << "\n";
  }
  out << "  policy:       " << (policy.empty() ? "(no DMARC applies)" : policy);
  if (record != nullptr && !policy.empty()) {
    out << ", pct " << record->pct << ", aspf " << DmarcAlignmentModeName(record->aspf)
        << ", adkim " << DmarcAlignmentModeName(record->adkim);
  }
  out << "\n";
  if (alignment != nullptr) {
    out << "  alignment:    SPF " << (alignment->spf_aligned ? "aligned" : "not aligned")
        << ", DKIM " << (alignment->dkim_aligned ? "aligned" : "not aligned")
        << " (configured identities)\n";
  }
  for (const DmarcReportDestination& d : r.destinations) {
    out << "  " << d.tag << ":          " << d.uri;
    if (d.external) out << "  " << DmarcDestinationStatusName(d.status);
    out << "\n";
  }
  for (const std::string& d : r.details) out << "  " << d << "\n";
}

bool DmarcCheckPassed(const DmarcCheckResult& result) {
  return result.status == DmarcStatus::kValid && UnauthorizedDestinations(result) == 0;
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

namespace {

int RunCheckDmarc(const CheckCommandContext& ctx) {
  StatusOr<CheckArgs> args = CheckArgs::Parse(ctx.args, {"domain", "dns-server", "format"});
  if (!args.ok()) {
    ctx.err << "check dmarc: " << args.status().message() << "\n";
    return 2;
  }
  std::string format = args->Get("format", "text");
  std::string domain = args->Get("domain");
  if (domain.empty() || !args->positionals.empty() || (format != "text" && format != "json")) {
    ctx.err << "usage: mailrep_exporter " << kDmarcCheckCommand.usage << "\n";
    return 2;
  }
  StatusOr<std::shared_ptr<const PublicSuffixList>> psl = LoadSystemPublicSuffixList();
  if (!psl.ok()) {
    ctx.err << "check dmarc: " << psl.status().message() << "\n";
    return 2;
  }
  StatusOr<std::shared_ptr<Resolver>> resolver =
      StartDnsEngineForCheck(args->GetAll("dns-server"), ctx.resolv_conf);
  if (!resolver.ok()) {
    ctx.err << "check dmarc: " << resolver.status().message() << "\n";
    return 2;
  }
  DmarcCheckResult r = RunDmarcCheck(**resolver, **psl, domain,
                                     std::chrono::steady_clock::now() + std::chrono::seconds(30));
  PrintDmarcCheck(r, nullptr, format == "json", ctx.out);
  if (format == "json") ctx.out << "\n";
  return DmarcCheckPassed(r) ? 0 : 1;
}

}  // namespace

const CheckCommand kDmarcCheckCommand = {
    "dmarc", "check dmarc --domain DOMAIN [--dns-server HOST:PORT]... [--format text|json]",
    "The domain's DMARC record: found (or inherited), valid, policy, report authorization.",
    RunCheckDmarc};

}  // namespace mailrep
