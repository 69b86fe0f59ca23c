#include "exporter/core/tlsrpt_intake_metrics.h"

namespace mailrep {
namespace {

using prometheus::MetricType;

constexpr MetricFamily kRequests{
    "mailrep_tlsrpt_intake_requests_total",
    MetricType::Counter,
    {"code", "reason"},
    "Requests to the TLS-RPT HTTPS intake (collectors.reports.tlsrpt_intake) by the HTTP status "
    "answered and why: accepted (200, spooled), not_found, method, content_type, rate, busy, "
    "spool_full, spool_error, or the invalid-report reason of a 400 (bad_gzip, json_syntax, "
    "tlsrpt_schema, decompressed_too_large, ...). Connections the server closes (a body over "
    "max_body_bytes or slower than body_timeout) are not requests."};
constexpr MetricFamily kSpoolBytes{
    "mailrep_tlsrpt_intake_spool_bytes",
    MetricType::Gauge,
    {},
    "Bytes of reports in the TLS-RPT intake's spool directory (counted at start-up and at each "
    "hourly deletion of reports past spool_retention, plus what the intake wrote since); uploads "
    "get 503 while it is over max_spool_bytes."};

constexpr MetricFamily kTlsRptIntakeFamilies[] = {kRequests, kSpoolBytes};

}  // namespace

void AddTlsRptIntakeMetrics(const TlsRptIntakeStats& stats, MetricSet* out) {
  for (const TlsRptIntakeStats::Count& c : stats.requests) {
    out->Add(kRequests, {std::to_string(c.code), c.reason}, static_cast<double>(c.count));
  }
  out->Add(kSpoolBytes, {}, static_cast<double>(stats.spool_bytes));
}

std::span<const MetricFamily> TlsRptIntakeMetricFamilies() { return kTlsRptIntakeFamilies; }

}  // namespace mailrep
