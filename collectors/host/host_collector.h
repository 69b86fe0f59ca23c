// The host collector: the identity this host presents to mail receivers (its
// names and addresses) and the MTAs it runs. Its metric families are
// described in host_collector.cc.
//
// The MTA instance label is `mta_instance`, not `instance`, which Prometheus
// reserves for the scrape target.
#ifndef MAILREP_COLLECTORS_HOST_HOST_COLLECTOR_H_
#define MAILREP_COLLECTORS_HOST_HOST_COLLECTOR_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "collectors/host/host_identity.h"
#include "collectors/host/network_interfaces.h"
#include "exporter/config/config_node.h"
#include "exporter/core/collector.h"

namespace mailrep {

class HostCollector : public Collector {
 public:
  // Looks up the host's names, waiting at most `max_wait` for DNS.
  using IdentityFn = std::function<HostIdentity(std::chrono::milliseconds max_wait)>;

  // `root` prefixes every path read (see CollectorEnv). `lister` and
  // `identity` are owned; tests pass fakes.
  HostCollector(std::string root, std::unique_ptr<InterfaceLister> lister, IdentityFn identity);

  // Fails only when the interface addresses cannot be listed.
  Status Collect(const CollectContext& ctx, MetricSet* out) override;

  // The longest Collect() waits for a DNS lookup of the host's own name.
  static constexpr std::chrono::milliseconds kMaxDnsWait{2000};

 private:
  std::string root_;
  std::unique_ptr<InterfaceLister> lister_;
  IdentityFn identity_;
};

// Registration: name and defaults, help, factory, metric families.
CollectorSpec HostCollectorSpec();

// Factory (see CollectorFactory). No options of its own yet.
StatusOr<std::unique_ptr<Collector>> NewHostCollector(const CollectorEnv& env, ConfigNode& options);

// For the exporter's startup: logs, at info level, each non-loopback address
// with its scope (public addresses are what the DNS checks look at when no
// senders are configured), then runs MTA detection under `root` and logs one
// line per MTA found or skipped (with the reason: "/var/spool/exim4 absent")
// and each warning, at warn level.
void LogHostDetection(const std::string& root);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_HOST_HOST_COLLECTOR_H_
