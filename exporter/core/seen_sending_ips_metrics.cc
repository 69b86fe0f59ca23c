#include "exporter/core/seen_sending_ips_metrics.h"

namespace mailrep {
namespace {

using prometheus::MetricType;

constexpr MetricFamily kHeld{
    "mailrep_seen_sending_ips",
    MetricType::Gauge,
    {},
    "Public local addresses the delivery collector saw mail leave from in the last 7 days (at "
    "most 1024 are kept); collectors.dnsbl.seen_senders checks those of its window."};
constexpr MetricFamily kDropped{
    "mailrep_seen_sending_ips_dropped_total",
    MetricType::Counter,
    {},
    "Times a new public sending IP could not be kept because the store of seen sending IPs was "
    "full (1024 addresses seen in the last 7 days); the delivery collector tries again at its "
    "next run with deliveries from that IP."};

constexpr MetricFamily kSeenSendingIpsFamilies[] = {kHeld, kDropped};

}  // namespace

void AddSeenSendingIpsMetrics(const SeenSendingIpsStats& stats, MetricSet* out) {
  out->Add(kHeld, {}, static_cast<double>(stats.held));
  out->Add(kDropped, {}, static_cast<double>(stats.dropped));
}

std::span<const MetricFamily> SeenSendingIpsMetricFamilies() { return kSeenSendingIpsFamilies; }

}  // namespace mailrep
