// MetricFamily: the one description of a metric family: name, type, label
// names, help text and whether its values are cached.
//
// Each collector declares its families `constexpr` in its own .cc (or a
// <name>_metrics.cc shared by several files) and lists them in its
// CollectorSpec (collector.h). The same description feeds
//   - the HELP and TYPE lines on /metrics (MetricSet::Add, metric_set.h),
//   - `mailrep_exporter --help-metrics` and the README's metric reference
//     (metric_doc.h),
//   - the end-to-end check of every scraped family (tests/e2e/harness.py),
// so the code, the exposition and the documentation cannot say different
// things. Plain constant data; thread-safe.
#ifndef MAILREP_EXPORTER_CORE_METRIC_FAMILY_H_
#define MAILREP_EXPORTER_CORE_METRIC_FAMILY_H_

#include <prometheus/metric_type.h>

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace mailrep {

struct MetricFamily {
  static constexpr size_t kMaxLabels = 6;

  std::string_view name;  // "mailrep_dnsbl_listed"; a counter's ends in "_total"
  prometheus::MetricType type;
  // Label names in the order MetricSet::Add takes their values; unused slots
  // stay empty. Labels only from config or bounded sets, never from traffic.
  std::array<std::string_view, kMaxLabels> labels;
  // One or two plain sentences (no '|', backslash or newline: the text is
  // also a Markdown table cell).
  std::string_view help;
  // True when the values come from the collector's last background run
  // rather than a measurement at scrape time: every family a Collect() fills,
  // counters included. False for the exporter's own families and for
  // /probe-only ones. The framework appends kCachedNote to the HELP text,
  // once (not in a /probe response, see MetricSet::kMeasuredNow).
  bool cached = false;

  constexpr size_t label_count() const {
    size_t n = 0;
    while (n < kMaxLabels && !labels[n].empty()) ++n;
    return n;
  }
};

// Appended to the help of every cached family.
inline constexpr std::string_view kCachedNote =
    " Cached: as of the collector's last run, never measured during a scrape.";

// The HELP line's text: help, plus kCachedNote when cached, unless
// `measured_now` (a /probe response, which measures during the request).
std::string HelpText(const MetricFamily& family, bool measured_now = false);

// "gauge", "counter", "histogram", ...
std::string_view MetricTypeName(prometheus::MetricType type);

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CORE_METRIC_FAMILY_H_
