// `mailrep_exporter check queue [--mta M] [--spool DIR] [--format text|json]`:
// the playbook's "inspect the queue" step across MTAs. Scans each instance
// once with the collectors' readers (AllQueueMtas()) and prints, per
// instance, aligned tables (per queue: messages, recipients, bytes, oldest
// age; top deferred destinations; deferral reasons) or JSON:
//   {"mta": "postfix", "instance": "default",
//    "queues": {"deferred": {"messages": N, "recipients": N, "bytes": N,
//                            "oldest_age_seconds": N}, ...},
//    "deferred_by_destination": {"example.com": N, ..., "other": N},
//    "deferred_by_reason": {"blocklist": N, ...}}
// one such object when one instance is scanned, a JSON array of them when
// several are. Deferred destinations and reasons count messages, as
// mailrep_queue_deferred_messages_by_{destination,reason} do: a message counts
// once under each distinct domain of its pending recipients and once under
// each reason class its recipients were deferred for (qshape's default
// recipient-domain view counts recipients instead, so it can show more).
//
// With --by sender|submitter|destination, instead: one table per instance,
// a row per envelope sender (full address), submitter (SASL login, local user
// or uid, or client IP, with its kind) or recipient domain over the whole
// queue, exact, most messages first (queue_by_table.h); --top N keeps N rows
// and sums the rest as "other". Full addresses and account names are printed:
// this output is for a person at the host, never for metrics. JSON:
//   {"mta": M, "instance": I, "by": "submitter",
//    "rows": [{"key": K, "kind": "sasl|local|client|unknown" (submitter only),
//              "messages": N, "recipients": N, "deferred": N, "held": N,
//              "oldest_age_seconds": N}, ...]}
// --hash-key KEY adds each submitter's label under submitter_labels: hash
// ("label": "h:..."), to find whom a metric's hashed label names.
//
// Which instances: --mta and --spool DIR (opened as given): that directory;
// --mta alone: the instances of that MTA the host collector's MTA detection
// finds under --path.rootfs (else its Debian default directory); neither:
// every instance detected. Exit code: 0 every scan worked, 2 usage error,
// nothing to scan, or a scan failed (the others are still printed).
#ifndef MAILREP_COLLECTORS_QUEUE_QUEUE_CHECK_COMMAND_H_
#define MAILREP_COLLECTORS_QUEUE_QUEUE_CHECK_COMMAND_H_

#include <cstdint>

#include "exporter/core/check_command.h"

namespace mailrep {

inline constexpr char kQueueCheckUsage[] =
    "check queue [--mta postfix|exim|sendmail|qmail|opensmtpd] [--spool DIR] "
    "[--by sender|submitter|destination [--top N] [--hash-key KEY]] "
    "[--format text|json]  (json: one object, or an array when several instances)";
inline constexpr char kQueueCheckHelp[] =
    "Inspect MTA queues: per queue counts, bytes, oldest age; deferred destinations and reasons; "
    "with --by, messages per envelope sender, submitter or recipient domain.";

extern const CheckCommand kQueueCheckCommand;

int RunQueueCheck(const CheckCommandContext& ctx);

// RunQueueCheck with ages computed at `now` (Unix seconds), for tests.
int RunQueueCheckAt(const CheckCommandContext& ctx, int64_t now);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_QUEUE_CHECK_COMMAND_H_
