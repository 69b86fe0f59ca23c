// The dkim collector: is every configured DKIM key published, strong and the
// one the signer uses? For each `senders[].dkim` entry {selector, domain,
// key_file} checks `<selector>._domainkey.<domain>` (dkim_check.h) and, when
// key_file is set, whether the published key matches that private key (the
// silent breakage after a rotation). Exports, cached until the next run, the metric families
// described in dkim_collector.cc.
//
// With no keys configured it sends no queries. Offers the /probe module "dkim"
// (target = a configured domain, selector=) and `check dkim`
// (dkim_check_command.h).
#ifndef MAILREP_COLLECTORS_AUTH_DKIM_COLLECTOR_H_
#define MAILREP_COLLECTORS_AUTH_DKIM_COLLECTOR_H_

#include <memory>
#include <vector>

#include "collectors/auth/dkim_check.h"
#include "collectors/dns/resolver.h"
#include "exporter/core/collector.h"

namespace mailrep {

// Key files are prefixed with `root` (CollectorEnv::root).
std::vector<DkimKeyCheckRequest> DkimTargetsFromConfig(const Config& config,
                                                       const std::string& root);

void AddDkimMetrics(const DkimKeyCheckRequest& target, const DkimKeyCheckResult& result,
                    MetricSet* out);

// One CheckDkimKey over `resolver`, bounded by `deadline` and `stop`.
DkimKeyCheckResult RunDkimCheck(Resolver& resolver, const DkimKeyCheckRequest& target,
                                SteadyTime deadline, std::stop_token stop = {});

class DkimCollector : public Collector {
 public:
  // `resolver` may be null only when `targets` is empty.
  DkimCollector(std::vector<DkimKeyCheckRequest> targets, std::shared_ptr<Resolver> resolver);

  Status Collect(const CollectContext& ctx, MetricSet* out) override;
  std::vector<ProbeModule> ProbeModules() override;

 private:
  const std::vector<DkimKeyCheckRequest> targets_;
  const std::shared_ptr<Resolver> resolver_;
};

// Registration: name and defaults, help, factory, metric families.
CollectorSpec DkimCollectorSpec();

StatusOr<std::unique_ptr<Collector>> NewDkimCollector(const CollectorEnv& env, ConfigNode& options);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_AUTH_DKIM_COLLECTOR_H_
