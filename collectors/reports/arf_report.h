// ArfReport and ParseArfReport(): a complaint in the Abuse Reporting Format
// (RFC 5965, updated by RFC 6650) — the machine-readable
// message/feedback-report fields and the original message's Message-ID.
//
// Privacy: Original-Rcpt-To, the original's recipients and any body are
// never read into the result, so nothing downstream can log or export them.
// Stateless; thread-safe.
#ifndef MAILREP_COLLECTORS_REPORTS_ARF_REPORT_H_
#define MAILREP_COLLECTORS_REPORTS_ARF_REPORT_H_

#include <optional>
#include <string>
#include <string_view>

#include "exporter/util/status.h"

namespace mailrep {

struct ArfReport {
  std::string feedback_type;                       // lower-cased: "abuse", "fraud", "not-spam", ...
  std::string user_agent;                          // the reporter's software, as sent
  std::string version;                             // "1"
  std::optional<std::string> source_ip;            // Source-IP, when it is an IP address
  std::optional<std::string> reported_domain;      // the first Reported-Domain
  std::optional<std::string> reporting_mta;        // Reporting-MTA
  std::optional<std::string> arrival_date;         // Arrival-Date, as written
  std::optional<std::string> original_message_id;  // Message-ID of the original
  std::optional<std::string> original_from_domain;  // domain of the original's From
  // The connecting IP in the original's top Received: field (the receiver's
  // own, "from host (name [192.0.2.10]) by mx..."), when it names one.
  std::optional<std::string> top_received_ip;
};

// `feedback` is the body of the message/feedback-report part; `original` the
// original message or its headers (message/rfc822, text/rfc822-headers), ""
// when the report has none. arf_schema without a Feedback-Type.
StatusOr<ArfReport> ParseArfReport(std::string_view feedback, std::string_view original);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_REPORTS_ARF_REPORT_H_
