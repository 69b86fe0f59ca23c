// The SPF check_host() function of RFC 7208 §4-§6, with the evaluation
// facts an operator wants next to the result: DNS-querying terms used, void
// lookups, the record text and common-mistake warnings (standards.md §9).
//
// Evaluation is synchronous over a DnsLookup. Hostile input is bounded: the
// 10-term and 2-void limits, the 10-name MX/PTR sublimits, a recursion cap,
// bounded macro expansion (spf_macro.h: names are cut to 253 octets while
// expanding, explanations capped at 8 KiB) and a wall-clock budget
// (temperror when spent). Functions are thread-safe if the DnsLookup passed in
// is; each thread keeps a few parse buffers between evaluations (allocation
// reuse only, no results are cached across calls).
#ifndef MAILREP_COLLECTORS_AUTH_SPF_EVALUATOR_H_
#define MAILREP_COLLECTORS_AUTH_SPF_EVALUATOR_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/dns/dns_lookup.h"
#include "exporter/util/ip_network.h"

namespace mailrep {

enum class SpfResult { kNone, kNeutral, kPass, kFail, kSoftFail, kTempError, kPermError };

// The RFC's lower-case words: "none", "neutral", "pass", "fail", "softfail",
// "temperror", "permerror".
std::string_view SpfResultName(SpfResult result);

enum class SpfWarningCode {
  kPassAll,               // "+all" or a bare "all": every host passes
  kNeutralAll,            // "?all": no protection for other hosts
  kNoAll,                 // no "all" and no redirect=: neutral for every other host
  kRedirectWithAll,       // redirect= is ignored because the record has "all"
  kPtrMechanism,          // "ptr" is deprecated (RFC 7208 §5.5), slow and fragile
  kPtrMacro,              // %{p} has the same problems
  kWideNetwork,           // a passing ip4 shorter than /16 or ip6 shorter than /32
  kLookupsNearLimit,      // 8 or more of the 10 DNS-querying terms used
  kVoidLookup,            // a term's name had no records (dead include, stale a:/mx:)
  kLargeAnswer,           // the TXT answer exceeds ~450 bytes (UDP size guidance)
  kMultipleRecords,       // several SPF records at one name (permerror)
  kIncludeWithoutRecord,  // include: target without an SPF record (permerror)
  kObsoleteModifier,      // default= and other pre-RFC modifiers are ignored
};

// snake_case, usable as a label value: "pass_all", "neutral_all", "no_all",
// "redirect_with_all", "ptr_mechanism", "ptr_macro", "wide_network",
// "lookups_near_limit", "void_lookup", "large_answer", "multiple_records",
// "include_without_record", "obsolete_modifier".
std::string_view SpfWarningCodeName(SpfWarningCode code);

struct SpfWarning {
  SpfWarningCode code;
  std::string domain;  // the record's domain
  std::string detail;  // human-readable

  bool operator==(const SpfWarning&) const = default;
};

// Which records a domain publishes for the identity being checked.
enum class SpfRecordScope {
  kSpf1,           // RFC 7208: v=spf1 only
  kSenderIdMfrom,  // RFC 4406: spf2.0/ covering mfrom, else v=spf1
  kSenderIdPra,    // RFC 4406: spf2.0/ covering pra, else v=spf1
};

struct SpfOptions {
  int max_dns_terms = 10;  // RFC 7208 §4.6.4
  int max_void_lookups = 2;
  int max_mx_names = 10;   // more MX records is a permerror
  int max_ptr_names = 10;  // more PTR names are ignored
  // Explanation used on fail when the record has no usable exp=. A macro
  // string in the explanation grammar (may use %{c} %{r} %{t}).
  std::string default_explanation = "%{c} is not authorized to send mail for %{d}";
  std::string receiver = "unknown";  // %{r}
  int64_t now_seconds = -1;          // %{t}; -1 means the current time
  // The whole evaluation's wall-clock budget; exceeding it is a temperror.
  std::chrono::milliseconds time_budget{20000};
  SpfRecordScope scope = SpfRecordScope::kSpf1;
};

struct SpfRequest {
  IpAddress ip;           // the SMTP client; IPv4-mapped IPv6 is treated as IPv4
  std::string mail_from;  // MAIL FROM address; "" (null sender) checks the HELO identity
  std::string helo;       // HELO/EHLO name
};

struct SpfCheckResult {
  SpfResult result = SpfResult::kNone;
  // On fail: the exp= text of the record that failed, or the default.
  std::string explanation;
  // Why: the matching term ("-all"), or the error for temperror/permerror.
  std::string reason;
  std::string domain;    // the domain check_host() started at
  std::string record;    // the selected record text at `domain` ("" when none)
  int dns_terms = 0;     // DNS-querying terms evaluated (limit 10)
  int void_lookups = 0;  // lookups answered NXDOMAIN or NODATA
  int dns_queries = 0;   // every query sent, explanation included
  std::vector<SpfWarning> warnings;
};

// check_host() for an SMTP transaction: the MAIL FROM identity, or the HELO
// identity as postmaster@<helo> for the null sender.
SpfCheckResult CheckSpf(const SpfRequest& request, DnsLookup& dns, const SpfOptions& options = {});

// check_host(ip, domain, sender) as in RFC 7208 §4.1; `helo` feeds %{h}.
SpfCheckResult CheckSpfHost(const IpAddress& ip, std::string_view domain, std::string_view sender,
                            std::string_view helo, DnsLookup& dns, const SpfOptions& options = {});

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_AUTH_SPF_EVALUATOR_H_
