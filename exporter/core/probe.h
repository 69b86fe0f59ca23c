// Probe modules: synchronous, on-demand checks of one target, served on
// /probe?module=<name>&target=<target> (blackbox_exporter style).
//
// A collector offers its modules through Collector::ProbeModules(); a module
// runs in an HTTP worker thread, concurrently with the collector's own runs and
// with other probes, so it must be thread-safe.
#ifndef MAILREP_EXPORTER_CORE_PROBE_H_
#define MAILREP_EXPORTER_CORE_PROBE_H_

#include <chrono>
#include <functional>
#include <map>
#include <stop_token>
#include <string>

#include "exporter/core/metric_set.h"
#include "exporter/util/status.h"

namespace mailrep {

struct ProbeRequest {
  std::string target;
  // Every query parameter (module and target included), for module options.
  std::map<std::string, std::string> params;
  // From X-Prometheus-Scrape-Timeout-Seconds minus an offset, or a default.
  std::chrono::steady_clock::time_point deadline;
  std::stop_token stop;
};

struct ProbeModule {
  std::string name;
  std::string help;
  // Adds the module's metrics to `out` and returns whether the probe
  // succeeded (probe_success). A target the module refuses to probe (outside
  // the configured allowlist) returns PermissionDenied (HTTP 403); a malformed
  // target InvalidArgument (HTTP 400).
  std::function<StatusOr<bool>(const ProbeRequest&, MetricSet* out)> run;
};

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CORE_PROBE_H_
