// The delivery collector's metric families, described once: DeliveryStats
// fills the first five, DeliveryCollector mailrep_log_source_up and the
// Message-ID index's two, SubmitterStats the mailrep_submitter_* four, and
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

inline constexpr MetricFamily kSubmitterMessagesFamily{
    "mailrep_submitter_messages",
    prometheus::MetricType::Gauge,
    {"window", "submitter_kind", "submitter"},
    "Outbound messages by submitter (sasl login, local user, else SMTP client IP; unknown when "
    "not traced) over the last window (1h, 24h): the top submitters.top, the rest as other. A "
    "total over a sliding window, not a counter: do not rate() it. Only with submitters.enabled.",
    true};
inline constexpr MetricFamily kSubmitterDeferredFamily{
    "mailrep_submitter_deferred_messages",
    prometheus::MetricType::Gauge,
    {"window", "submitter_kind", "submitter"},
    "Messages deferred at least once, by submitter (the top of mailrep_submitter_messages, the "
    "rest as other), over the last window; a window total, do not rate() it.",
    true};
inline constexpr MetricFamily kSubmitterBouncedFamily{
    "mailrep_submitter_bounced_messages",
    prometheus::MetricType::Gauge,
    {"window", "submitter_kind", "submitter"},
    "Messages bounced or expired, by submitter (the top of mailrep_submitter_messages, the rest "
    "as other), over the last window; a window total, do not rate() it.",
    true};
inline constexpr MetricFamily kSubmitterBlocklistFamily{
    "mailrep_submitter_blocklist_rejections",
    prometheus::MetricType::Gauge,
    {"window", "submitter_kind", "submitter"},
    "Messages with a rejection citing a blocklist, by submitter (the top of "
    "mailrep_submitter_messages, the rest as other), over the last window; a window total, do "
    "not rate() it.",
    true};

inline constexpr MetricFamily kSubmitterRecipientsFamily{
    "mailrep_submitter_recipients",
    prometheus::MetricType::Gauge,
    {"window", "submitter_kind", "submitter"},
    "Recipients of the submitter's messages with a delivery outcome (sent, deferred, bounced) "
    "over the last window, each counted once per message at its first outcome (deferred, then "
    "sent: once), by submitter (the top of mailrep_submitter_messages, the rest as other); a "
    "window total, do not rate() it.",
    true};
inline constexpr MetricFamily kSubmitterClientIpsFamily{
    "mailrep_submitter_client_ips",
    prometheus::MetricType::Gauge,
    {"window", "submitter_kind", "submitter"},
    "Distinct SMTP client addresses the submitter's messages came from over the last window, a "
    "HyperLogLog estimate (exact for a few, about 6.5 % error for hundreds), for the top of "
    "mailrep_submitter_messages (no other row); 1 for submitter_kind client, 0 for local "
    "submissions without a client. Not a counter: do not rate() it.",
    true};
inline constexpr MetricFamily kSubmitterRecipientDomainsFamily{
    "mailrep_submitter_recipient_domains",
    prometheus::MetricType::Gauge,
    {"window", "submitter_kind", "submitter"},
    "Distinct recipient domains of the submitter's messages with a delivery outcome over the "
    "last window, a HyperLogLog estimate (exact for a few, about 6.5 % error for hundreds), for "
    "the top of mailrep_submitter_messages (no other row). Not a counter: do not rate() it.",
    true};

inline constexpr MetricFamily kDeliveryFamilies[] = {kDeliveriesFamily,
                                                     kRejectionsFamily,
                                                     kCitedBlocklistFamily,
                                                     kDelayFamily,
                                                     kLogLinesFamily,
                                                     kLogSourceUpFamily,
                                                     kPostfixConfigUnreadableFamily,
                                                     kMessageIdsFamily,
                                                     kMessageIdsEvictedFamily,
                                                     kSubmitterMessagesFamily,
                                                     kSubmitterDeferredFamily,
                                                     kSubmitterBouncedFamily,
                                                     kSubmitterBlocklistFamily,
                                                     kSubmitterRecipientsFamily,
                                                     kSubmitterClientIpsFamily,
                                                     kSubmitterRecipientDomainsFamily};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_DELIVERY_METRICS_H_
