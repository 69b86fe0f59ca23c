// A worked example of a collector written the house way (README "Adding a
// collector"): the load averages of the host from /proc/loadavg.
//
//   mailrep_example_load_average{window="1m"|"5m"|"15m"}
//
// Options (collectors.example_loadavg):
//   path: /proc/loadavg   # absolute; read under the --path.rootfs prefix
//
// It lives in the test tree and is not registered in collectors/registry.cc,
// so the exporter does not serve it; CI builds it and runs its test. A real
// collector sits in collectors/<family>/ and adds LoadavgCollectorSpec() to
// AllCollectors(). Collect() runs on one thread at a time (collector.h).
#ifndef MAILREP_TESTS_EXAMPLE_COLLECTOR_LOADAVG_COLLECTOR_H_
#define MAILREP_TESTS_EXAMPLE_COLLECTOR_LOADAVG_COLLECTOR_H_

#include <memory>
#include <string>

#include "exporter/core/collector.h"

namespace mailrep {

class LoadavgCollector : public Collector {
 public:
  // `path`: the file to read, root prefix included.
  explicit LoadavgCollector(std::string path) : path_(std::move(path)) {}

  // Fails (the previous values stay current) when the file cannot be read or
  // does not start with three numbers.
  Status Collect(const CollectContext& ctx, MetricSet* out) override;

 private:
  std::string path_;
};

// Registration: name and defaults, help, factory, metric families.
CollectorSpec LoadavgCollectorSpec();

// Factory (see CollectorFactory): reads the `path` option.
StatusOr<std::unique_ptr<Collector>> NewLoadavgCollector(const CollectorEnv& env,
                                                         ConfigNode& options);

}  // namespace mailrep

#endif  // MAILREP_TESTS_EXAMPLE_COLLECTOR_LOADAVG_COLLECTOR_H_
