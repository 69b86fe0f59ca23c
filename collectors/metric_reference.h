// The reference of every metric family the exporter and its collectors can
// export (see exporter/core/metric_doc.h). A family added to a collector
// gets its line here in the same change; the e2e tests fail otherwise.
#ifndef MAILREP_COLLECTORS_METRIC_REFERENCE_H_
#define MAILREP_COLLECTORS_METRIC_REFERENCE_H_

#include <vector>

#include "exporter/core/metric_doc.h"

namespace mailrep {

// In README order: exporter, then each collector, then /probe-only families.
const std::vector<MetricDoc>& AllMetricDocs();

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_METRIC_REFERENCE_H_
