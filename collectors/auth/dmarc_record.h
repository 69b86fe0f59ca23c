// DMARC policy records (RFC 7489 §6.3, plus the DMARCbis tags np, psd and t):
// selection of the TXT text and the parsed tags. Pure; thread-safe.
//
// Rules applied: v=DMARC1 must be the first tag (case-sensitive value); tag
// names and keyword values are case-insensitive (ABNF literals); unknown tags
// are ignored; a bad value of an optional tag falls back to its default with
// a warning; a missing or invalid p= (or invalid sp=/np=) is an error that
// must be fixed, and receivers then act as p=none when a valid rua URI exists
// (RFC 7489 §6.6.3) or apply no DMARC at all otherwise.
#ifndef MAILREP_COLLECTORS_AUTH_DMARC_RECORD_H_
#define MAILREP_COLLECTORS_AUTH_DMARC_RECORD_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/util/status.h"

namespace mailrep {

enum class DmarcPolicy { kNone, kQuarantine, kReject };
// "none", "quarantine", "reject".
std::string_view DmarcPolicyName(DmarcPolicy policy);
inline constexpr DmarcPolicy kAllDmarcPolicies[] = {DmarcPolicy::kNone, DmarcPolicy::kQuarantine,
                                                    DmarcPolicy::kReject};
// Case-insensitive; nullopt for anything else.
std::optional<DmarcPolicy> ParseDmarcPolicy(std::string_view text);

enum class DmarcAlignmentMode { kRelaxed, kStrict };
// "relaxed", "strict".
std::string_view DmarcAlignmentModeName(DmarcAlignmentMode mode);

struct DmarcReportUri {
  std::string uri;                           // without the "!size" suffix
  std::string scheme;                        // lower case: "mailto", "https", ...
  std::string domain;                        // mailto: the address's domain, lower case; else empty
  std::optional<uint64_t> size_limit_bytes;  // "!10m" -> 10485760
};

struct DmarcRecord {
  std::optional<DmarcPolicy> policy;              // p=, when valid
  std::optional<DmarcPolicy> subdomain_policy;    // sp=, when valid
  std::optional<DmarcPolicy> nonexistent_policy;  // np= (DMARCbis), when valid
  // What receivers apply to the domain itself: p=, or none when p= is
  // missing/invalid but a valid rua URI exists; nullopt means no DMARC.
  std::optional<DmarcPolicy> effective_policy;
  DmarcAlignmentMode adkim = DmarcAlignmentMode::kRelaxed;
  DmarcAlignmentMode aspf = DmarcAlignmentMode::kRelaxed;
  int pct = 100;
  std::vector<DmarcReportUri> rua;  // valid URIs only
  std::vector<DmarcReportUri> ruf;
  std::vector<std::string> fo = {"0"};
  std::vector<std::string> rf = {"afrf"};
  uint32_t ri = 86400;                // seconds
  char psd = 'u';                     // DMARCbis: 'y', 'n' or 'u'
  bool testing = false;               // DMARCbis t=y
  bool dmarcbis_tags = false;         // np, psd or t present
  std::vector<std::string> errors;    // the record must be fixed
  std::vector<std::string> warnings;  // defaults applied, pct < 100, t=y, ...

  bool valid() const { return errors.empty(); }
  // sp= when set, else p= (policy for subdomains found via the org domain).
  std::optional<DmarcPolicy> SubdomainPolicy() const;
};

// Selection rule (RFC 7489 §6.6.3): the text starts with "v", optional
// white space, "=", optional white space, "DMARC1". Records failing it are
// not DMARC records and are discarded before counting.
bool IsDmarcRecordText(std::string_view text);

// Parses one selected record. InvalidArgument when the tag-list syntax is
// broken (duplicate tag in any case, bad byte) or v=DMARC1 is not the first
// tag (e.g. ',' used as a separator). Everything else is reported in
// `errors` / `warnings` of the returned record.
StatusOr<DmarcRecord> ParseDmarcRecord(std::string_view text);

// Parses one rua/ruf element ("mailto:d@example.com!10m"). InvalidArgument
// when it has no scheme, a mailto: without a domain, or a bad size suffix.
StatusOr<DmarcReportUri> ParseDmarcReportUri(std::string_view text);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_AUTH_DMARC_RECORD_H_
