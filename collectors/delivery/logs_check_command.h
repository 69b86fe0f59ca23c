// `mailrep_exporter check logs FILE... [--mta M] [--format text|json]
// [--message-id ID] [--destination IP|DOMAIN] [--min-recognised PCT]`: reads
// whole log files (plain or gzip) with the collector's parsers and prints how
// many lines were recognised as an MTA's, deliveries by status, sending IP and
// provider, rejections by reason, cited blocklists and the top rejected
// destinations. --message-id (a Message-ID header value or a queue id) and
// --destination narrow to the matching deliveries and print their lines.
// --postfix-config DIR (repeatable) adds a Postfix config directory to map
// syslog tags to sending IPs (the detected instances are always read).
// --by submitter prints instead exact per-submitter counts for the files
// (submitter_table.h): a table, or {"submitters": [{"kind": K, "name": N,
// "messages": N, "recipients": N, "deferred": N, "bounced": N,
// "client_ips": N}, ...]}, most messages first; exit code 0 (2 on errors).
// Exit code: 0 none rejected for blocklist or reputation reasons, 1 some
// were, or fewer than PCT% (default 10) of the lines were recognised as a
// supported MTA's (the reason, and an --mta to try, go to stderr), 2 usage or
// read error.
#ifndef MAILREP_COLLECTORS_DELIVERY_LOGS_CHECK_COMMAND_H_
#define MAILREP_COLLECTORS_DELIVERY_LOGS_CHECK_COMMAND_H_

#include "exporter/core/check_command.h"

namespace mailrep {

inline constexpr char kLogsCheckUsage[] =
    "check logs FILE... [--mta auto|postfix|exim|sendmail|qmail|opensmtpd] "
    "[--format text|json] [--message-id MESSAGE-ID|QUEUE-ID] [--destination IP|DOMAIN] "
    "[--postfix-config DIR]... [--min-recognised PCT] [--by submitter]";
inline constexpr char kLogsCheckHelp[] =
    "Summarise MTA log files: deliveries, rejections by reason, cited blocklists.";

int RunLogsCheck(const CheckCommandContext& ctx);

// `check logs` for the registry (collectors/registry.cc).
extern const CheckCommand kLogsCheckCommand;

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_LOGS_CHECK_COMMAND_H_
