// The self-metrics of the process's store of sending IPs seen in the MTA logs
// (collectors/host/seen_sending_ips.h): how many it holds and how many new
// ones it could not keep. Described here, beside the exporter's other own
// families, so the metric reference lists them under "exporter"; the exporter
// fills them per scrape from the store (which lives above the core).
// Stateless; thread-safe.
#ifndef MAILREP_EXPORTER_CORE_SEEN_SENDING_IPS_METRICS_H_
#define MAILREP_EXPORTER_CORE_SEEN_SENDING_IPS_METRICS_H_

#include <cstdint>
#include <span>

#include "exporter/core/metric_family.h"
#include "exporter/core/metric_set.h"

namespace mailrep {

struct SeenSendingIpsStats {
  uint64_t held = 0;     // public sending IPs seen within the store's retention
  uint64_t dropped = 0;  // new ones not kept because the store was full
};

// Adds mailrep_seen_sending_ips and mailrep_seen_sending_ips_dropped_total.
void AddSeenSendingIpsMetrics(const SeenSendingIpsStats& stats, MetricSet* out);

// The descriptions of those families, for the metric reference (metric_doc.h).
std::span<const MetricFamily> SeenSendingIpsMetricFamilies();

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CORE_SEEN_SENDING_IPS_METRICS_H_
