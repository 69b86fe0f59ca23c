// The families every /probe response starts with (blackbox_exporter's
// envelope): probe_success, probe_duration_seconds and probe_timeout_seconds,
// described in probe_metrics.cc. The module's own families follow them.
// Stateless; thread-safe.
#ifndef MAILREP_EXPORTER_CORE_PROBE_METRICS_H_
#define MAILREP_EXPORTER_CORE_PROBE_METRICS_H_

#include <span>

#include "exporter/core/metric_family.h"
#include "exporter/core/metric_set.h"

namespace mailrep {

// Adds the envelope of one probe: whether the module found no problem, how
// long it took and the time it was allowed, both in seconds.
void AddProbeEnvelope(bool success, double duration_seconds, double timeout_seconds,
                      MetricSet* out);

// The descriptions of those families, for the metric reference (metric_doc.h).
std::span<const MetricFamily> ProbeEnvelopeFamilies();

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CORE_PROBE_METRICS_H_
