// `mailrep_exporter check trace ID [--logs FILE]... [--mta M] [--queue-dir DIR]
// [--postfix-config DIR]... [--show-recipients] [--format text|json]`: one
// message, everything the logs and the queue say about it (trace_report.h):
// its queue ids, where it is now (which queue, since when), its submitter and
// client, its sending IPs and each recipient's outcome with the receiver's
// reply class. Recipients' local parts (and the replies, which often quote
// them) are printed only with --show-recipients.
//
// ID is a Message-ID (with or without <>) or a queue id. The logs are read
// with the collector's parsers (--logs, repeatable, plain or gzip; default:
// the file sources of collectors.delivery in --config.file, else the usual
// log files of the MTAs detected under --path.rootfs), in passes
// until the set of the message's queue ids stops growing: every queue id that
// logs the Message-ID, every queue id a hand-off names (a content filter's or
// second instance's "queued as", handoff_reply.h). The queue: --queue-dir (a
// Postfix queue_directory, or with --mta exim an Exim spool_directory), else
// the first instance of collectors.postfix_queue / exim_queue in the config,
// else the detected instance's directory of the MTA (--mta, else the MTA
// whose lines named the message); an unreadable queue is a note on stderr,
// and the report says only what the logs say. --postfix-config (default:
// collectors.delivery.postfix_config_directories) maps Postfix syslog tags
// to sending IPs, as in check logs.
//
// Exit code: 0 the message was found (in the logs or the queue), 1 it was
// not, 2 usage error or a log file that cannot be read.
#ifndef MAILREP_COLLECTORS_DELIVERY_TRACE_CHECK_COMMAND_H_
#define MAILREP_COLLECTORS_DELIVERY_TRACE_CHECK_COMMAND_H_

#include <cstdint>

#include "exporter/core/check_command.h"

namespace mailrep {

inline constexpr char kTraceCheckUsage[] =
    "check trace MESSAGE-ID|QUEUE-ID [--logs FILE]... "
    "[--mta auto|postfix|exim|sendmail|qmail|opensmtpd] [--queue-dir DIR] "
    "[--postfix-config DIR]... [--show-recipients] [--format text|json]";
inline constexpr char kTraceCheckHelp[] =
    "Trace one message by Message-ID or queue id: queue ids, where it is now, submitter, "
    "sending IPs, each recipient's outcome.";

extern const CheckCommand kTraceCheckCommand;

int RunTraceCheck(const CheckCommandContext& ctx);

// RunTraceCheck with ages against `now` (Unix seconds), for tests.
int RunTraceCheckAt(const CheckCommandContext& ctx, int64_t now);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_TRACE_CHECK_COMMAND_H_
