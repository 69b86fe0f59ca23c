#include "collectors/auth/dkim_collector.h"

#include "collectors/dns/dns_engine.h"
#include "collectors/dns/resolver_lookup.h"

namespace mailrep {
namespace {

using prometheus::MetricType;

constexpr MetricFamily kDkimKeyStatus{
    "mailrep_dkim_key_status",
    MetricType::Gauge,
    {"domain", "selector", "status"},
    "1 for the state of the published DKIM key (valid, missing, revoked, weak, invalid, "
    "mismatch, dns_error), 0 for the others.",
    true};
constexpr MetricFamily kDkimKeyBits{
    "mailrep_dkim_key_bits",
    MetricType::Gauge,
    {"domain", "selector"},
    "Size of the published DKIM key (RSA modulus bits, 256 for ed25519, 0 when none decoded).",
    true};
constexpr MetricFamily kDkimKeyTesting{"mailrep_dkim_key_testing",
                                       MetricType::Gauge,
                                       {"domain", "selector"},
                                       "1 when the published DKIM key still says t=y (testing).",
                                       true};
constexpr MetricFamily kDkimSigningKeyStatus{
    "mailrep_dkim_signing_key_status",
    MetricType::Gauge,
    {"domain", "selector", "status"},
    "1 for whether the configured signing key file matches the published key (match, mismatch, "
    "unreadable, not_checked), 0 for the others.",
    true};

constexpr MetricFamily kDkimFamilies[] = {kDkimKeyStatus, kDkimKeyBits, kDkimKeyTesting,
                                          kDkimSigningKeyStatus};

constexpr DkimSigningKeyMatch kAllSigningKeyStates[] = {
    DkimSigningKeyMatch::kMatch, DkimSigningKeyMatch::kMismatch, DkimSigningKeyMatch::kUnreadable,
    DkimSigningKeyMatch::kNotChecked};

}  // namespace

DkimKeyCheckResult RunDkimCheck(Resolver& resolver, const DkimKeyCheckRequest& target,
                                SteadyTime deadline, std::stop_token stop) {
  ResolverLookup dns(resolver, kAuthLookupTimeout, deadline, stop);
  return CheckDkimKey(target, dns);
}

std::vector<DkimKeyCheckRequest> DkimTargetsFromConfig(const Config& config,
                                                       const std::string& root) {
  std::vector<DkimKeyCheckRequest> targets;
  for (const SenderConfig& sender : config.senders) {
    for (const DkimKeyConfig& key : sender.dkim) {
      targets.push_back(
          {key.domain, key.selector, key.key_file.empty() ? "" : root + key.key_file});
    }
  }
  return targets;
}

void AddDkimMetrics(const DkimKeyCheckRequest& target, const DkimKeyCheckResult& result,
                    MetricSet* out) {
  std::vector<std::string_view> statuses;
  for (DkimKeyStatus s : kAllDkimKeyStatuses) statuses.push_back(DkimKeyStatusName(s));
  out->AddOneHot(kDkimKeyStatus, {target.domain, target.selector}, statuses,
                 DkimKeyStatusName(result.status));
  out->Add(kDkimKeyBits, {target.domain, target.selector}, result.key_bits);
  out->Add(kDkimKeyTesting, {target.domain, target.selector}, result.testing ? 1 : 0);
  std::vector<std::string_view> signing;
  for (DkimSigningKeyMatch m : kAllSigningKeyStates) signing.push_back(DkimSigningKeyMatchName(m));
  out->AddOneHot(kDkimSigningKeyStatus, {target.domain, target.selector}, signing,
                 DkimSigningKeyMatchName(result.signing_key));
}

DkimCollector::DkimCollector(std::vector<DkimKeyCheckRequest> targets,
                             std::shared_ptr<Resolver> resolver)
    : targets_(std::move(targets)), resolver_(std::move(resolver)) {}

Status DkimCollector::Collect(const CollectContext& ctx, MetricSet* out) {
  for (const DkimKeyCheckRequest& target : targets_) {
    if (ctx.stop.stop_requested()) return Status::Cancelled("dkim checks cancelled");
    AddDkimMetrics(target, RunDkimCheck(*resolver_, target, ctx.deadline, ctx.stop), out);
  }
  return Status::OK();
}

std::vector<ProbeModule> DkimCollector::ProbeModules() {
  return {{"dkim", "DKIM key record for target=<configured domain>&selector=<selector>",
           [this](const ProbeRequest& request, MetricSet* out) -> StatusOr<bool> {
             auto selector = request.params.find("selector");
             if (selector == request.params.end() || selector->second.empty()) {
               return Status::InvalidArgument("the dkim module needs a selector parameter");
             }
             if (Status s = ValidateDkimSelector(selector->second); !s.ok()) return s;
             std::string domain = NormalizeDnsName(request.target);
             bool configured = false;
             for (const DkimKeyCheckRequest& t : targets_) {
               configured |= NormalizeDnsName(t.domain) == domain;
             }
             if (!configured) {
               return Status::PermissionDenied("target " + request.target +
                                               " is not a configured DKIM domain");
             }
             DkimKeyCheckRequest target{domain, selector->second, ""};
             for (const DkimKeyCheckRequest& t : targets_) {
               if (NormalizeDnsName(t.domain) == domain && t.selector == target.selector) {
                 target.signing_key_path = t.signing_key_path;
               }
             }
             DkimKeyCheckResult result =
                 RunDkimCheck(*resolver_, target, request.deadline, request.stop);
             AddDkimMetrics(target, result, out);
             return result.status == DkimKeyStatus::kValid;
           }}};
}

CollectorSpec DkimCollectorSpec() {
  using std::chrono::minutes;
  return {{"dkim", true, minutes(15), minutes(2)},
          "Published DKIM keys: found, strong, not revoked, matching the signing key file.",
          NewDkimCollector,
          kDkimFamilies};
}

StatusOr<std::unique_ptr<Collector>> NewDkimCollector(const CollectorEnv& env,
                                                      ConfigNode& options) {
  if (Status s = options.Finish(); !s.ok()) return s;
  std::vector<DkimKeyCheckRequest> targets = DkimTargetsFromConfig(env.config, env.root);
  StatusOr<std::shared_ptr<Resolver>> resolver = ResolverIfNeeded(env, !targets.empty());
  if (!resolver.ok()) return resolver.status();
  return std::unique_ptr<Collector>(new DkimCollector(std::move(targets), *resolver));
}

}  // namespace mailrep
