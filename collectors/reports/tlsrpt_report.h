// TlsrptReport and ParseTlsrptReport(): an SMTP TLS report (RFC 8460 §4)
// from its JSON text — per policy domain and type the successful and failed
// session counts, and the failures by result type and receiving MX.
//
// Tolerant where reporters differ: an empty `policies` list, a missing
// summary or date range, counts absent (0). Strict where it matters:
// organization-name, report-id and policies must be there, counts must be
// whole non-negative numbers. The reporter's sending-MTA IPs are not kept
// (their pool; unbounded). Stateless; thread-safe.
#ifndef MAILREP_COLLECTORS_REPORTS_TLSRPT_REPORT_H_
#define MAILREP_COLLECTORS_REPORTS_TLSRPT_REPORT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/util/status.h"

namespace mailrep {

struct TlsrptFailure {
  std::string result_type;   // "certificate-expired", "starttls-not-supported", ...
  std::string receiving_mx;  // receiving-mx-hostname; "" when not given
  std::string receiving_ip;  // receiving-ip (our MX address); "" when not given
  uint64_t count = 0;        // failed-session-count
};

struct TlsrptPolicy {
  std::string policy_domain;
  std::string policy_type;  // "sts", "tlsa", "no-policy-found"
  std::vector<std::string> mx_hosts;
  uint64_t successful = 0;  // total-successful-session-count
  uint64_t failed = 0;      // total-failure-session-count
  std::vector<TlsrptFailure> failures;
};

struct TlsrptReport {
  std::string reporter;               // organization-name
  std::string report_id;              // report-id
  std::string contact;                // contact-info
  std::optional<int64_t> begin, end;  // date-range, Unix seconds
  std::vector<TlsrptPolicy> policies;
};

// At most this many policies and failure details in all (too_many_records past it).
inline constexpr size_t kMaxTlsrptEntries = 10000;

// tlsrpt_schema when the JSON is no report, json_syntax/json_limits when it is
// no JSON.
StatusOr<TlsrptReport> ParseTlsrptReport(std::string_view json);

// Seconds since the epoch of an RFC 3339 date-time ("2026-12-01T00:00:00Z",
// fractions and "+01:00" offsets allowed); none when malformed.
std::optional<int64_t> ParseRfc3339(std::string_view text);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_REPORTS_TLSRPT_REPORT_H_
