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
