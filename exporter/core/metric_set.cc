#include "exporter/core/metric_set.h"

#include <cassert>

namespace mailrep {

prometheus::MetricFamily& MetricSet::Family(std::string_view name, std::string_view help,
                                            prometheus::MetricType type) {
  auto [it, inserted] = index_.try_emplace(std::string(name), families_.size());
  if (inserted) {
    families_.push_back({std::string(name), std::string(help), type, {}});
  }
  prometheus::MetricFamily& family = families_[it->second];
  assert(family.type == type);
  return family;
}

void MetricSet::Declare(std::string_view name, std::string_view help, prometheus::MetricType type) {
  Family(name, help, type);
}

static prometheus::ClientMetric MakeMetric(const Labels& labels) {
  prometheus::ClientMetric metric;
  metric.label.reserve(labels.size());
  for (const auto& [name, value] : labels) metric.label.push_back({name, value});
  return metric;
}

void MetricSet::AddGauge(std::string_view name, std::string_view help, const Labels& labels,
                         double value) {
  prometheus::ClientMetric metric = MakeMetric(labels);
  metric.gauge.value = value;
  Family(name, help, prometheus::MetricType::Gauge).metric.push_back(std::move(metric));
}

void MetricSet::AddCounter(std::string_view name, std::string_view help, const Labels& labels,
                           double value) {
  assert(name.ends_with("_total"));
  prometheus::ClientMetric metric = MakeMetric(labels);
  metric.counter.value = value;
  Family(name, help, prometheus::MetricType::Counter).metric.push_back(std::move(metric));
}

void MetricSet::AddHistogram(std::string_view name, std::string_view help, const Labels& labels,
                             const prometheus::ClientMetric::Histogram& histogram) {
  prometheus::ClientMetric metric = MakeMetric(labels);
  metric.histogram = histogram;
  Family(name, help, prometheus::MetricType::Histogram).metric.push_back(std::move(metric));
}

void MetricSet::AddOneHot(std::string_view name, std::string_view help, const Labels& labels,
                          std::string_view state_label, const std::vector<std::string_view>& states,
                          std::string_view current) {
  for (std::string_view state : states) {
    Labels with_state = labels;
    with_state.emplace_back(std::string(state_label), std::string(state));
    AddGauge(name, help, with_state, state == current ? 1 : 0);
  }
}

prometheus::MetricFamily* MetricSet::Described(const MetricFamily& family, size_t value_count) {
  if (value_count != family.label_count()) {
    assert(false && "label values do not match the family's label names");
    ++dropped_samples_;
    return nullptr;
  }
  auto [it, inserted] = index_.try_emplace(std::string(family.name), families_.size());
  if (inserted)
    families_.push_back(
        {std::string(family.name), HelpText(family, measured_now_), family.type, {}});
  prometheus::MetricFamily& out = families_[it->second];
  assert(out.type == family.type);
  return &out;
}

prometheus::ClientMetric MetricSet::Sample(const MetricFamily& family,
                                           std::span<const std::string_view> values) {
  prometheus::ClientMetric metric;
  metric.label.reserve(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    metric.label.push_back({std::string(family.labels[i]), std::string(values[i])});
  }
  return metric;
}

void MetricSet::Add(const MetricFamily& family, std::span<const std::string_view> values,
                    double value) {
  prometheus::MetricFamily* out = Described(family, values.size());
  if (out == nullptr) return;
  prometheus::ClientMetric metric = Sample(family, values);
  if (family.type == prometheus::MetricType::Counter) {
    assert(family.name.ends_with("_total"));
    metric.counter.value = value;
  } else {
    assert(family.type == prometheus::MetricType::Gauge);
    metric.gauge.value = value;
  }
  out->metric.push_back(std::move(metric));
}

void MetricSet::AddHistogram(const MetricFamily& family,
                             std::initializer_list<std::string_view> values,
                             const prometheus::ClientMetric::Histogram& histogram) {
  prometheus::MetricFamily* out = Described(family, values.size());
  if (out == nullptr) return;
  prometheus::ClientMetric metric = Sample(family, {values.begin(), values.size()});
  metric.histogram = histogram;
  out->metric.push_back(std::move(metric));
}

void MetricSet::AddOneHot(const MetricFamily& family,
                          std::initializer_list<std::string_view> values,
                          const std::vector<std::string_view>& states, std::string_view current) {
  std::vector<std::string_view> with_state(values);
  with_state.emplace_back();
  for (std::string_view state : states) {
    with_state.back() = state;
    Add(family, with_state, state == current ? 1 : 0);
  }
}

void MetricSet::Declare(const MetricFamily& family) { Described(family, family.label_count()); }

size_t MetricSet::series_count() const {
  size_t n = 0;
  for (const auto& family : families_) n += family.metric.size();
  return n;
}

std::vector<prometheus::MetricFamily> MetricSet::Take() && {
  index_.clear();
  return std::move(families_);
}

}  // namespace mailrep
