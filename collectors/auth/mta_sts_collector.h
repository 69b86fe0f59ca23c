// The mta_sts collector: is MTA-STS (RFC 8461) deployed correctly for each
// configured sender domain (`senders[].domains`), and is a TLS-RPT (RFC 8460)
// record published? See mta_sts_check.h for the checks. Exports, cached until
// the next run, the metric families described in mta_sts_collector.cc.
//
// Fetches policies through env.http (the process's HTTP fetcher), with the
// RFC 8461 rules of mta_sts_fetcher.h. With no sender domains it sends no
// query and makes no request. Options
// (collectors.mta_sts): `ca_file` (PEM CA bundle instead of the system store),
// `fetch_timeout` (per policy fetch, default 30s). Offers the /probe module
// "mta_sts" (target = a configured domain) and `check mta_sts`
// (mta_sts_check_command.h).
#ifndef MAILREP_COLLECTORS_AUTH_MTA_STS_COLLECTOR_H_
#define MAILREP_COLLECTORS_AUTH_MTA_STS_COLLECTOR_H_

#include <memory>
#include <string>
#include <vector>

#include "collectors/auth/mta_sts_check.h"
#include "collectors/dns/resolver.h"
#include "exporter/core/collector.h"

namespace mailrep {

// The distinct normalized domains of every sender, in config order.
std::vector<std::string> MtaStsDomainsFromConfig(const Config& config);

void AddMtaStsMetrics(const MtaStsCheckResult& result, MetricSet* out);

// One CheckMtaSts over `resolver` and `fetcher`, bounded by `deadline` and
// `stop`.
MtaStsCheckResult RunMtaStsCheck(Resolver& resolver, MtaStsFetcher& fetcher,
                                 const std::string& domain, SteadyTime deadline,
                                 std::stop_token stop = {});

class MtaStsCollector : public Collector {
 public:
  // `resolver` and `fetcher` may be null only when `domains` is empty. The
  // fetcher must be thread-safe (probes run concurrently with Collect).
  MtaStsCollector(std::vector<std::string> domains, std::shared_ptr<Resolver> resolver,
                  std::shared_ptr<MtaStsFetcher> fetcher);

  Status Collect(const CollectContext& ctx, MetricSet* out) override;
  std::vector<ProbeModule> ProbeModules() override;

 private:
  const std::vector<std::string> domains_;
  const std::shared_ptr<Resolver> resolver_;
  const std::shared_ptr<MtaStsFetcher> fetcher_;
};

// Registration: name and defaults, help, factory, metric families.
CollectorSpec MtaStsCollectorSpec();

StatusOr<std::unique_ptr<Collector>> NewMtaStsCollector(const CollectorEnv& env,
                                                        ConfigNode& options);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_AUTH_MTA_STS_COLLECTOR_H_
