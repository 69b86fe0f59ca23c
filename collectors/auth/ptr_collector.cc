#include "collectors/auth/ptr_collector.h"

#include "collectors/dns/dns_engine.h"
#include "collectors/dns/resolver_lookup.h"
#include "exporter/config/name_validation.h"

namespace mailrep {
namespace {

using prometheus::MetricType;

constexpr MetricFamily kPtrStatus{
    "mailrep_ptr_status",
    MetricType::Gauge,
    {"ip", "status"},
    "1 for the reverse-DNS state of the sending IP (ok, missing, not_forward_confirmed, "
    "helo_mismatch, generic, dns_error), 0 for the others.",
    true};
constexpr MetricFamily kPtrNames{
    "mailrep_ptr_names", MetricType::Gauge, {"ip"}, "PTR names the sending IP has.", true};

constexpr MetricFamily kPtrFamilies[] = {kPtrStatus, kPtrNames};

std::vector<std::string_view> AllStatusNames() {
  std::vector<std::string_view> names;
  for (PtrStatus s : kAllPtrStatuses) names.push_back(PtrStatusName(s));
  return names;
}

}  // namespace

PtrCheckResult RunPtrCheck(Resolver& resolver, const PtrCheckRequest& target, SteadyTime deadline,
                           std::stop_token stop) {
  ResolverLookup dns(resolver, kAuthLookupTimeout, deadline, stop);
  return CheckPtr(target, dns);
}

std::vector<PtrCheckRequest> PtrTargetsFromConfig(const Config& config, uint64_t max_per_block) {
  std::vector<PtrCheckRequest> targets;
  for (const SenderConfig& sender : config.senders) {
    for (const IpNetwork& network : sender.ips) {
      for (const IpAddress& ip : network.Addresses(max_per_block)) {
        targets.push_back({ip, sender.helo});
      }
    }
  }
  return targets;
}

void AddPtrMetrics(const PtrCheckRequest& target, const PtrCheckResult& result, MetricSet* out) {
  std::string ip = target.ip.ToString();
  out->AddOneHot(kPtrStatus, {ip}, AllStatusNames(), PtrStatusName(result.status));
  out->Add(kPtrNames, {ip}, static_cast<double>(result.ptr_names.size()));
}

PtrCollector::PtrCollector(std::vector<PtrCheckRequest> targets, std::shared_ptr<Resolver> resolver)
    : targets_(std::move(targets)), resolver_(std::move(resolver)) {}

Status PtrCollector::Collect(const CollectContext& ctx, MetricSet* out) {
  for (const PtrCheckRequest& target : targets_) {
    if (ctx.stop.stop_requested()) return Status::Cancelled("ptr checks cancelled");
    AddPtrMetrics(target, RunPtrCheck(*resolver_, target, ctx.deadline, ctx.stop), out);
  }
  return Status::OK();
}

std::vector<ProbeModule> PtrCollector::ProbeModules() {
  return {{"ptr", "PTR, forward confirmation and HELO for target=<configured IP>[&helo=<name>]",
           [this](const ProbeRequest& request, MetricSet* out) -> StatusOr<bool> {
             StatusOr<IpAddress> ip = IpAddress::Parse(request.target);
             if (!ip.ok()) return ip.status();
             const PtrCheckRequest* configured = nullptr;
             for (const PtrCheckRequest& t : targets_) {
               if (t.ip == *ip) configured = &t;
             }
             if (configured == nullptr) {
               return Status::PermissionDenied("target " + request.target +
                                               " is not a configured sending IP");
             }
             PtrCheckRequest target = *configured;
             if (auto helo = request.params.find("helo"); helo != request.params.end()) {
               // A malformed name is the caller's mistake, not a DNS error
               // ("helo=" with no value skips the HELO check).
               Status valid = helo->second.empty() ? Status::OK() : ValidateHostname(helo->second);
               if (!valid.ok()) return Status::InvalidArgument("helo: " + valid.message());
               target.helo_name = helo->second;
             }
             PtrCheckResult result =
                 RunPtrCheck(*resolver_, target, request.deadline, request.stop);
             AddPtrMetrics(target, result, out);
             return result.status == PtrStatus::kOk;
           }}};
}

CollectorSpec PtrCollectorSpec() {
  using std::chrono::minutes;
  return {{"ptr", true, minutes(15), minutes(2)},
          "Reverse DNS of every sending IP: PTR, forward confirmation, HELO, generic names.",
          NewPtrCollector,
          kPtrFamilies};
}

StatusOr<std::unique_ptr<Collector>> NewPtrCollector(const CollectorEnv& env, ConfigNode& options) {
  int64_t max_per_block = options.GetInt("max_addresses_per_block", 256, 1, 65536);
  if (Status s = options.Finish(); !s.ok()) return s;
  std::vector<PtrCheckRequest> targets = PtrTargetsFromConfig(env.config, max_per_block);
  StatusOr<std::shared_ptr<Resolver>> resolver = ResolverIfNeeded(env, !targets.empty());
  if (!resolver.ok()) return resolver.status();
  return std::unique_ptr<Collector>(new PtrCollector(std::move(targets), *resolver));
}

}  // namespace mailrep
