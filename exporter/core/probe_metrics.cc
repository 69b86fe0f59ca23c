#include "exporter/core/probe_metrics.h"

namespace mailrep {
namespace {

using prometheus::MetricType;

constexpr MetricFamily kProbeSuccess{
    "probe_success", MetricType::Gauge, {}, "Whether the probe succeeded."};
constexpr MetricFamily kProbeDuration{
    "probe_duration_seconds", MetricType::Gauge, {}, "How long the probe took."};
constexpr MetricFamily kProbeTimeout{
    "probe_timeout_seconds", MetricType::Gauge, {}, "The time the probe was allowed to take."};

constexpr MetricFamily kProbeFamilies[] = {kProbeSuccess, kProbeDuration, kProbeTimeout};

}  // namespace

void AddProbeEnvelope(bool success, double duration_seconds, double timeout_seconds,
                      MetricSet* out) {
  out->Add(kProbeSuccess, {}, success ? 1 : 0);
  out->Add(kProbeDuration, {}, duration_seconds);
  out->Add(kProbeTimeout, {}, timeout_seconds);
}

std::span<const MetricFamily> ProbeEnvelopeFamilies() { return kProbeFamilies; }

}  // namespace mailrep
