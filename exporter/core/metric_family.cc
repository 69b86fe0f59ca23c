#include "exporter/core/metric_family.h"

namespace mailrep {

std::string HelpText(const MetricFamily& family, bool measured_now) {
  std::string text(family.help);
  if (family.cached && !measured_now) text += kCachedNote;
  return text;
}

std::string_view MetricTypeName(prometheus::MetricType type) {
  switch (type) {
    case prometheus::MetricType::Counter:
      return "counter";
    case prometheus::MetricType::Gauge:
      return "gauge";
    case prometheus::MetricType::Histogram:
      return "histogram";
    case prometheus::MetricType::Summary:
      return "summary";
    case prometheus::MetricType::Untyped:
      return "untyped";
  }
  return "unknown";
}

}  // namespace mailrep
