// `mailrep_exporter check snds (--url-file F | --key-file F) [--ip IP]...
//  [--ca-file F] [--format text|json]`: both SNDS reports fetched once over
// HTTPS (--ca-file: a PEM CA bundle instead of the system store), printed per
// IP (every IP of the IP data report, or only the --ip ones):
//   {"ips": [{"ip", "filter_result": "green|yellow|red"|null, "blocked":
//    BOOL|null, "complaint_rate", "complaint_rate_is_bound", "trap_hits",
//    "rcpt_commands", "data_commands", "message_recipients", "activity_start",
//    "activity_end"}], "ip_data": STATE, "ip_status": STATE}
// where STATE is the fetch outcome (snds_fetch.h: "ok", "no_data", "html",
// ...). The link and key are never printed. Exit 0 when both reports came and
// every IP is green and unblocked, 1 otherwise, 2 on usage errors or an
// unreadable link file.
#ifndef MAILREP_COLLECTORS_SNDS_SNDS_CHECK_COMMAND_H_
#define MAILREP_COLLECTORS_SNDS_SNDS_CHECK_COMMAND_H_

#include "exporter/core/check_command.h"

namespace mailrep {

extern const CheckCommand kSndsCheckCommand;

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_SNDS_SNDS_CHECK_COMMAND_H_
