// The delivery collector's metric families, described once: DeliveryStats
// fills the first five, DeliveryCollector mailrep_log_source_up and the
// Message-ID index's two, and
// DeliveryCollectorSpec() lists them all (kDeliveryFamilies). Constant data.
#ifndef MAILREP_COLLECTORS_DELIVERY_DELIVERY_METRICS_H_
#define MAILREP_COLLECTORS_DELIVERY_DELIVERY_METRICS_H_

#include "exporter/core/metric_family.h"

namespace mailrep {

inline constexpr MetricFamily kDeliveriesFamily{
    "mailrep_deliveries_total",
    prometheus::MetricType::Counter,
    {"mta", "sending_ip", "status", "provider"},
    "Outbound delivery attempts read from MTA logs, by MTA, local sending IP, outcome (sent, "
    "deferred, bounced, expired; local deliveries are not counted) and receiving provider.",
    true};
inline constexpr MetricFamily kRejectionsFamily{
    "mailrep_delivery_rejections_total",
    prometheus::MetricType::Counter,
    {"mta", "sending_ip", "provider", "reason"},
    "Deferred, bounced and expired deliveries by the class of the receiver's reply.",
    true};
inline constexpr MetricFamily kCitedBlocklistFamily{
    "mailrep_delivery_cited_blocklist_total",
    prometheus::MetricType::Counter,
    {"dnsbl"},
    "Rejections whose reply cites a blocklist, by blocklist (other: a blocklist rejection naming "
    "no known list).",
    true};
inline constexpr MetricFamily kDelayFamily{
    "mailrep_delivery_delay_seconds",
    prometheus::MetricType::Histogram,
    {"mta", "status"},
    "Time from arrival to this delivery outcome, as logged by the MTA, in seconds.",
    true};
inline constexpr MetricFamily kLogLinesFamily{
    "mailrep_log_lines_total",
    prometheus::MetricType::Counter,
    {"source", "result"},
    "Log lines read, by source and result (parsed: a delivery outcome; ignored: not a delivery; "
    "malformed: unreadable, counted and skipped).",
    true};
inline constexpr MetricFamily kLogSourceUpFamily{
    "mailrep_log_source_up",
    prometheus::MetricType::Gauge,
    {"source"},
    "Whether the log file or journal could be read (1) or is missing or unreadable (0).",
    true};

inline constexpr MetricFamily kPostfixConfigUnreadableFamily{
    "mailrep_delivery_postfix_config_unreadable",
    prometheus::MetricType::Gauge,
    {},
    "Postfix configuration directories whose master.cf could not be read when the collector was "
    "built, so their sending IPs show as unknown; a reload reads them again. Absent when no "
    "Postfix configuration was looked for.",
    true};

inline constexpr MetricFamily kMessageIdsFamily{
    "mailrep_delivery_message_ids",
    prometheus::MetricType::Gauge,
    {},
    "Messages sent (read from the logs within message_ids.max_age) held in the Message-ID index "
    "that complaints are joined with; at most message_ids.max.",
    true};
inline constexpr MetricFamily kMessageIdsEvictedFamily{
    "mailrep_delivery_message_ids_evicted_total",
    prometheus::MetricType::Counter,
    {},
    "Messages dropped from the Message-ID index before message_ids.max_age because it was full "
    "(oldest first); complaints about them cannot be joined by Message-ID.",
    true};

inline constexpr MetricFamily kDeliveryFamilies[] = {
    kDeliveriesFamily,       kRejectionsFamily,  kCitedBlocklistFamily,          kDelayFamily,
    kLogLinesFamily,         kLogSourceUpFamily, kPostfixConfigUnreadableFamily, kMessageIdsFamily,
    kMessageIdsEvictedFamily};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_DELIVERY_METRICS_H_
