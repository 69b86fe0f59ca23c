// The metric reference: every family the exporter can export, as Markdown
// tables, generated from the MetricFamily descriptions (metric_family.h) the
// collectors list in their CollectorSpec and the exporter's own families
// (self_metrics.h, dns_engine_metrics.h, seen_sending_ips_metrics.h,
// process_metrics.h, probe_metrics.h).
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

// The whole reference, in README order: "exporter" (SelfMetricFamilies,
// DnsEngineMetricFamilies, SeenSendingIpsMetricFamilies and
// ProcessMetricFamilies), one group per collector
// (CollectorMetricGroups), then "probe" (the /probe envelope, ProbeEnvelopeFamilies).
std::vector<MetricGroup> AllMetricGroups(const std::vector<CollectorSpec>& specs);

// The Markdown the README embeds between its metric-reference markers: one
// table per group (consecutive groups of one title share a table); the
// meaning column is the family's HELP text.
std::string MetricReferenceMarkdown(const std::vector<MetricGroup>& groups);

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CORE_METRIC_DOC_H_
