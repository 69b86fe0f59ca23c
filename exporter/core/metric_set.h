// MetricSet: the metric families one collector run produces.
//
// A collector adds samples; the scheduler turns the finished set into an
// immutable Snapshot. Families keep first-use order and samples keep insertion
// order, so output is deterministic. Not thread-safe; one writer at a time.
#ifndef MAILREP_EXPORTER_CORE_METRIC_SET_H_
#define MAILREP_EXPORTER_CORE_METRIC_SET_H_

#include <prometheus/metric_family.h>

#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mailrep {

using Labels = std::vector<std::pair<std::string, std::string>>;

class MetricSet {
 public:
  // Adds one sample of a gauge / counter. `name` must be a valid metric name;
  // counters must end in "_total". Every call for the same name must pass the
  // same type (checked with assert); the first call's help text is kept.
  void AddGauge(std::string_view name, std::string_view help, const Labels& labels, double value);
  void AddCounter(std::string_view name, std::string_view help, const Labels& labels, double value);

  // Adds one histogram sample. `histogram.bucket` holds cumulative counts with
  // ascending upper bounds, the last one +Inf (== sample_count).
  void AddHistogram(std::string_view name, std::string_view help, const Labels& labels,
                    const prometheus::ClientMetric::Histogram& histogram);

  // Adds one gauge per state: `labels` plus {state_label, state}, 1 for the
  // state equal to `current` and 0 for the others (a one-hot "enum" gauge, so
  // alerts can select e.g. result="fail" and every series exists).
  void AddOneHot(std::string_view name, std::string_view help, const Labels& labels,
                 std::string_view state_label, const std::vector<std::string_view>& states,
                 std::string_view current);

  // Declares a family with no samples yet, so it is emitted with HELP/TYPE even
  // when empty (not emitted by the text format if it stays empty).
  void Declare(std::string_view name, std::string_view help, prometheus::MetricType type);

  size_t series_count() const;
  const std::vector<prometheus::MetricFamily>& families() const { return families_; }
  std::vector<prometheus::MetricFamily> Take() &&;

 private:
  prometheus::MetricFamily& Family(std::string_view name, std::string_view help,
                                   prometheus::MetricType type);

  std::vector<prometheus::MetricFamily> families_;
  std::unordered_map<std::string, size_t> index_;  // name -> position in families_
};

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CORE_METRIC_SET_H_
