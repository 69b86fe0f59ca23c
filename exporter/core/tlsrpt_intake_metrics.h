// The self-metrics of the TLS-RPT HTTPS intake (collectors/reports/
// tlsrpt_intake.h): its requests by answer and reason, and the size of its
// spool. Described here, beside the exporter's other own families, so the
// metric reference lists them under "exporter"; the exporter fills them per
// scrape, and only when the intake is configured. Stateless; thread-safe.
#ifndef MAILREP_EXPORTER_CORE_TLSRPT_INTAKE_METRICS_H_
#define MAILREP_EXPORTER_CORE_TLSRPT_INTAKE_METRICS_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "exporter/core/metric_family.h"
#include "exporter/core/metric_set.h"

namespace mailrep {

struct TlsRptIntakeStats {
  struct Count {
    int code = 0;        // the HTTP status answered
    std::string reason;  // from a fixed set (tlsrpt_intake.h)
    uint64_t count = 0;
  };
  std::vector<Count> requests;
  uint64_t spool_bytes = 0;  // bytes of the reports in the spool
};

// Adds mailrep_tlsrpt_intake_requests_total and
// mailrep_tlsrpt_intake_spool_bytes.
void AddTlsRptIntakeMetrics(const TlsRptIntakeStats& stats, MetricSet* out);

// The descriptions of those families, for the metric reference (metric_doc.h).
std::span<const MetricFamily> TlsRptIntakeMetricFamilies();

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CORE_TLSRPT_INTAKE_METRICS_H_
