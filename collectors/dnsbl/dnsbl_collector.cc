#include "collectors/dnsbl/dnsbl_collector.h"

#include <algorithm>
#include <chrono>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "collectors/dns/dns_engine.h"
#include "exporter/core/log.h"

namespace mailrep {
namespace {

using prometheus::MetricType;

constexpr MetricFamily kListed{
    "mailrep_dnsbl_listed",
    MetricType::Gauge,
    {"ip", "dnsbl"},
    "1 if the IP address is listed on the DNSBL (a listing code from a healthy list), else 0; "
    "the collector exports every target and list from its first run, except in sender blocks "
    "larger than collectors.dnsbl.detail_max_block_addresses: only their listed addresses (1).",
    true};
constexpr MetricFamily kListingInfo{
    "mailrep_dnsbl_listing_info",
    MetricType::Gauge,
    {"ip", "dnsbl", "code", "meaning"},
    "One series per listing code the DNSBL returned for the IP address (ZEN may return several), "
    "with its meaning; always 1.",
    true};
constexpr MetricFamily kListedLists{"mailrep_dnsbl_listed_lists",
                                    MetricType::Gauge,
                                    {"ip"},
                                    "Number of DNSBLs currently listing the IP address (in a "
                                    "block larger than detail_max_block_addresses: only "
                                    "addresses listed somewhere).",
                                    true};
constexpr MetricFamily kAllowlisted{
    "mailrep_dnsbl_allowlisted",
    MetricType::Gauge,
    {"ip", "dnsbl"},
    "1 if an allowlist (list.dnswl.org, Mailspike H1-H5, ...) lists the IP address as a good "
    "sender, else 0 (in a block larger than detail_max_block_addresses: only allowlisted "
    "addresses, 1).",
    true};
constexpr MetricFamily kLastCheck{
    "mailrep_dnsbl_last_check_timestamp_seconds",
    MetricType::Gauge,
    {"ip"},
    "Unix time of the last run in which every healthy DNSBL answered for the IP address; 0 "
    "before the first. Not for addresses of blocks larger than detail_max_block_addresses (see "
    "mailrep_dnsbl_block_last_check_timestamp_seconds).",
    true};
constexpr MetricFamily kDomainListed{
    "mailrep_dnsbl_domain_listed",
    MetricType::Gauge,
    {"domain", "dnsbl"},
    "1 if the domain is listed on the DNSBL (a listing code from a healthy list), else 0; the "
    "collector exports every target and list from its first run.",
    true};
constexpr MetricFamily kDomainListingInfo{
    "mailrep_dnsbl_domain_listing_info",
    MetricType::Gauge,
    {"domain", "dnsbl", "code", "meaning"},
    "One series per listing code the DNSBL returned for the domain, with its meaning; always 1.",
    true};
constexpr MetricFamily kDomainListedLists{"mailrep_dnsbl_domain_listed_lists",
                                          MetricType::Gauge,
                                          {"domain"},
                                          "Number of DNSBLs currently listing the domain.",
                                          true};
constexpr MetricFamily kDomainAllowlisted{
    "mailrep_dnsbl_domain_allowlisted",
    MetricType::Gauge,
    {"domain", "dnsbl"},
    "1 if an allowlist lists the domain as a good sender, else 0.",
    true};
constexpr MetricFamily kDomainLastCheck{
    "mailrep_dnsbl_domain_last_check_timestamp_seconds",
    MetricType::Gauge,
    {"domain"},
    "Unix time of the last run in which every healthy DNSBL answered for the domain; 0 before "
    "the first.",
    true};
constexpr MetricFamily kListHealthy{
    "mailrep_dnsbl_list_healthy",
    MetricType::Gauge,
    {"dnsbl"},
    "1 if the DNSBL answered its RFC 5782 test points correctly this run, else 0 (its listings "
    "are then not reported).",
    true};
constexpr MetricFamily kListInfo{
    "mailrep_dnsbl_list_info",
    MetricType::Gauge,
    {"dnsbl", "severity"},
    "Each configured DNSBL with its severity (major: widely used to reject mail, minor), for "
    "alert routing; always 1.",
    true};
constexpr MetricFamily kLookupErrors{
    "mailrep_dnsbl_lookup_errors_total",
    MetricType::Counter,
    {"dnsbl", "reason"},
    "DNSBL lookups (targets and test points) that gave no verdict, by reason: timeout, "
    "servfail, refused, refusal_code (the list's own error answer: fix the resolver or the "
    "volume), unexpected_answer, malformed, other, budget_exhausted (not sent: the daily "
    "query budget of the list's budget group is spent).",
    true};
constexpr MetricFamily kTargets{
    "mailrep_dnsbl_targets",
    MetricType::Gauge,
    {"kind"},
    "Targets checked against the DNSBLs (senders' addresses and domains, or the host's public "
    "addresses), by kind: ip or domain.",
    true};
constexpr MetricFamily kSeenTargets{
    "mailrep_dnsbl_seen_targets",
    MetricType::Gauge,
    {},
    "Targets of this run that are sending IPs the delivery collector saw within "
    "collectors.dnsbl.seen_senders.window and no configured target (at most its max); only "
    "with seen_senders enabled.",
    true};
constexpr MetricFamily kLookupFailed{
    "mailrep_dnsbl_lookup_failed",
    MetricType::Gauge,
    {"dnsbl", "reason"},
    "/probe?module=dnsbl only: 1 for each DNSBL that gave no verdict for the target during this "
    "probe, by reason (unhealthy or a lookup error kind)."};

constexpr MetricFamily kQueryBudget{
    "mailrep_dnsbl_query_budget_queries",
    MetricType::Gauge,
    {"budget_group"},
    "A DNSBL budget group's daily query budget: queries per UTC day the exporter's DNS engine "
    "sends all the group's lists together at most (an operator's free use, which covers all its "
    "zones: catalogue budget_groups, or collectors.dnsbl.query_budgets; a list budgeted alone is "
    "a group named after its zone); only groups of checked lists.",
    true};
constexpr MetricFamily kQueryBudgetSpent{
    "mailrep_dnsbl_query_budget_spent_queries",
    MetricType::Gauge,
    {"budget_group"},
    "Queries sent to the budget group's DNSBLs so far this UTC day by the exporter's DNS engine "
    "(sweeps and /probe; cache hits and coalesced queries excepted); resets at midnight UTC.",
    true};
constexpr MetricFamily kQueryBudgetProjected{
    "mailrep_dnsbl_query_budget_projected_queries",
    MetricType::Gauge,
    {"budget_group"},
    "Queries per day the budget group's DNSBLs would get together with a sweep every collector "
    "interval (targets and test points, before caching); above the budget, their sweeps are "
    "stretched.",
    true};
constexpr MetricFamily kEffectiveInterval{
    "mailrep_dnsbl_effective_interval_seconds",
    MetricType::Gauge,
    {"dnsbl"},
    "Seconds between sweeps of the DNSBL now: the collector's interval, or longer when its "
    "budget group's daily query budget cannot pay for a sweep of the group's lists every "
    "interval (they all stretch to the same interval).",
    true};
constexpr MetricFamily kBudgetStretched{
    "mailrep_dnsbl_budget_stretched",
    MetricType::Gauge,
    {"dnsbl"},
    "1 when the DNSBL's sweeps are stretched beyond the collector's interval to stay within its "
    "budget group's daily query budget (its results are then older, see the last_check "
    "timestamps), else 0.",
    true};

constexpr MetricFamily kHostAddressErrors{
    "mailrep_dnsbl_host_address_errors_total",
    MetricType::Counter,
    {},
    "Runs that could not list the host's own addresses, which are the targets when no senders "
    "are configured; such a run checks nothing.",
    true};

constexpr MetricFamily kMirrorAge{
    "mailrep_dnsbl_mirror_age_seconds",
    MetricType::Gauge,
    {"dnsbl"},
    "Age of the local mirror data in use for the DNSBL: seconds since its file was modified; "
    "absent until the file first loads.",
    true};
constexpr MetricFamily kMirrorLastLoadSuccess{
    "mailrep_dnsbl_mirror_last_load_success",
    MetricType::Gauge,
    {"dnsbl"},
    "1 if the latest load of the DNSBL's local mirror file succeeded, else 0 (the data loaded "
    "before, if any, stays in use).",
    true};
constexpr MetricFamily kMirrorEntries{
    "mailrep_dnsbl_mirror_entries",
    MetricType::Gauge,
    {"dnsbl"},
    "Entries (listings and exclusions) in the local mirror data in use for the DNSBL; 0 until "
    "the file first loads.",
    true};
constexpr MetricFamily kMirrorLoadFailures{
    "mailrep_dnsbl_mirror_load_failures_total",
    MetricType::Counter,
    {"dnsbl"},
    "Failed loads of the DNSBL's local mirror file (unreadable, missing, half-written or stamped "
    "in the future), one per version of the file.",
    true};

// Summary blocks (dnsbl_config.h): per-(block, list) counts instead of
// per-address series for the clean addresses.
constexpr MetricFamily kBlockListedAddresses{
    "mailrep_dnsbl_block_listed_addresses",
    MetricType::Gauge,
    {"block", "dnsbl"},
    "Addresses of a sender block larger than collectors.dnsbl.detail_max_block_addresses that "
    "the DNSBL lists (a listing code from a healthy list); its listed addresses also have "
    "mailrep_dnsbl_listed series, its clean ones none.",
    true};
constexpr MetricFamily kBlockCheckedAddresses{
    "mailrep_dnsbl_block_checked_addresses",
    MetricType::Gauge,
    {"block", "dnsbl"},
    "Addresses of a sender block larger than collectors.dnsbl.detail_max_block_addresses (those "
    "this replica checks) with a verdict from the DNSBL: the total the listed addresses are out "
    "of.",
    true};
constexpr MetricFamily kBlockLastCheck{
    "mailrep_dnsbl_block_last_check_timestamp_seconds",
    MetricType::Gauge,
    {"block"},
    "For a sender block larger than collectors.dnsbl.detail_max_block_addresses: the oldest of "
    "its addresses' last complete runs (Unix time of the last run in which every healthy DNSBL "
    "answered for the address); 0 while one has had none.",
    true};

constexpr MetricFamily kDnsblFamilies[] = {kListed,
                                           kListingInfo,
                                           kListedLists,
                                           kAllowlisted,
                                           kLastCheck,
                                           kDomainListed,
                                           kDomainListingInfo,
                                           kDomainListedLists,
                                           kDomainAllowlisted,
                                           kDomainLastCheck,
                                           kListHealthy,
                                           kListInfo,
                                           kLookupErrors,
                                           kTargets,
                                           kSeenTargets,
                                           kLookupFailed,
                                           kHostAddressErrors,
                                           kQueryBudget,
                                           kQueryBudgetSpent,
                                           kQueryBudgetProjected,
                                           kEffectiveInterval,
                                           kBudgetStretched,
                                           kMirrorAge,
                                           kMirrorLastLoadSuccess,
                                           kMirrorEntries,
                                           kMirrorLoadFailures,
                                           kBlockListedAddresses,
                                           kBlockCheckedAddresses,
                                           kBlockLastCheck};

struct Names {
  const MetricFamily *listed, *listing_info, *listed_lists, *allowlisted, *last_check;
};

const Names& NamesFor(DnsblKind kind) {
  static constexpr Names ip{&kListed, &kListingInfo, &kListedLists, &kAllowlisted, &kLastCheck};
  static constexpr Names domain{&kDomainListed, &kDomainListingInfo, &kDomainListedLists,
                                &kDomainAllowlisted, &kDomainLastCheck};
  return kind == DnsblKind::kDomain ? domain : ip;
}

void DeclareTargetFamilies(MetricSet* out) {
  for (DnsblKind kind : {DnsblKind::kIp4, DnsblKind::kDomain}) {
    const Names& n = NamesFor(kind);
    for (const MetricFamily* f :
         {n.listed, n.listing_info, n.listed_lists, n.allowlisted, n.last_check}) {
      out->Declare(*f);
    }
  }
}

bool HasClass(const DnsblResult& r, DnsblCodeClass c) {
  for (const DnsblMatch& m : r.matches) {
    if (m.code_class == c) return true;
  }
  return false;
}

// Adds one target's per-list series; returns how many lists list it.
int EmitTargetList(const DnsblTarget& t, const DnsblList& list, const DnsblResult* result,
                   MetricSet* out) {
  const Names& n = NamesFor(t.kind);
  bool listed = result != nullptr && result->verdict == DnsblVerdict::kListed;
  if (list.has_listing_codes()) {
    out->Add(*n.listed, {t.value, list.zone}, listed ? 1 : 0);
    if (listed) {
      for (const DnsblMatch& m : result->matches) {
        if (m.code_class != DnsblCodeClass::kListed) continue;
        out->Add(*n.listing_info, {t.value, list.zone, m.code, m.meaning}, 1);
      }
    }
  }
  if (list.has_allowlisting_codes()) {
    bool allowlisted = result != nullptr && HasClass(*result, DnsblCodeClass::kAllowlisted);
    out->Add(*n.allowlisted, {t.value, list.zone}, allowlisted ? 1 : 0);
  }
  return listed ? 1 : 0;
}

}  // namespace

DnsblCollector::DnsblCollector(DnsblSettings settings, ResolverFactory resolver_factory,
                               std::unique_ptr<InterfaceLister> lister,
                               std::shared_ptr<const Clock> clock, const std::string& root,
                               std::shared_ptr<SeenSendingIps> seen,
                               std::shared_ptr<QueryBudget> budget)
    : settings_(std::move(settings)),
      resolver_factory_(std::move(resolver_factory)),
      lister_(std::move(lister)),
      clock_(std::move(clock)),
      seen_(std::move(seen)),
      budget_(std::move(budget)),
      mirrors_(settings_.mirrors, root) {
  for (const DnsblListConfig& c : settings_.lists) {
    needs_dns_ |= std::none_of(settings_.mirrors.begin(), settings_.mirrors.end(),
                               [&](const DnsblMirrorConfig& m) { return m.zone == c.list.zone; });
  }
}

StatusOr<Resolver*> DnsblCollector::GetResolver() {
  if (!needs_dns_) return nullptr;
  std::lock_guard lock(resolver_mu_);
  if (!resolver_) {
    StatusOr<std::shared_ptr<Resolver>> made = resolver_factory_();
    if (!made.ok()) return made.status().Annotate("starting the DNS resolver");
    resolver_ = *made;
  }
  return resolver_.get();
}

const std::vector<DnsblTarget>& DnsblCollector::CurrentTargets(std::vector<DnsblTarget>* owned) {
  bool host_addresses = settings_.use_host_addresses && lister_;
  bool seen_senders = settings_.seen_senders.enabled && seen_;
  if (settings_.shard.total <= 1 && !host_addresses && !seen_senders) {
    seen_targets_ = 0;
    return settings_.targets;
  }
  std::vector<DnsblTarget>& targets = *owned;
  targets.clear();
  for (const DnsblTarget& t : settings_.targets) {
    if (settings_.shard.Owns(t.value)) targets.push_back(t);
  }
  if (host_addresses) {
    StatusOr<std::vector<InterfaceAddress>> addresses = lister_->List();
    if (!addresses.ok()) {
      ++host_address_errors_;
      LogWarn("Cannot list the host's addresses for DNSBL checks",
              {{"error", addresses.status().message()}});
      return targets;
    }
    std::set<std::string> seen;
    for (const DnsblTarget& t : targets) seen.insert(t.value);
    for (const InterfaceAddress& a : *addresses) {
      if (!a.is_public) continue;
      DnsblTarget t = IpTarget(a.address);
      if (!settings_.shard.Owns(t.value)) continue;
      if (seen.insert(t.value).second) targets.push_back(std::move(t));
    }
  }
  AddSeenSenders(&targets);
  return targets;
}

void DnsblCollector::AddSeenSenders(std::vector<DnsblTarget>* targets) {
  seen_targets_ = 0;
  if (!settings_.seen_senders.enabled || !seen_) return;
  // Every replica's configured targets (settings_) and this run's host addresses.
  std::unordered_set<std::string_view> configured;
  for (const DnsblTarget& t : settings_.targets) configured.insert(t.value);
  for (const DnsblTarget& t : *targets) configured.insert(t.value);
  // The first `max` across every replica, so shards split one set.
  // (Appended after the loop: `configured` views the strings of *targets.)
  std::vector<DnsblTarget> added;
  size_t taken = 0;
  for (const SeenSendingIps::Entry& e :
       seen_->Recent(clock_->UnixSeconds(), settings_.seen_senders.window)) {
    if (taken == settings_.seen_senders.max) break;
    DnsblTarget t = IpTarget(e.address);
    if (configured.count(t.value) > 0) continue;
    ++taken;
    if (settings_.shard.Owns(t.value)) added.push_back(std::move(t));
  }
  seen_targets_ = added.size();
  targets->insert(targets->end(), std::make_move_iterator(added.begin()),
                  std::make_move_iterator(added.end()));
}

Status DnsblCollector::Collect(const CollectContext& ctx, MetricSet* out) {
  int64_t now_unix = clock_->UnixSeconds();
  mirrors_.Refresh(now_unix);
  EmitMirrors(out);
  std::vector<DnsblTarget> owned;
  const std::vector<DnsblTarget>& targets = CurrentTargets(&owned);
  if (targets.empty()) {
    Emit(targets, nullptr, out);
    return Status::OK();
  }
  StatusOr<Resolver*> resolver = GetResolver();
  if (!resolver.ok()) return resolver.status();
  // Lookups end a little before the run's deadline, so a sweep slowed by rate
  // limits finishes with timeouts (keeping last values) rather than being
  // cancelled as a whole.
  auto now_steady = std::chrono::steady_clock::now();
  SteadyTime query_deadline = ctx.deadline;
  if (ctx.deadline > now_steady) {
    query_deadline -= std::min<std::chrono::steady_clock::duration>(
        std::chrono::seconds(2), (ctx.deadline - now_steady) / 10);
  }
  DnsblLocalZones local = mirrors_.Snapshot(now_unix);
  // A list sitting this run out (its budget paced it) keeps its last results:
  // the sweep gets it with no kinds, so no target needs it.
  SteadyTime run_start = clock_->SteadyNow();
  std::vector<bool> deferred = PaceLists(targets);
  std::vector<DnsblListConfig> paced;
  if (std::find(deferred.begin(), deferred.end(), true) != deferred.end()) {
    paced = settings_.lists;
    for (size_t l = 0; l < paced.size(); ++l) {
      if (deferred[l]) paced[l].list.ip4 = paced[l].list.ip6 = paced[l].list.domain = false;
    }
  }
  DnsblSweep sweep = RunDnsblSweep(*resolver, paced.empty() ? settings_.lists : paced, targets,
                                   query_deadline, ctx.stop, &local);
  if (ctx.stop.stop_requested()) return Status::Cancelled("DNSBL sweep stopped");
  for (size_t l = 0; l < settings_.lists.size(); ++l) {
    if (sweep.lists[l].queried) last_sweep_[settings_.lists[l].list.zone] = run_start;
  }

  double now = std::chrono::duration<double>(clock_->WallNow().time_since_epoch()).count();
  for (size_t l = 0; l < settings_.lists.size(); ++l) {
    const DnsblListOutcome& outcome = sweep.lists[l];
    if (!outcome.queried) continue;
    const std::string& zone = settings_.lists[l].list.zone;
    ListState& state = list_state_[zone];
    for (size_t e = 0; e < state.errors.size(); ++e) state.errors[e] += outcome.errors[e];
    if (outcome.errors[static_cast<size_t>(DnsblError::kRefusalCode)] > 0) {
      LogWarn("DNSBL answered with its error/refusal code; check the resolver and volume",
              {{"dnsbl", zone},
               {"count", static_cast<double>(
                             outcome.errors[static_cast<size_t>(DnsblError::kRefusalCode)])}});
    }
    bool healthy = outcome.health.healthy;
    if (!state.healthy || *state.healthy != healthy) {
      if (healthy) {
        LogInfo("DNSBL healthy", {{"dnsbl", zone}});
      } else {
        LogWarn("DNSBL unhealthy; its listings are not reported",
                {{"dnsbl", zone}, {"reason", outcome.health.reason}});
      }
    }
    state.healthy = healthy;
  }

  AlignState(targets);
  for (size_t t = 0; t < targets.size(); ++t) {
    bool all_ok = true;
    bool any_healthy = false;
    for (size_t l = 0; l < settings_.lists.size(); ++l) {
      const DnsblList& list = settings_.lists[l].list;
      if (!list.Supports(targets[t].kind)) continue;
      if (deferred[l]) all_ok = false;  // not checked this run: the target's check is older
      if (!sweep.lists[l].health.healthy) continue;
      any_healthy = true;
      const DnsblResult* r = sweep.results.Get(t, l);
      if (r == nullptr || !r->ok()) {
        all_ok = false;
        continue;
      }
      // The log keeps only listed pairs: a pair neither listed now nor
      // before has nothing to log (this skips the log for clean addresses).
      const DnsblResult* before = last_good_.Get(t, l);
      if (r->verdict == DnsblVerdict::kListed ||
          (before != nullptr && before->verdict == DnsblVerdict::kListed)) {
        listing_log_.Observe(targets[t].value, list.zone, *r);
      }
      last_good_.Set(t, l, *r);
    }
    if (all_ok && any_healthy) last_check_[t] = now;
  }
  last_good_.Compact();

  Emit(targets, &sweep, out);
  return Status::OK();
}

void DnsblCollector::AdoptState(Collector& previous) {
  auto& old = dynamic_cast<DnsblCollector&>(previous);
  std::map<std::string, size_t> old_index;  // zone -> index in old.settings_.lists
  for (size_t l = 0; l < old.settings_.lists.size(); ++l) {
    old_index[old.settings_.lists[l].list.zone] = l;
  }
  for (const DnsblListConfig& c : settings_.lists) {
    auto it = old.list_state_.find(c.list.zone);
    if (it != old.list_state_.end()) list_state_[c.list.zone] = it->second;
  }
  host_address_errors_ = old.host_address_errors_;
  // Targets no longer configured are dropped by the first run, as at start-up.
  state_targets_ = old.state_targets_;
  last_check_ = old.last_check_;
  last_good_ = DnsblResultGrid(state_targets_.size(), settings_.lists.size());
  for (size_t l = 0; l < settings_.lists.size(); ++l) {
    auto it = old_index.find(settings_.lists[l].list.zone);
    if (it == old_index.end()) continue;
    for (size_t t = 0; t < state_targets_.size(); ++t) {
      last_good_.CopyCell(t, l, old.last_good_, t, it->second);
    }
  }
  mirrors_.Adopt(old.mirrors_);
  for (const DnsblListConfig& c : settings_.lists) {
    auto it = old.last_sweep_.find(c.list.zone);
    if (it != old.last_sweep_.end()) last_sweep_[c.list.zone] = it->second;
  }
}

std::vector<bool> DnsblCollector::PaceLists(const std::vector<DnsblTarget>& targets) {
  std::vector<bool> deferred(settings_.lists.size(), false);
  if (budget_ == nullptr) return deferred;
  // The budgeted lists by budget group: a group's lists share its budget, so
  // they are planned as one sweep of all of them and stretch together.
  std::map<std::string, std::vector<size_t>> groups;
  for (size_t l = 0; l < settings_.lists.size(); ++l) {
    const DnsblList& list = settings_.lists[l].list;
    if (list.daily_query_budget > 0 && !list.budget_group.empty()) {
      groups[list.budget_group].push_back(l);
    }
  }
  SteadyTime now = clock_->SteadyNow();
  std::map<std::string, DnsblPace> paces;
  for (const auto& [group, members] : groups) {
    DnsblPacingInput in;
    std::string zones;
    for (size_t l : members) {
      const DnsblList& list = settings_.lists[l].list;
      uint64_t per_sweep = 0;
      for (const DnsblTarget& t : targets) per_sweep += list.Supports(t.kind);
      if (per_sweep > 0) {
        DnsblTestPoints points = TestPointsOf(list);
        per_sweep += !points.listed_prefix.empty();
        per_sweep += !points.clean_prefix.empty();
      }
      in.per_sweep += per_sweep;
      // Since the group's latest sweep (a list added by a reload joins it).
      if (auto it = last_sweep_.find(list.zone); it != last_sweep_.end()) {
        double since = std::chrono::duration<double>(now - it->second).count();
        in.since_last_sweep = std::min(in.since_last_sweep.value_or(since), since);
      }
      zones += (zones.empty() ? "" : ",") + list.zone;
    }
    in.budget = settings_.lists[members.front()].list.daily_query_budget;
    if (std::optional<QueryBudget::Usage> usage = budget_->UsageOf(group)) {
      in.spent = usage->spent;
    }
    in.unix_now = clock_->UnixSeconds();
    in.interval = std::chrono::duration<double>(settings_.interval).count();
    DnsblPace pace = PaceDnsblList(in);
    auto before = pace_.find(group);
    bool was_stretched = before != pace_.end() && before->second.stretched;
    if (pace.stretched != was_stretched) {
      if (pace.stretched) {
        LogWarn("DNSBL sweeps stretched to stay within their budget group's daily query budget",
                {{"budget_group", group},
                 {"dnsbl", zones},
                 {"budget", static_cast<double>(in.budget)},
                 {"projected", pace.projected},
                 {"interval_seconds", pace.effective_interval}});
      } else {
        LogInfo("DNSBL sweeps back at the collector's interval",
                {{"budget_group", group}, {"dnsbl", zones}});
      }
    }
    paces[group] = pace;
    for (size_t l : members) deferred[l] = !pace.due;
  }
  pace_ = std::move(paces);
  return deferred;
}

void DnsblCollector::EmitBudgets(MetricSet* out) const {
  if (budget_ == nullptr) return;
  for (const MetricFamily* f : {&kQueryBudget, &kQueryBudgetSpent, &kQueryBudgetProjected,
                                &kEffectiveInterval, &kBudgetStretched}) {
    out->Declare(*f);
  }
  std::set<std::string_view> groups_done;
  for (const DnsblListConfig& c : settings_.lists) {
    const std::string& group = c.list.budget_group;
    if (c.list.daily_query_budget == 0 || group.empty()) continue;
    auto pace = pace_.find(group);
    if (groups_done.insert(group).second) {
      std::optional<QueryBudget::Usage> usage = budget_->UsageOf(group);
      out->Add(kQueryBudget, {group}, static_cast<double>(c.list.daily_query_budget));
      out->Add(kQueryBudgetSpent, {group}, usage ? static_cast<double>(usage->spent) : 0);
      if (pace != pace_.end()) out->Add(kQueryBudgetProjected, {group}, pace->second.projected);
    }
    if (pace == pace_.end()) continue;
    out->Add(kEffectiveInterval, {c.list.zone}, pace->second.effective_interval);
    out->Add(kBudgetStretched, {c.list.zone}, pace->second.stretched ? 1 : 0);
  }
}

void DnsblCollector::AlignState(const std::vector<DnsblTarget>& targets) {
  bool same = state_targets_.size() == targets.size();
  for (size_t t = 0; same && t < targets.size(); ++t) same = state_targets_[t] == targets[t].value;
  if (same) return;
  std::unordered_map<std::string_view, size_t> old_row;
  for (size_t r = 0; r < state_targets_.size(); ++r) old_row.emplace(state_targets_[r], r);
  size_t lists = settings_.lists.size();
  DnsblResultGrid grid(targets.size(), lists);
  std::vector<double> last_check(targets.size(), 0);
  std::vector<std::string> values;
  values.reserve(targets.size());
  for (size_t t = 0; t < targets.size(); ++t) {
    values.push_back(targets[t].value);
    auto it = old_row.find(targets[t].value);
    if (it == old_row.end()) continue;
    for (size_t l = 0; l < lists; ++l) grid.CopyCell(t, l, last_good_, it->second, l);
    last_check[t] = last_check_[it->second];
  }
  last_good_ = std::move(grid);
  last_check_ = std::move(last_check);
  state_targets_ = std::move(values);
  listing_log_.Retain(state_targets_);
}

void DnsblCollector::EmitMirrors(MetricSet* out) const {
  if (mirrors_.empty()) return;
  int64_t now_unix = clock_->UnixSeconds();
  for (const MetricFamily* f :
       {&kMirrorAge, &kMirrorLastLoadSuccess, &kMirrorEntries, &kMirrorLoadFailures}) {
    out->Declare(*f);
  }
  for (const DnsblMirrors::Entry& e : mirrors_.mirrors()) {
    RbldnsdMirrorState state = e.mirror->state();
    if (state.loaded) {
      out->Add(kMirrorAge, {e.zone},
               static_cast<double>(std::max<int64_t>(0, now_unix - state.loaded_mtime_unix)));
    }
    out->Add(kMirrorLastLoadSuccess, {e.zone}, state.last_attempt_ok ? 1 : 0);
    out->Add(kMirrorEntries, {e.zone}, static_cast<double>(state.entries));
    out->Add(kMirrorLoadFailures, {e.zone}, static_cast<double>(state.load_errors));
  }
}

void DnsblCollector::Emit(const std::vector<DnsblTarget>& targets, const DnsblSweep* sweep,
                          MetricSet* out) {
  size_t ips = 0;
  for (const DnsblTarget& t : targets) ips += t.kind != DnsblKind::kDomain;
  out->Add(kTargets, {"ip"}, static_cast<double>(ips));
  out->Add(kTargets, {"domain"}, static_cast<double>(targets.size() - ips));
  if (settings_.seen_senders.enabled) {
    out->Add(kSeenTargets, {}, static_cast<double>(seen_targets_));
  }
  if (settings_.use_host_addresses) {
    out->Add(kHostAddressErrors, {}, static_cast<double>(host_address_errors_));
  }
  out->Declare(kListInfo);
  for (const DnsblListConfig& c : settings_.lists) {
    out->Add(kListInfo, {c.list.zone, DnsblSeverityName(c.list.severity)}, 1);
  }
  EmitBudgets(out);
  if (sweep == nullptr) return;  // no targets: nothing was looked up

  out->Declare(kListHealthy);
  out->Declare(kLookupErrors);
  for (const DnsblListConfig& c : settings_.lists) {
    auto it = list_state_.find(c.list.zone);
    if (it == list_state_.end()) continue;
    if (it->second.healthy) {
      out->Add(kListHealthy, {c.list.zone}, *it->second.healthy ? 1 : 0);
    }
    for (DnsblError e : AllDnsblErrors()) {
      out->Add(kLookupErrors, {c.list.zone, DnsblErrorName(e)},
               static_cast<double>(it->second.errors[static_cast<size_t>(e)]));
    }
  }

  DeclareTargetFamilies(out);
  for (size_t row = 0; row < targets.size(); ++row) {
    const DnsblTarget& t = targets[row];
    if (t.block >= 0) continue;  // EmitSummaryBlocks
    const Names& n = NamesFor(t.kind);
    int listed = 0;
    for (size_t l = 0; l < settings_.lists.size(); ++l) {
      const DnsblList& list = settings_.lists[l].list;
      if (!list.Supports(t.kind)) continue;
      listed += EmitTargetList(t, list, last_good_.Get(row, l), out);
    }
    out->Add(*n.listed_lists, {t.value}, listed);
    out->Add(*n.last_check, {t.value}, last_check_[row]);
  }
  EmitSummaryBlocks(targets, out);
}

void DnsblCollector::EmitSummaryBlocks(const std::vector<DnsblTarget>& targets, MetricSet* out) {
  const std::vector<DnsblBlock>& blocks = settings_.summary_blocks;
  if (blocks.empty()) return;
  size_t lists = settings_.lists.size();
  std::vector<uint64_t> listed(blocks.size() * lists, 0);   // [block][list]
  std::vector<uint64_t> checked(blocks.size() * lists, 0);  // [block][list]
  // The oldest last check of the block's addresses this run checks; -1 when
  // there are none (a shard owning none of the block exports nothing for it).
  std::vector<double> oldest(blocks.size(), -1);
  for (size_t row = 0; row < targets.size(); ++row) {
    const DnsblTarget& t = targets[row];
    if (t.block < 0) continue;
    size_t b = static_cast<size_t>(t.block);
    oldest[b] = oldest[b] < 0 ? last_check_[row] : std::min(oldest[b], last_check_[row]);
    int listed_lists = 0;
    for (size_t l = 0; l < lists; ++l) {
      const DnsblList& list = settings_.lists[l].list;
      const DnsblResult* r = last_good_.Get(row, l);
      if (!list.Supports(t.kind) || r == nullptr) continue;
      ++checked[b * lists + l];
      bool is_listed = r->verdict == DnsblVerdict::kListed;
      if (is_listed) {
        ++listed[b * lists + l];
        ++listed_lists;
      }
      // Only the listed (and allowlisted) pairs: nothing per clean address.
      if (is_listed) {
        out->Add(kListed, {t.value, list.zone}, 1);
        for (const DnsblMatch& m : r->matches) {
          if (m.code_class != DnsblCodeClass::kListed) continue;
          out->Add(kListingInfo, {t.value, list.zone, m.code, m.meaning}, 1);
        }
      }
      if (list.has_allowlisting_codes() && HasClass(*r, DnsblCodeClass::kAllowlisted)) {
        out->Add(kAllowlisted, {t.value, list.zone}, 1);
      }
    }
    if (listed_lists > 0) out->Add(kListedLists, {t.value}, listed_lists);
  }
  for (const MetricFamily* f :
       {&kBlockListedAddresses, &kBlockCheckedAddresses, &kBlockLastCheck}) {
    out->Declare(*f);
  }
  for (size_t b = 0; b < blocks.size(); ++b) {
    if (oldest[b] < 0) continue;
    for (size_t l = 0; l < lists; ++l) {
      const DnsblList& list = settings_.lists[l].list;
      if (!list.Supports(blocks[b].kind)) continue;
      out->Add(kBlockListedAddresses, {blocks[b].cidr, list.zone},
               static_cast<double>(listed[b * lists + l]));
      out->Add(kBlockCheckedAddresses, {blocks[b].cidr, list.zone},
               static_cast<double>(checked[b * lists + l]));
    }
    out->Add(kBlockLastCheck, {blocks[b].cidr}, oldest[b]);
  }
}

StatusOr<bool> DnsblCollector::Probe(const ProbeRequest& request, MetricSet* out) {
  StatusOr<DnsblTarget> target = ParseDnsblTarget(request.target);
  if (!target.ok()) return target.status();
  if (!DnsblProbeAllowed(settings_, *target)) {
    return Status::PermissionDenied("target " + target->value +
                                    " is not in the configured senders or "
                                    "collectors.dnsbl.probe_targets");
  }
  StatusOr<Resolver*> resolver = GetResolver();
  if (!resolver.ok()) return resolver.status();
  DnsblLocalZones local = mirrors_.Snapshot(clock_->UnixSeconds());
  DnsblSweep sweep =
      RunDnsblSweep(*resolver, settings_.lists, {*target}, request.deadline, request.stop, &local);

  const Names& n = NamesFor(target->kind);
  // The /probe handler's MetricSet is kMeasuredNow: the same descriptions,
  // without the cached note.
  out->Declare(kListHealthy);
  out->Declare(*n.listed);
  out->Declare(*n.listing_info);
  out->Declare(*n.allowlisted);
  out->Declare(kLookupFailed);
  bool any_healthy = false;
  bool all_ok = true;
  int listed = 0;
  for (size_t l = 0; l < settings_.lists.size(); ++l) {
    const DnsblList& list = settings_.lists[l].list;
    if (!sweep.lists[l].queried) continue;
    bool healthy = sweep.lists[l].health.healthy;
    out->Add(kListHealthy, {list.zone}, healthy ? 1 : 0);
    const DnsblResult* r = sweep.results.Get(0, l);
    if (!healthy || !r || !r->ok()) {
      std::string reason(!healthy ? "unhealthy" : r ? DnsblErrorName(r->error) : "other");
      out->Add(kLookupFailed, {list.zone, reason}, 1);
      if (healthy) all_ok = false;
      continue;
    }
    any_healthy = true;
    listed += EmitTargetList(*target, list, r, out);
  }
  out->Add(*n.listed_lists, {target->value}, listed);
  return any_healthy && all_ok;
}

std::vector<ProbeModule> DnsblCollector::ProbeModules() {
  return {{"dnsbl",
           "Checks one IP address or domain (target=) against the configured DNSBLs now. Only "
           "targets inside the configured senders or collectors.dnsbl.probe_targets.",
           [this](const ProbeRequest& request, MetricSet* out) { return Probe(request, out); }}};
}

CollectorSpec DnsblCollectorSpec() {
  using std::chrono::minutes;
  return {{"dnsbl", true, minutes(15), minutes(5)},
          "Sending IPs and domains on DNS blocklists (Spamhaus, SpamCop, ...), health-checked.",
          NewDnsblCollector,
          kDnsblFamilies};
}

StatusOr<std::unique_ptr<Collector>> NewDnsblCollector(const CollectorEnv& env,
                                                       ConfigNode& options) {
  StatusOr<DnsblSettings> settings = ParseDnsblSettings(env.config, options);
  if (!settings.ok()) return settings.status();
  settings->shard = env.shard;
  for (const std::string& warning : settings->warnings) LogWarn(warning);

  if (!env.dns) {
    return Status::Internal(env.config.source + ": the dnsbl collector got no DNS engine");
  }
  settings->interval = env.settings.interval;
  struct Limits {
    std::string zone;
    double queries_per_second;
    std::string budget_group;
    uint64_t daily_query_budget;
  };
  std::vector<Limits> limits;
  for (const DnsblListConfig& c : settings->lists) {
    // A mirrored list sends no queries: no rate of its own (and no budget,
    // which the config parser already cleared).
    bool mirrored = std::any_of(settings->mirrors.begin(), settings->mirrors.end(),
                                [&](const DnsblMirrorConfig& m) { return m.zone == c.list.zone; });
    limits.push_back({c.list.zone, mirrored ? 0 : c.list.queries_per_second, c.list.budget_group,
                      c.list.daily_query_budget});
  }
  // At the first run or probe (not here, so a reload that fails leaves the
  // running limits alone): the lists' query rates go on the shared engine's
  // limiter, one key per zone, and their daily budgets on its budget, one key
  // per budget group (0 undoes what an earlier config set; a budget keeps
  // what was spent today). A zone that is not its own group has no budget
  // under its name (an earlier config may have given it one: its queries
  // without a group would spend that). Then the engine starts if it has not.
  auto factory = [dns = env.dns, limits]() -> StatusOr<std::shared_ptr<Resolver>> {
    for (const Limits& l : limits) {
      dns->rate_limiter().SetRate(l.zone, l.queries_per_second,
                                  std::max(1.0, l.queries_per_second));
      if (l.budget_group != l.zone) dns->query_budget()->SetBudget(l.zone, 0);
    }
    for (const Limits& l : limits) {
      if (!l.budget_group.empty()) {
        dns->query_budget()->SetBudget(l.budget_group, l.daily_query_budget);
      }
    }
    return dns->resolver();
  };
  return std::unique_ptr<Collector>(
      new DnsblCollector(std::move(settings).value(), factory, NewSystemInterfaceLister(),
                         env.clock, env.root, env.seen_sending_ips, env.dns->query_budget()));
}

}  // namespace mailrep
