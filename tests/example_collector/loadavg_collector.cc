#include "tests/example_collector/loadavg_collector.h"

#include <array>
#include <chrono>
#include <cstdlib>

#include "exporter/util/read_file.h"

namespace mailrep {
namespace {

// The one description of the collector's one family: name, type, label names,
// help and "cached" (its values come from the last background run). HELP,
// TYPE, --help-metrics and the README row all come from here.
constexpr MetricFamily kLoadAverage{
    "mailrep_example_load_average",
    prometheus::MetricType::Gauge,
    {"window"},
    "Load average of the host over the window (1m, 5m, 15m), from /proc/loadavg.",
    true};

constexpr MetricFamily kLoadavgFamilies[] = {kLoadAverage};

constexpr std::array<const char*, 3> kWindows = {"1m", "5m", "15m"};

}  // namespace

Status LoadavgCollector::Collect(const CollectContext& ctx, MetricSet* out) {
  (void)ctx;  // one small read: nothing to cancel
  StatusOr<std::string> text = ReadFileCapped(path_, 4096);
  if (!text.ok()) return text.status().Annotate("reading the load averages");
  const char* at = text->c_str();
  std::array<double, 3> loads;
  for (double& load : loads) {
    char* end = nullptr;
    load = std::strtod(at, &end);
    if (end == at) return Status::InvalidArgument(path_ + ": not a load average: " + *text);
    at = end;
  }
  for (size_t i = 0; i < kWindows.size(); ++i) out->Add(kLoadAverage, {kWindows[i]}, loads[i]);
  return Status::OK();
}

CollectorSpec LoadavgCollectorSpec() {
  using std::chrono::seconds;
  return {{"example_loadavg", false, seconds(15), seconds(5)},
          "Example: the host's load averages (tests/example_collector).",
          NewLoadavgCollector,
          kLoadavgFamilies};
}

StatusOr<std::unique_ptr<Collector>> NewLoadavgCollector(const CollectorEnv& env,
                                                         ConfigNode& options) {
  std::string path = options.GetString("path", "/proc/loadavg");
  if (!path.starts_with("/")) options.Error("path", "must be an absolute path");
  if (Status s = options.Finish(); !s.ok()) return s;
  return std::unique_ptr<Collector>(new LoadavgCollector(env.root + path));
}

}  // namespace mailrep
