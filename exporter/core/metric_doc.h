// MetricDoc: one metric family as the documentation lists it. The reference
// (collectors/metric_reference.cc) is the single list of every family the
// exporter can export; `mailrep_exporter --help-metrics` prints it as the
// README's metric table, and the end-to-end tests check every scraped family
// against it (name, type, label names), so docs and code cannot drift apart.
#ifndef MAILREP_EXPORTER_CORE_METRIC_DOC_H_
#define MAILREP_EXPORTER_CORE_METRIC_DOC_H_

#include <string>
#include <string_view>
#include <vector>

namespace mailrep {

struct MetricDoc {
  std::string_view source;   // the collector's name, "exporter", or "probe"
  std::string_view name;     // "mailrep_dnsbl_listed"
  std::string_view type;     // "gauge", "counter" or "histogram"
  std::string_view labels;   // "ip, dnsbl" (comma-separated; "" for none)
  std::string_view meaning;  // Markdown, one line
};

// The Markdown the README embeds between its metric-reference markers: one
// table per source, in the order of `docs`.
std::string MetricReferenceMarkdown(const std::vector<MetricDoc>& docs);

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CORE_METRIC_DOC_H_
