// DKIM key check for one (domain, selector): is the public key published at
// <selector>._domainkey.<domain> usable, strong enough and, when the signer's
// private key file is known, the key the signer actually uses. Pure over DNS
// answers (EvaluateDkimKey) plus a wrapper that does the lookup and reads the
// key file (CheckDkimKey). Thread-safe as far as the DnsLookup passed in is.
#ifndef MAILREP_COLLECTORS_AUTH_DKIM_CHECK_H_
#define MAILREP_COLLECTORS_AUTH_DKIM_CHECK_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/auth/dkim_key_record.h"
#include "collectors/auth/dkim_public_key.h"
#include "collectors/dns/dns_lookup.h"
#include "collectors/dns/dns_types.h"
#include "exporter/util/status.h"

namespace mailrep {

// One state per (domain, selector), worst first when several apply:
// dns_error > missing > invalid > revoked > mismatch > weak > valid.
enum class DkimKeyStatus {
  kValid,     // usable key, RSA >= 2048 bits or ed25519
  kMissing,   // NXDOMAIN / NODATA at the selector name
  kRevoked,   // p= is empty
  kWeak,      // RSA of 1024..2047 bits
  kInvalid,   // syntax, several TXT records, unusable k/h/s, undecodable key, RSA < 1024
  kMismatch,  // published key differs from the configured signing key
  kDnsError,  // SERVFAIL, timeout, refused, ...: unknown, never valid or missing
};

// "valid", "missing", "revoked", "weak", "invalid", "mismatch", "dns_error".
std::string_view DkimKeyStatusName(DkimKeyStatus status);
inline constexpr DkimKeyStatus kAllDkimKeyStatuses[] = {
    DkimKeyStatus::kValid,   DkimKeyStatus::kMissing, DkimKeyStatus::kRevoked,
    DkimKeyStatus::kWeak,    DkimKeyStatus::kInvalid, DkimKeyStatus::kMismatch,
    DkimKeyStatus::kDnsError};

enum class DkimSigningKeyMatch {
  kNotChecked,  // no key file configured, or no usable published key to compare
  kMatch,
  kMismatch,
  kUnreadable,  // the configured file could not be read or parsed (see detail)
};
// "not_checked", "match", "mismatch", "unreadable".
std::string_view DkimSigningKeyMatchName(DkimSigningKeyMatch match);

struct DkimKeyCheckResult {
  DkimKeyStatus status = DkimKeyStatus::kDnsError;
  std::string record_name;  // "<selector>._domainkey.<domain>"
  DnsOutcome dns_outcome = DnsOutcome::kError;
  int txt_records = 0;      // TXT RRs at the name
  std::string record_text;  // the joined text of the first TXT RR
  std::optional<DkimKeyRecord> record;
  DkimKeyType key_type = DkimKeyType::kUnknown;
  int key_bits = 0;              // 0 when no key could be decoded
  bool testing = false;          // t=y left on
  bool strict_identity = false;  // t=s
  DkimSigningKeyMatch signing_key = DkimSigningKeyMatch::kNotChecked;
  // Human-readable findings, most important first ("RSA key of 1024 bits is
  // weak (< 2048)", "t=y: testing mode left on", ...). Warnings that do not
  // change the status (t=y, > 4096 bits, no v=) are listed here too.
  std::vector<std::string> details;
};

// "<selector>._domainkey.<domain>", lower-cased, without a trailing dot.
std::string DkimKeyName(std::string_view selector, std::string_view domain);

// OK when `selector` is one or more dot-separated labels of letters, digits,
// '-' and '_' (each 1..63 bytes, total name <= 253 with the domain).
Status ValidateDkimSelector(std::string_view selector);

// Judges a TXT answer for `record_name`. `signing_key`, when not null, is the
// result of loading the signer's key file (a non-OK value gives kUnreadable).
DkimKeyCheckResult EvaluateDkimKey(std::string_view record_name, const DnsAnswer& answer,
                                   const StatusOr<DkimPublicKey>* signing_key);

struct DkimKeyCheckRequest {
  std::string domain;
  std::string selector;
  std::string signing_key_path;  // empty: no signing-key comparison
};

// Looks up the TXT record through `dns`, loads the key file when configured,
// and evaluates.
DkimKeyCheckResult CheckDkimKey(const DkimKeyCheckRequest& request, DnsLookup& dns);

// The verdict `check dkim` and `check all` give: a valid key and no
// signing-key mismatch (an unreadable signing key file counts as one).
bool DkimCheckPassed(const DkimKeyCheckResult& result);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_AUTH_DKIM_CHECK_H_
