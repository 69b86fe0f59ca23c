// The ptr collector: does every configured sending IP have reverse DNS that
// receivers accept? For each address of config.senders (CIDR blocks address by
// address, up to `max_addresses_per_block`, default 256) with its sender's
// HELO name, checks PTR, forward confirmation, the HELO name and generic-name
// patterns (ptr_check.h), and exports, cached until the next run, the metric families described in
// ptr_collector.cc.
//
// With no senders it sends no queries. Offers the /probe module "ptr"
// (target = a configured IP, optional helo=) and `check ptr`
// (ptr_check_command.h).
#ifndef MAILREP_COLLECTORS_AUTH_PTR_COLLECTOR_H_
#define MAILREP_COLLECTORS_AUTH_PTR_COLLECTOR_H_

#include <memory>
#include <vector>

#include "collectors/auth/ptr_check.h"
#include "collectors/dns/resolver.h"
#include "exporter/core/collector.h"

namespace mailrep {

std::vector<PtrCheckRequest> PtrTargetsFromConfig(const Config& config, uint64_t max_per_block);

void AddPtrMetrics(const PtrCheckRequest& target, const PtrCheckResult& result, MetricSet* out);

// One CheckPtr over `resolver`, bounded by `deadline` and `stop`.
PtrCheckResult RunPtrCheck(Resolver& resolver, const PtrCheckRequest& target, SteadyTime deadline,
                           std::stop_token stop = {});

class PtrCollector : public Collector {
 public:
  // `resolver` may be null only when `targets` is empty.
  PtrCollector(std::vector<PtrCheckRequest> targets, std::shared_ptr<Resolver> resolver);

  Status Collect(const CollectContext& ctx, MetricSet* out) override;
  std::vector<ProbeModule> ProbeModules() override;

 private:
  const std::vector<PtrCheckRequest> targets_;
  const std::shared_ptr<Resolver> resolver_;
};

// Registration: name and defaults, help, factory, metric families.
CollectorSpec PtrCollectorSpec();

StatusOr<std::unique_ptr<Collector>> NewPtrCollector(const CollectorEnv& env, ConfigNode& options);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_AUTH_PTR_COLLECTOR_H_
