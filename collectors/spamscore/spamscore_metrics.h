// The spamscore collector's metric families, described once: SpamStats fills
// the first six, SpamscoreCollector adds mailrep_spam_log_source_up and
// SpamIpJoin the join's three;
// SpamscoreCollectorSpec() lists them all (kSpamscoreFamilies). Constant data.
#ifndef MAILREP_COLLECTORS_SPAMSCORE_SPAMSCORE_METRICS_H_
#define MAILREP_COLLECTORS_SPAMSCORE_SPAMSCORE_METRICS_H_

#include "exporter/core/metric_family.h"

namespace mailrep {

inline constexpr MetricFamily kSpamScoreFamily{
    "mailrep_spam_score",
    prometheus::MetricType::Histogram,
    {"filter"},
    "Spam scores the outbound filter gave the messages it scanned, by filter (rspamd, "
    "spamassassin; spamd logs whole points, truncated toward zero). Skipped rspamd tasks are not "
    "observed.",
    true};
inline constexpr MetricFamily kSpamMessagesFamily{
    "mailrep_spam_messages_total",
    prometheus::MetricType::Counter,
    {"filter", "action"},
    "Messages the outbound spam filter scanned, by filter and action (rspamd: no_action, "
    "greylist, add_header, rewrite_subject, soft_reject, reject, other for a custom action, "
    "skipped; spamassassin: spam, not_spam).",
    true};
inline constexpr MetricFamily kSpamSymbolHitsFamily{
    "mailrep_spam_symbol_hits_total",
    prometheus::MetricType::Counter,
    {"filter", "symbol"},
    "Rule (symbol) hits in scanned messages, for the symbols of the configured allow-list; "
    "every other symbol counts as other.",
    true};
inline constexpr MetricFamily kSpamThresholdFamily{
    "mailrep_spam_threshold",
    prometheus::MetricType::Gauge,
    {"filter"},
    "The score threshold in the filter's last result line: rspamd's reject score, spamd's "
    "required_score.",
    true};
inline constexpr MetricFamily kSpamParseErrorsFamily{
    "mailrep_spam_log_parse_errors_total",
    prometheus::MetricType::Counter,
    {"filter", "reason"},
    "Filter result lines that could not be read, by filter and reason (too_long, no_verdict, "
    "bad_score, bad_action, bad_symbols).",
    true};
inline constexpr MetricFamily kSpamLogLinesFamily{
    "mailrep_spam_log_lines_total",
    prometheus::MetricType::Counter,
    {"source", "result"},
    "Lines read from the spam filter logs, by source and result (parsed: a result line; "
    "ignored: another line; malformed: a result line that could not be read).",
    true};
inline constexpr MetricFamily kSpamLogSourceUpFamily{
    "mailrep_spam_log_source_up",
    prometheus::MetricType::Gauge,
    {"source"},
    "Whether the spam filter's log file or journal could be read (1) or is missing or "
    "unreadable (0).",
    true};

inline constexpr MetricFamily kSpamMessagesBySendingIpFamily{
    "mailrep_spam_messages_by_sending_ip_total",
    prometheus::MetricType::Counter,
    {"filter", "sending_ip", "action"},
    "Scanned messages joined by Message-ID to the address they were later sent from (the "
    "delivery collector's logs, so always one of ours; after 1,024 distinct addresses, or when "
    "the log named none, other), by filter and action. Counted when the delivery is logged.",
    true};
inline constexpr MetricFamily kSpamVerdictJoinsFamily{
    "mailrep_spam_verdict_joins_total",
    prometheus::MetricType::Counter,
    {"result"},
    "Filter verdicts held for the join to the sending IP, by how they ended: joined (the "
    "delivery was logged), expired (no delivery within an hour), dropped (50,000 held; the "
    "oldest made room).",
    true};
inline constexpr MetricFamily kSpamVerdictsPendingFamily{
    "mailrep_spam_verdicts_pending",
    prometheus::MetricType::Gauge,
    {},
    "Filter verdicts held now, waiting for their message's delivery to be logged.",
    true};

inline constexpr MetricFamily kSpamscoreFamilies[] = {
    kSpamScoreFamily,        kSpamMessagesFamily,
    kSpamSymbolHitsFamily,   kSpamThresholdFamily,
    kSpamParseErrorsFamily,  kSpamLogLinesFamily,
    kSpamLogSourceUpFamily,  kSpamMessagesBySendingIpFamily,
    kSpamVerdictJoinsFamily, kSpamVerdictsPendingFamily};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_SPAMSCORE_SPAMSCORE_METRICS_H_
