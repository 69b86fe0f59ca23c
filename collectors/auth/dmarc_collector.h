// The dmarc collector: does every configured From domain publish a DMARC
// policy that receivers apply, and would the configured identities align with
// it? For each domain of config.senders (`domains` and the `dkim` entries'
// domains) runs CheckDmarc (dmarc_check.h) and exports, cached until the next
// run, the metric families described in dmarc_collector.cc.
//
// A DNS error (timeout, SERVFAIL) sets status dns_error and leaves every other
// series of the domain at its last good value (0 / 100 before any), so a
// resolver hiccup never reads as "record gone". With no domains configured it
// sends no queries. Offers the /probe module "dmarc" (target = a configured
// domain) and `check dmarc`
// (dmarc_check_command.h).
#ifndef MAILREP_COLLECTORS_AUTH_DMARC_COLLECTOR_H_
#define MAILREP_COLLECTORS_AUTH_DMARC_COLLECTOR_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "collectors/auth/dmarc_check.h"
#include "collectors/auth/psl.h"
#include "collectors/dns/resolver.h"
#include "exporter/core/clock.h"
#include "exporter/core/collector.h"

namespace mailrep {

// One From domain and the identities configured beside it (union over every
// sender that names the domain). Names are normalized (lower case, no dot).
struct DmarcTarget {
  std::string domain;
  std::vector<std::string> envelope_domains;  // senders[].domains
  std::vector<std::string> dkim_domains;      // senders[].dkim[].domain
};

// The distinct domains a config names, in config order.
std::vector<DmarcTarget> DmarcTargetsFromConfig(const Config& config);

// Whether the configured identities would align with `target.domain` under
// the record's aspf / adkim (relaxed when `record` is null).
struct DmarcConfiguredAlignment {
  bool spf_aligned = false;
  bool dkim_aligned = false;
};
DmarcConfiguredAlignment CheckConfiguredDmarcAlignment(const DmarcTarget& target,
                                                       const DmarcRecord* record,
                                                       const PublicSuffixList& psl);

// The Public Suffix List from Debian's publicsuffix file, else libpsl's
// built-in copy.
StatusOr<std::shared_ptr<const PublicSuffixList>> LoadSystemPublicSuffixList();

// One CheckDmarc over `resolver`, bounded by `deadline` and `stop`.
DmarcCheckResult RunDmarcCheck(Resolver& resolver, const PublicSuffixList& psl,
                               std::string_view domain, SteadyTime deadline,
                               std::stop_token stop = {});

class DmarcCollector : public Collector {
 public:
  // `resolver` may be null only when `targets` is empty; `psl` is never null.
  DmarcCollector(std::vector<DmarcTarget> targets, std::shared_ptr<Resolver> resolver,
                 std::shared_ptr<const PublicSuffixList> psl);

  Status Collect(const CollectContext& ctx, MetricSet* out) override;
  std::vector<ProbeModule> ProbeModules() override;

 private:
  // What a DNS error leaves in place.
  struct LastGood {
    bool valid = false;
    std::optional<DmarcPolicy> policy;
    int pct = 100;
    bool fallback = false;
    int unauthorized = 0;
    DmarcConfiguredAlignment alignment;
  };
  LastGood Evaluate(const DmarcTarget& target, const DmarcCheckResult& result) const;

  const std::vector<DmarcTarget> targets_;
  const std::shared_ptr<Resolver> resolver_;
  const std::shared_ptr<const PublicSuffixList> psl_;
  std::map<std::string, LastGood> last_good_;  // by domain; only Collect() touches it
};

// Registration: name and defaults, help, factory, metric families.
CollectorSpec DmarcCollectorSpec();

StatusOr<std::unique_ptr<Collector>> NewDmarcCollector(const CollectorEnv& env,
                                                       ConfigNode& options);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_AUTH_DMARC_COLLECTOR_H_
