// DMARC check for one From domain: policy discovery with the organizational
// domain fallback (RFC 7489 §6.6.3, Public Suffix List), record validity,
// authorization of external report destinations (§7.1), and an alignment
// helper for configured identities. Pure over DNS answers given through
// DnsLookup (tests use MemoryDns); thread-safe as far as `dns` is.
#ifndef MAILREP_COLLECTORS_AUTH_DMARC_CHECK_H_
#define MAILREP_COLLECTORS_AUTH_DMARC_CHECK_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/auth/dmarc_record.h"
#include "collectors/auth/psl.h"
#include "collectors/dns/dns_lookup.h"
#include "collectors/dns/dns_types.h"

namespace mailrep {

enum class DmarcStatus {
  kValid,     // one record, p= valid (warnings may still be listed)
  kMissing,   // no DMARC record at the domain nor at its organizational domain
  kInvalid,   // one record that does not parse or has errors (e.g. invalid p=)
  kMultiple,  // several DMARC records: receivers apply no DMARC
  kDnsError,  // SERVFAIL, timeout, ...: unknown, never valid or missing
};
// "valid", "missing", "invalid", "multiple", "dns_error".
std::string_view DmarcStatusName(DmarcStatus status);
inline constexpr DmarcStatus kAllDmarcStatuses[] = {DmarcStatus::kValid, DmarcStatus::kMissing,
                                                    DmarcStatus::kInvalid, DmarcStatus::kMultiple,
                                                    DmarcStatus::kDnsError};

// The DMARC records in one TXT answer at _dmarc.<name>.
struct DmarcSelection {
  DnsOutcome outcome = DnsOutcome::kError;
  std::vector<std::string> records;  // joined texts passing IsDmarcRecordText
  bool dns_error() const;            // outcome other than data / nodata / nxdomain
};
DmarcSelection SelectDmarcRecords(const DnsAnswer& answer);

enum class DmarcDestinationStatus {
  kNotNeeded,      // same organizational domain as the policy domain, or not mailto:
  kAuthorized,     // <policy-domain>._report._dmarc.<dest> holds a v=DMARC1 record
  kNotAuthorized,  // it does not: receivers will not send these reports
  kDnsError,
  kNotChecked,  // external, but over DmarcCheckOptions::max_authorization_lookups
};
// "not_needed", "authorized", "not_authorized", "dns_error", "not_checked".
std::string_view DmarcDestinationStatusName(DmarcDestinationStatus status);

struct DmarcReportDestination {
  std::string tag;  // "rua" or "ruf"
  std::string uri;
  std::string domain;  // mailto domain; empty for other schemes
  bool external = false;
  std::string authorization_name;  // queried name when external
  DmarcDestinationStatus status = DmarcDestinationStatus::kNotNeeded;
};

struct DmarcCheckResult {
  DmarcStatus status = DmarcStatus::kDnsError;
  std::string domain;  // the checked From domain, normalized
  std::string organizational_domain;
  std::string record_domain;  // where the evaluated record was found; empty if none
  bool from_organizational_domain = false;
  int records_found = 0;  // DMARC records at record_domain
  std::string record_text;
  std::optional<DmarcRecord> record;
  // Policy receivers apply to mail from `domain`: p= at the domain itself, sp=
  // (else p=) when found at the organizational domain; none when p= is broken
  // but rua= is valid; nullopt when no DMARC applies.
  std::optional<DmarcPolicy> applied_policy;
  std::vector<DmarcReportDestination> destinations;
  std::vector<std::string> details;  // errors first, then warnings
};

struct DmarcCheckOptions {
  bool check_report_destinations = true;
  // Distinct authorization names queried at most; a hostile record listing
  // thousands of destinations costs no more than this many lookups.
  int max_authorization_lookups = 10;
};

DmarcCheckResult CheckDmarc(std::string_view domain, DnsLookup& dns, const PublicSuffixList& psl,
                            DmarcCheckOptions options = {});

// Identifier alignment (RFC 7489 §3.1): strict = the same name; relaxed = the
// same organizational domain. Case-insensitive, trailing dots ignored.
bool DmarcAligned(std::string_view from_domain, std::string_view authenticated_domain,
                  DmarcAlignmentMode mode, const PublicSuffixList& psl);

struct DmarcAlignmentReport {
  bool spf_aligned = false;        // envelope (MAIL FROM) domain vs From
  std::vector<bool> dkim_aligned;  // per given d= domain
  bool any_dkim_aligned = false;
  bool would_pass_if_authenticated() const { return spf_aligned || any_dkim_aligned; }
};

// Would SPF (for `envelope_domain`) and DKIM (for each `dkim_domains` d=)
// align with `from_domain` under the record's aspf / adkim? Only alignment:
// whether SPF passes and signatures verify is checked elsewhere.
DmarcAlignmentReport CheckDmarcAlignment(std::string_view from_domain,
                                         std::string_view envelope_domain,
                                         const std::vector<std::string>& dkim_domains,
                                         const DmarcRecord& record, const PublicSuffixList& psl);

// Report destinations whose domain did not authorize receiving our reports
// (RFC 7489 §7.1).
int UnauthorizedDestinations(const DmarcCheckResult& result);

// The verdict `check dmarc` and `check all` give: a valid record whose report
// destinations are all authorized.
bool DmarcCheckPassed(const DmarcCheckResult& result);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_AUTH_DMARC_CHECK_H_
