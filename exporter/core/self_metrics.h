// The exporter's own metrics: build info, config reloads, the shard and the
// health of every collector (mailrep_collector_*). Computed per scrape from small state;
// the families are described in self_metrics.cc.
#ifndef MAILREP_EXPORTER_CORE_SELF_METRICS_H_
#define MAILREP_EXPORTER_CORE_SELF_METRICS_H_

#include <chrono>
#include <span>
#include <string>
#include <vector>

#include "exporter/core/collector_status.h"
#include "exporter/core/metric_family.h"
#include "exporter/core/metric_set.h"
#include "exporter/core/shard.h"

namespace mailrep {

struct BuildInfo {
  std::string version;
  std::string revision;
};

struct ReloadState {
  bool last_successful = true;
  std::chrono::system_clock::time_point last_success{};  // the last good load
  uint64_t failures = 0;
};

// The descriptions of the families AddSelfMetrics fills, for the metric
// reference (metric_doc.h).
std::span<const MetricFamily> SelfMetricFamilies();

void AddSelfMetrics(const BuildInfo& build, const ReloadState& reload, const Shard& shard,
                    const std::vector<CollectorStatus>& collectors, MetricSet* out);

// Seconds since the Unix epoch.
double UnixSeconds(std::chrono::system_clock::time_point t);

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CORE_SELF_METRICS_H_
