// `mailrep_exporter check report FILE [--format text|json]`: reads one
// receiver's report — a report mail as delivered (DMARC aggregate or TLS-RPT
// attached as XML/JSON, gzip'd or zip'd; an ARF complaint) or a bare report
// file — with the same reader the report intake will use (ReadReport) and
// prints what was parsed: text for a person, or the JSON of report_json.h.
// Recipients and bodies of complaints are never printed.
//
// Exit code: 0 parsed; 1 not a report or an invalid one (text: "invalid
// report: <reason>: <detail>"; json: {"kind": "invalid", "reason", "detail"}
// on stdout); 2 usage error or an unreadable FILE.
#ifndef MAILREP_COLLECTORS_REPORTS_REPORT_CHECK_COMMAND_H_
#define MAILREP_COLLECTORS_REPORTS_REPORT_CHECK_COMMAND_H_

#include "exporter/core/check_command.h"

namespace mailrep {

inline constexpr char kReportCheckUsage[] = "check report FILE [--format text|json]";
inline constexpr char kReportCheckHelp[] =
    "Parse a DMARC aggregate, TLS-RPT or ARF report (a report mail or a bare .xml/.json/.gz/.zip "
    "file) and print what it says.";

extern const CheckCommand kReportCheckCommand;

int RunReportCheck(const CheckCommandContext& ctx);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_REPORTS_REPORT_CHECK_COMMAND_H_
