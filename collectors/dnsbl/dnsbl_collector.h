// The DNSBL collector: every target (senders' IPs and blocks, senders'
// domains, or the host's public addresses) against every configured list, in
// the background on the collector's interval; /probe?module=dnsbl for one
// target on demand. Values are cached between runs; the metric families are
// described in dnsbl_collector.cc.
//
// A listing is reported only from a healthy list and a valid answer. A lookup
// error or an unhealthy list keeps the last good value (0 before any).
//
// Targets in a summary block (larger than detail_max_block_addresses,
// dnsbl_config.h) export per-address series only while listed (or
// allowlisted), plus per-(block, list) counts, so the series follow the
// listings, not the estate. State is about 4 bytes per (target, list) and a
// double per target (a /16 x 30 lists: 8 MB).
//
// Lists with a local mirror (collectors.dnsbl.mirrors) are answered from
// their rbldnsd data file, with no DNS query, in runs and probes alike; each
// run re-reads a file that changed (dnsbl_mirrors.h). When every list is
// mirrored the DNS engine is never started.
//
// With collectors.dnsbl.seen_senders enabled, each run also checks the public
// sending IPs the delivery collector saw (seen_sending_ips.h) within the
// window, at most `max` of them, under the same families as configured
// addresses; one that ages out of the window leaves the series at the next
// run. /probe does not accept them (only configured targets).
//
// Lists with a daily query budget (catalogue budget_groups,
// collectors.dnsbl.query_budgets) are paced to it (dnsbl_pacing.h), the
// lists of one budget group together against the group's one budget: when
// it cannot pay for a sweep of all of them every interval, they are all
// swept less often, at the same stretched interval, keeping their last
// results meanwhile, and say so in mailrep_dnsbl_budget_stretched and
// mailrep_dnsbl_effective_interval_seconds.
#ifndef MAILREP_COLLECTORS_DNSBL_DNSBL_COLLECTOR_H_
#define MAILREP_COLLECTORS_DNSBL_DNSBL_COLLECTOR_H_

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "collectors/dns/query_budget.h"
#include "collectors/dns/resolver.h"
#include "collectors/dnsbl/dnsbl_config.h"
#include "collectors/dnsbl/dnsbl_listing_log.h"
#include "collectors/dnsbl/dnsbl_mirrors.h"
#include "collectors/dnsbl/dnsbl_pacing.h"
#include "collectors/dnsbl/dnsbl_result_grid.h"
#include "collectors/dnsbl/dnsbl_sweep.h"
#include "collectors/host/network_interfaces.h"
#include "collectors/host/seen_sending_ips.h"
#include "exporter/core/collector.h"

namespace mailrep {

class DnsblCollector : public Collector {
 public:
  // Called at most once, when the first query is needed (never when there are
  // no targets), from Collect() or a probe.
  using ResolverFactory = std::function<StatusOr<std::shared_ptr<Resolver>>()>;

  // `lister` lists the host's addresses (used when settings.use_host_addresses);
  // may be null, meaning none. `clock` gives the listings' timestamps and
  // judges the mirrors' ages; the mirrors' files are read under `root`.
  // `seen` gives the sending IPs seen, for settings.seen_senders (null: none).
  // `budget` is the DNS engine's (the one the resolver spends); null means no
  // pacing and no budget metrics (tests on a StaticResolver).
  DnsblCollector(DnsblSettings settings, ResolverFactory resolver_factory,
                 std::unique_ptr<InterfaceLister> lister,
                 std::shared_ptr<const Clock> clock = Clock::Real(), const std::string& root = "",
                 std::shared_ptr<SeenSendingIps> seen = nullptr,
                 std::shared_ptr<QueryBudget> budget = nullptr);

  Status Collect(const CollectContext& ctx, MetricSet* out) override;
  std::vector<ProbeModule> ProbeModules() override;
  // Takes over, for the lists and targets still configured, the previous
  // instance's lookup-error counters, list health and last good answers, so a
  // reload neither resets counters nor forgets listings until the next sweep;
  // and its mirrors of the same zone, file and format, loaded, so the files
  // are not parsed again.
  void AdoptState(Collector& previous) override;

  // The module "dnsbl": thread-safe.
  StatusOr<bool> Probe(const ProbeRequest& request, MetricSet* out);

 private:
  struct ListState {
    std::array<uint64_t, kDnsblErrorKinds> errors{};
    std::optional<bool> healthy;
  };

  // The resolver, or null when every list is mirrored (no DNS engine then).
  StatusOr<Resolver*> GetResolver();
  // This run's targets: settings_.targets itself when this replica owns them
  // all and neither the host's addresses nor seen senders are added (a /16's
  // 65,536 targets are not copied every run), else `*owned`, filled with this
  // replica's share, the host's addresses and the seen senders.
  const std::vector<DnsblTarget>& CurrentTargets(std::vector<DnsblTarget>* owned);
  // Appends to `targets` the seen sending IPs (settings_.seen_senders) not
  // among them, this replica's share of the first `max`; sets seen_targets_.
  void AddSeenSenders(std::vector<DnsblTarget>* targets);
  // Lines the state rows up with `targets` (this run's), carrying over the
  // state of targets checked before and dropping the others.
  void AlignState(const std::vector<DnsblTarget>& targets);
  void Emit(const std::vector<DnsblTarget>& targets, const DnsblSweep* sweep, MetricSet* out);
  void EmitSummaryBlocks(const std::vector<DnsblTarget>& targets, MetricSet* out);
  void EmitMirrors(MetricSet* out) const;
  void EmitBudgets(MetricSet* out) const;
  // Paces the budgeted lists for this run, the lists of one budget group
  // together; true for each list to sit it out.
  std::vector<bool> PaceLists(const std::vector<DnsblTarget>& targets);

  const DnsblSettings settings_;
  ResolverFactory resolver_factory_;
  std::unique_ptr<InterfaceLister> lister_;
  const std::shared_ptr<const Clock> clock_;
  const std::shared_ptr<SeenSendingIps> seen_;
  const std::shared_ptr<QueryBudget> budget_;

  bool needs_dns_ = false;  // some list is not mirrored
  std::mutex resolver_mu_;
  std::shared_ptr<Resolver> resolver_;

  // Refreshed by Collect(), read by probes; replaced only by AdoptState().
  DnsblMirrors mirrors_;

  // Collect() state (one run at a time).
  // One row per target of the last run (state_targets_ order), one column per
  // list (settings_ order): the last good answer from a healthy list.
  std::vector<std::string> state_targets_;
  DnsblResultGrid last_good_;
  std::vector<double> last_check_;                // per row: unix time, 0 = never
  std::map<std::string, ListState> list_state_;   // zone
  uint64_t host_address_errors_ = 0;              // failed listings of the host's addresses
  size_t seen_targets_ = 0;                       // this run's targets from seen_
  DnsblListingLog listing_log_;                   // listings logged on change only
  std::map<std::string, SteadyTime> last_sweep_;  // zone: when its last sweep began
  std::map<std::string, DnsblPace> pace_;         // budget group: the last run's pace of its lists
};

// Registration: name and defaults, help, factory, metric families.
CollectorSpec DnsblCollectorSpec();

// Factory (see CollectorFactory): options are described in dnsbl_config.h.
StatusOr<std::unique_ptr<Collector>> NewDnsblCollector(const CollectorEnv& env,
                                                       ConfigNode& options);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNSBL_DNSBL_COLLECTOR_H_
