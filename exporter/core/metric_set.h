// MetricSet: the metric families one collector run produces.
//
// A collector adds samples; the scheduler turns the finished set into an
// immutable Snapshot. Families keep first-use order and samples keep insertion
// order, so output is deterministic. Not thread-safe; one writer at a time.
//
// Collectors add samples through a MetricFamily description (metric_family.h):
// Add(kFamily, {label values in kFamily.labels order}, value). A wrong number
// of label values is a collector bug: it asserts in debug builds; in release
// builds the sample is dropped and counted in dropped_samples(). Every family
// the exporter serves has a description; the older name/help overloads remain
// for tests, benchmarks and fuzzers only.
//
// A set built with kMeasuredNow (a /probe response) leaves the cached note
// out of the HELP texts: its values were measured during the request.
#ifndef MAILREP_EXPORTER_CORE_METRIC_SET_H_
#define MAILREP_EXPORTER_CORE_METRIC_SET_H_

#include <prometheus/metric_family.h>

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "exporter/core/metric_family.h"

namespace mailrep {

using Labels = std::vector<std::pair<std::string, std::string>>;

class MetricSet {
 public:
  enum Timing { kCollected, kMeasuredNow };

  MetricSet() = default;
  explicit MetricSet(Timing timing) : measured_now_(timing == kMeasuredNow) {}

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

  // One sample of `family` (a gauge or a counter), with the values of its
  // labels in family.labels order.
  void Add(const MetricFamily& family, std::span<const std::string_view> values, double value);
  void Add(const MetricFamily& family, std::initializer_list<std::string_view> values,
           double value) {
    Add(family, std::span<const std::string_view>(values.begin(), values.size()), value);
  }
  void AddHistogram(const MetricFamily& family, std::initializer_list<std::string_view> values,
                    const prometheus::ClientMetric::Histogram& histogram);
  // One-hot over `states`: `values` are those of every label but the last,
  // which is the state label (see the name/help AddOneHot below).
  void AddOneHot(const MetricFamily& family, std::initializer_list<std::string_view> values,
                 const std::vector<std::string_view>& states, std::string_view current);
  // Emits `family`'s HELP/TYPE even while it has no samples.
  void Declare(const MetricFamily& family);

  // Samples dropped because their label values did not match their family's
  // label names (release builds only; debug builds assert).
  size_t dropped_samples() const { return dropped_samples_; }

  size_t series_count() const;
  const std::vector<prometheus::MetricFamily>& families() const { return families_; }
  std::vector<prometheus::MetricFamily> Take() &&;

 private:
  prometheus::MetricFamily& Family(std::string_view name, std::string_view help,
                                   prometheus::MetricType type);

  // The family described by `family`, created (with HelpText) on first use;
  // nullptr, counting a dropped sample, when `values` has the wrong arity.
  prometheus::MetricFamily* Described(const MetricFamily& family, size_t value_count);
  static prometheus::ClientMetric Sample(const MetricFamily& family,
                                         std::span<const std::string_view> values);

  std::vector<prometheus::MetricFamily> families_;
  size_t dropped_samples_ = 0;
  bool measured_now_ = false;
  std::unordered_map<std::string, size_t> index_;  // name -> position in families_
};

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CORE_METRIC_SET_H_
