// The metric reference: every family the exporter can export, as Markdown
// tables, generated from the MetricFamily descriptions (metric_family.h) the
// collectors list in their CollectorSpec and the exporter's own families.
// `mailrep_exporter --help-metrics` prints it; the README embeds it
// (tests/docs/readme_metrics.py) and the end-to-end tests check every scraped
// family against it (name, type, label names, HELP text).
#ifndef MAILREP_EXPORTER_CORE_METRIC_DOC_H_
#define MAILREP_EXPORTER_CORE_METRIC_DOC_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/core/collector.h"
#include "exporter/core/metric_family.h"

namespace mailrep {

// One table of the reference: "exporter", a collector's name, "*_queue"...
struct MetricGroup {
  std::string title;
  std::span<const MetricFamily> families;
};

// One group per collector with families, in the order of `specs`. Collectors
// that share one list of families (postfix_queue, exim_queue, ...) give one
// group titled "*" + their common "_suffix" ("*_queue").
std::vector<MetricGroup> CollectorMetricGroups(const std::vector<CollectorSpec>& specs);

// The Markdown the README embeds between its metric-reference markers: one
// table per group (consecutive groups of one title share a table); the
// meaning column is the family's HELP text.
std::string MetricReferenceMarkdown(const std::vector<MetricGroup>& groups);

// Legacy: one hand-written row of collectors/metric_reference.cc, for the
// families not yet described by a MetricFamily.
struct MetricDoc {
  std::string_view source;   // the collector's name, "exporter", or "probe"
  std::string_view name;     // "mailrep_dnsbl_listed"
  std::string_view type;     // "gauge", "counter" or "histogram"
  std::string_view labels;   // "ip, dnsbl" (comma-separated; "" for none)
  std::string_view meaning;  // Markdown, one line
};
std::string MetricReferenceMarkdown(const std::vector<MetricDoc>& docs);

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CORE_METRIC_DOC_H_
