// Helpers for collector tests: read one sample (or a family's sample count)
// back from a MetricSet, and a CollectContext with a deadline. The one sample
// reader of the tree; test code only.
#ifndef MAILREP_EXPORTER_CORE_COLLECTOR_TESTING_H_
#define MAILREP_EXPORTER_CORE_COLLECTOR_TESTING_H_

#include <chrono>
#include <cstddef>
#include <optional>
#include <string_view>

#include "exporter/core/collector.h"
#include "exporter/core/metric_set.h"

namespace mailrep {

// The value of the first sample of family `name` whose labels include all of
// `want` (a counter's or a gauge's); nullopt when there is none, so
// EXPECT_EQ(SampleValue(...), 1) fails on a missing series and prints it.
inline std::optional<double> SampleValue(const MetricSet& set, std::string_view name,
                                         const Labels& want) {
  for (const auto& family : set.families()) {
    if (family.name != name) continue;
    for (const auto& metric : family.metric) {
      bool all = true;
      for (const auto& [k, v] : want) {
        bool found = false;
        for (const auto& l : metric.label) found = found || (l.name == k && l.value == v);
        all = all && found;
      }
      if (all) {
        return family.type == prometheus::MetricType::Counter ? metric.counter.value
                                                              : metric.gauge.value;
      }
    }
  }
  return std::nullopt;
}

// How many samples family `name` has (0 when it is absent).
inline size_t SampleCount(const MetricSet& set, std::string_view name) {
  for (const auto& family : set.families()) {
    if (family.name == name) return family.metric.size();
  }
  return 0;
}

// A context with no stop request and `budget` until its deadline.
inline CollectContext TestContext(std::chrono::seconds budget = std::chrono::seconds(10)) {
  return {{}, std::chrono::steady_clock::now() + budget};
}

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CORE_COLLECTOR_TESTING_H_
