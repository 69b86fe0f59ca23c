// TraceReport: what `check trace` prints about one message, built from the
// MessageHistory of its queue ids and, when the queue was readable, its
// queue file (queued_message_lookup.h). Pure functions over those.
//
// Recipients: each recipient's last outcome over all its queue ids, in log
// order, hand-offs left out (they are no delivery): sent, deferred or bounced
// (a bounce, or a Postfix expiry of the then still deferred ones). A pending
// recipient of the queue file with no outcome in the logs is "deferred" when
// the queue recorded a deferral for it (its reason classified) or the file is
// in the deferred queue, else "queued". The
// reply class is the receiver's reply classified (ReplyClassifier's reason:
// "blocklist", "rate_limit", ...) for deferred and bounced ones, none for the
// others. The submitter is the first queue id's (through hand-offs) that the
// log names one for, an account or local user before a client address; else
// the queue file's. Sending IPs: those of the outcomes, in order, distinct.
#ifndef MAILREP_COLLECTORS_DELIVERY_TRACE_REPORT_H_
#define MAILREP_COLLECTORS_DELIVERY_TRACE_REPORT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "collectors/delivery/message_history.h"
#include "collectors/queue/queue_composition.h"
#include "collectors/queue/queued_message_lookup.h"

namespace mailrep {

struct TraceRecipient {
  std::string address;                     // as logged or queued
  std::string domain;                      // lower-cased; "" when none
  std::string status;                      // "sent", "deferred", "bounced", "queued"
  std::optional<std::string> reply_class;  // deferred and bounced only
  std::string dsn;                         // of the last outcome; "" when none
  std::string reply;                       // of the last outcome; "" when none
};

struct TraceReport {
  std::string id;                      // as asked, without angle brackets
  std::vector<std::string> queue_ids;  // with lines in the logs or in the queue, log order
  std::string message_id;              // as logged; "" when unknown
  SubmitterKind submitter_kind = SubmitterKind::kUnknown;
  std::string submitter;  // "" when unknown
  std::string client_ip;  // the SMTP client's address, "" when unknown
  std::vector<std::string> sending_ips;
  std::vector<TraceRecipient> recipients;
  std::optional<std::string> in_queue;  // "incoming", "active", "deferred", "hold"
  std::optional<int64_t> in_queue_since;
  std::string queued_id;  // the queue id found in the queue, or ""

  // True when the logs or the queue knew the message.
  bool found() const { return !queue_ids.empty(); }
};

// `queue_ids`: the message's queue ids (any order; those the history does not
// know are skipped unless `queued` is theirs). `queued`: what the queue holds
// under `queued_id`, if anything.
TraceReport BuildTraceReport(std::string id, const MessageHistory& history,
                             const std::vector<std::string>& queue_ids,
                             const std::optional<QueuedMessage>& queued,
                             const std::string& queued_id);

// The JSON object (one line, no newline):
//   {"id": ID, "queue_ids": [...], "submitter": {"kind": "sasl|local|client|unknown",
//    "name": N|null}, "client_ip": IP|null, "sending_ips": [...], "recipients":
//   [{"domain": D, ["recipient": ADDRESS,] "status": S, "reply_class": C|null}],
//    "in_queue": Q|null, "in_queue_since": UNIX|null}
// "recipient" only with `show_recipients`.
std::string TraceReportJson(const TraceReport& report, bool show_recipients);

// Lines for a person; ages against `now` (Unix seconds).
std::string TraceReportText(const TraceReport& report, bool show_recipients, int64_t now);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_TRACE_REPORT_H_
