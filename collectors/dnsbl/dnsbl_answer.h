// Decoding one DNS answer from one DNSBL into a verdict. Pure; no I/O.
//
// Rules (RFC 5782 and the catalogue):
//   NXDOMAIN / NODATA                 -> clean
//   every A value a known code/bit    -> listed / allowlisted / clean (neutral)
//   any A value an error code         -> error refusal_code (never listed)
//   any other A value (e.g. outside 127/8, a parking wildcard) -> error
//                                        unexpected_answer (never listed)
//   SERVFAIL, REFUSED, timeout, ...   -> error of that kind (never listed)
#ifndef MAILREP_COLLECTORS_DNSBL_DNSBL_ANSWER_H_
#define MAILREP_COLLECTORS_DNSBL_DNSBL_ANSWER_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/dns/dns_types.h"
#include "collectors/dnsbl/dnsbl_catalogue.h"

namespace mailrep {

enum class DnsblVerdict {
  kClean,        // not listed (NXDOMAIN, NODATA, or only neutral codes)
  kListed,       // at least one listing code
  kAllowlisted,  // allowlisting codes (and no listing code)
  kError,        // no verdict; see DnsblResult::error
};
std::string_view DnsblVerdictName(DnsblVerdict v);  // clean, listed, allowlisted, error

// Why a lookup gave no verdict. Names are bounded label values.
enum class DnsblError {
  kNone,
  kTimeout,           // no answer in time
  kServFail,          // SERVFAIL
  kRefused,           // DNS REFUSED
  kRefusalCode,       // an A value from the list's error codes (127.255.255.254, ...)
  kUnexpectedAnswer,  // an A value that is neither a code nor an error code
  kMalformed,         // an undecodable answer
  kOther,             // cancelled, other RCODEs, socket errors
  kBudgetExhausted,   // not sent: the list's daily query budget is spent (query_budget.h)
};
// The number of DnsblError values (arrays indexed by DnsblError).
inline constexpr size_t kDnsblErrorKinds = 9;
// "", "timeout", "servfail", "refused", "refusal_code", "unexpected_answer",
// "malformed", "other", "budget_exhausted".
std::string_view DnsblErrorName(DnsblError e);
// The error kinds exported from the start (zero) for every list.
const std::vector<DnsblError>& AllDnsblErrors();

struct DnsblMatch {
  std::string code;     // the A value, "127.0.0.2"
  std::string meaning;  // from the catalogue
  DnsblCodeClass code_class = DnsblCodeClass::kListed;
  bool operator==(const DnsblMatch&) const = default;
};

struct DnsblResult {
  DnsblVerdict verdict = DnsblVerdict::kError;
  // Every decoded A value, in answer order, duplicates removed (listed,
  // allowlisted and neutral ones).
  std::vector<DnsblMatch> matches;
  DnsblError error = DnsblError::kNone;
  std::string error_detail;  // for people: "127.255.255.254: query through a public resolver"
  uint32_t ttl = 0;

  bool ok() const { return verdict != DnsblVerdict::kError; }
};

DnsblResult DecodeDnsblAnswer(const DnsblList& list, const DnsAnswer& answer);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNSBL_DNSBL_ANSWER_H_
