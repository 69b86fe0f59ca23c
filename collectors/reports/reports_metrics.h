// The reports collector's metric families, described once: ReportStats fills
// them and ReportsCollectorSpec() lists them (kReportsFamilies). Constant data.
#ifndef MAILREP_COLLECTORS_REPORTS_REPORTS_METRICS_H_
#define MAILREP_COLLECTORS_REPORTS_REPORTS_METRICS_H_

#include "exporter/core/metric_family.h"

namespace mailrep {

inline constexpr MetricFamily kReportsReadFamily{
    "mailrep_reports_total",
    prometheus::MetricType::Counter,
    {"kind", "result"},
    "Receivers' report files read, by kind (dmarc, tlsrpt, arf; unknown for an invalid file) and "
    "result (ok: counted; duplicate: a reporter and report id already counted; invalid: not "
    "read, see mailrep_reports_invalid_total).",
    true};
inline constexpr MetricFamily kReportsInvalidFamily{
    "mailrep_reports_invalid_total",
    prometheus::MetricType::Counter,
    {"reason"},
    "Report files that could not be read, by reason (not_a_report, bad_gzip, xml_dtd, "
    "decompressed_too_large, ...); the file is copied to the quarantine directory when one is set.",
    true};
inline constexpr MetricFamily kReportLastReceivedFamily{
    "mailrep_report_last_received_timestamp_seconds",
    prometheus::MetricType::Gauge,
    {"kind", "receiver"},
    "The newest report counted from this receiver, as Unix seconds: the end of its date range "
    "(the time it was read for complaints and reports without one). Kept in the state file.",
    true};
inline constexpr MetricFamily kDmarcMessagesFamily{
    "mailrep_dmarc_report_messages_total",
    prometheus::MetricType::Counter,
    {"ip", "receiver", "disposition"},
    "Messages in DMARC aggregate reports, by source IP (ours: configured senders and sending IPs "
    "seen in the logs; any other address is other), receiver and the disposition it applied.",
    true};
inline constexpr MetricFamily kDmarcAlignedFamily{
    "mailrep_dmarc_report_aligned_messages_total",
    prometheus::MetricType::Counter,
    {"ip", "receiver", "mechanism", "result"},
    "Messages in DMARC aggregate reports by whether DKIM or SPF (mechanism) was aligned and "
    "passed (result pass) or not (fail), as the receiver evaluated it; mechanism dmarc passes "
    "when either did.",
    true};
inline constexpr MetricFamily kTlsrptSessionsFamily{
    "mailrep_tlsrpt_sessions_total",
    prometheus::MetricType::Counter,
    {"policy_domain", "policy_type", "result"},
    "TLS sessions to our MX hosts in TLS-RPT reports, by policy domain (configured ones, else "
    "other), policy type (sts, tlsa, no-policy-found) and result (success, failure).",
    true};
inline constexpr MetricFamily kTlsrptFailuresFamily{
    "mailrep_tlsrpt_failures_total",
    prometheus::MetricType::Counter,
    {"result_type", "mx"},
    "Failed TLS sessions in TLS-RPT reports by result type (RFC 8460 registry, else other) and "
    "our receiving MX host (configured names, else other).",
    true};
inline constexpr MetricFamily kComplaintsFamily{
    "mailrep_complaints_total",
    prometheus::MetricType::Counter,
    {"ip", "provider", "feedback_type"},
    "ARF complaints by the complained-of message's sending IP (Source-IP, else the receiver's "
    "top Received field, else the original Message-ID found in our delivery logs; other when "
    "not ours, unknown when none names one), provider and feedback type (RFC 5965 registry, "
    "else other).",
    true};
inline constexpr MetricFamily kComplaintsAttributedFamily{
    "mailrep_complaints_attributed_total",
    prometheus::MetricType::Counter,
    {"by"},
    "ARF complaints by how their sending IP was found: source_ip (the report's Source-IP), "
    "received (the receiver's top Received field), message_id (the original Message-ID joined "
    "to the delivery collector's log index) or none.",
    true};
inline constexpr MetricFamily kReportsStateErrorsFamily{
    "mailrep_reports_state_errors_total",
    prometheus::MetricType::Counter,
    {"operation"},
    "Failures to load (a corrupt file: set aside as .corrupt, started afresh) or save the "
    "reports state file.",
    true};
inline constexpr MetricFamily kReportsSourceErrorsFamily{
    "mailrep_reports_source_errors_total",
    prometheus::MetricType::Counter,
    {"source_kind", "reason"},
    "Failures of a report source other than a directory, by source kind (imap) and reason "
    "(password_file, connect, tls, login, mailbox, search, fetch, mark, move, timeout, protocol); "
    "the run goes on and the next one tries again.",
    true};
inline constexpr MetricFamily kReportsBacklogFamily{
    "mailrep_reports_backlog_files",
    prometheus::MetricType::Gauge,
    {},
    "New or changed report files, and unseen mailbox messages, left for the next run by "
    "max_reports_per_run.",
    true};

inline constexpr MetricFamily kReportsFamilies[] = {
    kReportsReadFamily,        kReportsInvalidFamily,      kReportLastReceivedFamily,
    kDmarcMessagesFamily,      kDmarcAlignedFamily,        kTlsrptSessionsFamily,
    kTlsrptFailuresFamily,     kComplaintsFamily,          kComplaintsAttributedFamily,
    kReportsStateErrorsFamily, kReportsSourceErrorsFamily, kReportsBacklogFamily};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_REPORTS_REPORTS_METRICS_H_
