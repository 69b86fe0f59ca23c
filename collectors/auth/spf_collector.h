// The spf collector: would a receiver's SPF check pass for mail from each
// configured sending IP? For every (IP, envelope domain) pair of
// config.senders (identity "mfrom", sender postmaster@<domain>) and every
// (IP, HELO name) pair (identity "helo"), runs RFC 7208 check_host() over the
// shared resolver and, for each (IP, envelope domain) pair, Sender ID's mfrom
// scope (RFC 4406/4407, sender_id.h; the pra scope needs the message headers
// and is not evaluated). Exports, cached until the next run, the metric
// families described in spf_collector.cc.
//
// CIDR blocks are checked address by address up to `max_addresses_per_block`
// (option, default 256). With no senders it sends no queries. Offers the
// /probe module "spf" (target = a configured domain or HELO name, ip=,
// optional helo=). `check spf` is in spf_check_command.h.
#ifndef MAILREP_COLLECTORS_AUTH_SPF_COLLECTOR_H_
#define MAILREP_COLLECTORS_AUTH_SPF_COLLECTOR_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "collectors/auth/sender_id.h"
#include "collectors/auth/spf_evaluator.h"
#include "collectors/dns/resolver.h"
#include "exporter/core/clock.h"
#include "exporter/core/collector.h"

namespace mailrep {

struct SpfTarget {
  IpAddress ip;
  std::string domain;  // the envelope domain, or the HELO name
  std::string helo;
  bool helo_identity = false;
};

// The pairs a config asks for, in config order.
std::vector<SpfTarget> SpfTargetsFromConfig(const Config& config, uint64_t max_per_block);

// One check over `resolver`, bounded by `deadline` and `stop`; `clock` gives
// the %{t} macro's time.
SpfCheckResult RunSpfCheck(Resolver& resolver, const SpfTarget& target, SteadyTime deadline,
                           std::stop_token stop = {}, const Clock& clock = *Clock::Real());

// Adds the result series of one target (not the per-domain info series).
void AddSpfResultMetrics(const SpfTarget& target, const SpfCheckResult& result, MetricSet* out);

// Sender ID's mfrom scope for a non-HELO target, bounded like RunSpfCheck.
SenderIdReport RunSenderIdCheck(Resolver& resolver, const SpfTarget& target, SteadyTime deadline,
                                std::stop_token stop = {}, const Clock& clock = *Clock::Real());

// True when one of the report's spf2.0 records covers the mfrom scope.
bool SenderIdRecordPresent(const SenderIdReport& report);

class SpfCollector : public Collector {
 public:
  // `resolver` may be null only when `targets` is empty.
  SpfCollector(std::vector<SpfTarget> targets, std::shared_ptr<Resolver> resolver,
               std::shared_ptr<const Clock> clock = Clock::Real());

  Status Collect(const CollectContext& ctx, MetricSet* out) override;
  std::vector<ProbeModule> ProbeModules() override;

 private:
  const std::vector<SpfTarget> targets_;
  const std::shared_ptr<Resolver> resolver_;
  const std::shared_ptr<const Clock> clock_;
  std::map<std::string, bool> senderid_present_;  // by domain; only Collect() touches it
};

// Registration: name and defaults, help, factory, metric families.
CollectorSpec SpfCollectorSpec();

StatusOr<std::unique_ptr<Collector>> NewSpfCollector(const CollectorEnv& env, ConfigNode& options);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_AUTH_SPF_COLLECTOR_H_
