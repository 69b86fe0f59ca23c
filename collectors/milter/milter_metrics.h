// The milter collector's metric families, described once: MilterStats and
// the collector fill them, MilterCollectorSpec() lists them. Constant data.
#ifndef MAILREP_COLLECTORS_MILTER_MILTER_METRICS_H_
#define MAILREP_COLLECTORS_MILTER_MILTER_METRICS_H_

#include "exporter/core/metric_family.h"

namespace mailrep {

inline constexpr MetricFamily kMilterUpFamily{
    "mailrep_milter_up",
    prometheus::MetricType::Gauge,
    {},
    "1 while the milter listens on collectors.milter.listen, 0 when it could not bind (the MTA "
    "then passes mail unfiltered, milter_default_action = accept).",
    true};
inline constexpr MetricFamily kMilterConnectionsFamily{"mailrep_milter_connections",
                                                       prometheus::MetricType::Gauge,
                                                       {},
                                                       "MTA connections to the milter open now.",
                                                       true};
inline constexpr MetricFamily kMilterConnectionsTotalFamily{
    "mailrep_milter_connections_total",
    prometheus::MetricType::Counter,
    {"result"},
    "MTA connections to the milter, by result (accepted; refused: over "
    "collectors.milter.max_connections; protocol_error: ended on a malformed packet).",
    true};
inline constexpr MetricFamily kMilterMessagesFamily{
    "mailrep_milter_messages_total",
    prometheus::MetricType::Counter,
    {"stream", "sender_domain"},
    "Messages the milter analysed, by stream (bulk: Precedence, List-Id, List-Unsubscribe or the "
    "configured bulk header; else transactional) and envelope-sender domain (a configured sender "
    "domain, else other).",
    true};
inline constexpr MetricFamily kMilterSkippedFamily{
    "mailrep_milter_messages_skipped_total",
    prometheus::MetricType::Counter,
    {"reason"},
    "Messages the milter accepted without analysing them, by reason (too_large: over "
    "max_message_bytes; too_slow: over max_message_time from MAIL FROM to end of message; busy: "
    "the analysis queue held analysis_queue_bytes already).",
    true};
inline constexpr MetricFamily kMilterRecipientsFamily{
    "mailrep_milter_recipients_total",
    prometheus::MetricType::Counter,
    {},
    "Envelope recipients of the messages the milter analysed (counted, never kept).",
    true};
inline constexpr MetricFamily kMilterListedLinkFamily{
    "mailrep_milter_listed_link_messages_total",
    prometheus::MetricType::Counter,
    {"list"},
    "Analysed messages with a link to a domain listed on the domain blocklist (a zone of "
    "collectors.milter.lists).",
    true};
inline constexpr MetricFamily kMilterLinkChecksFamily{
    "mailrep_milter_link_checks_total",
    prometheus::MetricType::Counter,
    {"result"},
    "Analysed messages with links, by whether their domains were looked up (checked; dropped: "
    "the lookup queue was full; no_dns: no resolver). Lookups run after the MTA has its answer.",
    true};
inline constexpr MetricFamily kMilterUnconvertibleLinkFamily{
    "mailrep_milter_unconvertible_link_messages_total",
    prometheus::MetricType::Counter,
    {},
    "Analysed messages with a link whose host is written in Unicode or percent-encoded but has "
    "no valid IDNA2008 A-label (an emoji, a leading hyphen, another charset than UTF-8): links "
    "no domain blocklist can be asked about, never looked up.",
    true};
inline constexpr MetricFamily kMilterUnsubscribeFamily{
    "mailrep_milter_unsubscribe_problems_total",
    prometheus::MetricType::Counter,
    {"problem"},
    "Bulk messages without compliant one-click unsubscribe, by problem (missing: no "
    "List-Unsubscribe; no_one_click; not_https; dkim_not_covering: a DKIM-Signature whose h= "
    "leaves out List-Unsubscribe or List-Unsubscribe-Post).",
    true};
inline constexpr MetricFamily kMilterFormatFamily{
    "mailrep_milter_format_problems_total",
    prometheus::MetricType::Counter,
    {"problem"},
    "Analysed messages with the RFC 5322 or MIME format problem (from_missing, date_missing, "
    "message_id_missing, line_too_long, bare_lf, mime_boundary_not_found, ...).",
    true};
inline constexpr MetricFamily kMilterFormatMessagesFamily{
    "mailrep_milter_messages_with_format_problems_total",
    prometheus::MetricType::Counter,
    {},
    "Analysed messages with at least one RFC 5322 or MIME format problem, each counted once "
    "however many problems it has (mailrep_milter_format_problems_total counts each problem).",
    true};
inline constexpr MetricFamily kMilterAttachmentsFamily{
    "mailrep_milter_attachments_total",
    prometheus::MetricType::Counter,
    {"class"},
    "Attachments of analysed messages, by risk class (none, archive, encrypted_archive, "
    "macro_office, executable).",
    true};
inline constexpr MetricFamily kMilterAttachmentSizeFamily{
    "mailrep_milter_attachment_size_bytes",
    prometheus::MetricType::Histogram,
    {},
    "Decoded sizes of the attachments of analysed messages.",
    true};

inline constexpr MetricFamily kMilterFamilies[] = {
    kMilterUpFamily,          kMilterConnectionsFamily,   kMilterConnectionsTotalFamily,
    kMilterMessagesFamily,    kMilterSkippedFamily,       kMilterRecipientsFamily,
    kMilterListedLinkFamily,  kMilterLinkChecksFamily,    kMilterUnconvertibleLinkFamily,
    kMilterUnsubscribeFamily, kMilterFormatFamily,        kMilterFormatMessagesFamily,
    kMilterAttachmentsFamily, kMilterAttachmentSizeFamily};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_MILTER_MILTER_METRICS_H_
