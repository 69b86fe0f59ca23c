// The JSON form of a parsed report, as `check report --format json` prints
// it (one line, keys in a fixed order):
//   DMARC:   {"kind": "dmarc", "reporter", "report_id", "begin", "end",
//             "policy_domain", "schema": "rfc7489"|"rfc9990", "policy": {...},
//             "records": [{"source_ip", "count", "disposition", "dkim_aligned",
//             "spf_aligned", "header_from", "dkim": [...], "spf": [...]}]}
//   TLS-RPT: {"kind": "tlsrpt", "reporter", "report_id", "begin", "end",
//             "policies": [{"policy_domain", "policy_type", "successful",
//             "failed", "failures": [{"result_type", "receiving_mx", "count"}]}]}
//   ARF:     {"kind": "arf", "feedback_type", "source_ip", "original_message_id",
//             "reported_domain", ...} (absent fields are null)
//   invalid: {"kind": "invalid", "reason": "<ReportInvalidReasonName>", "detail"}
// Stateless; thread-safe.
#ifndef MAILREP_COLLECTORS_REPORTS_REPORT_JSON_H_
#define MAILREP_COLLECTORS_REPORTS_REPORT_JSON_H_

#include <string>

#include "collectors/reports/report_reader.h"
#include "exporter/util/status.h"

namespace mailrep {

std::string ReportJson(const ParsedReport& report);

// `status` is a ReadReport() failure.
std::string InvalidReportJson(const Status& status);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_REPORTS_REPORT_JSON_H_
