// SPF record syntax (RFC 7208 §4.5-§7, and the spf2.0/ records of RFC 4406):
// the parsed form of one record and the parser. Pure; thread-safe.
//
// The parsed form does not copy the record: every string_view in it points
// into the text given to ParseSpfRecord, which must outlive the SpfRecord.
#ifndef MAILREP_COLLECTORS_AUTH_SPF_RECORD_H_
#define MAILREP_COLLECTORS_AUTH_SPF_RECORD_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/util/ip_network.h"
#include "exporter/util/status.h"

namespace mailrep {

enum class SpfQualifier { kPass, kFail, kSoftFail, kNeutral };

enum class SpfMechanismKind { kAll, kInclude, kA, kMx, kPtr, kIp4, kIp6, kExists };

// "all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists".
std::string_view SpfMechanismKindName(SpfMechanismKind kind);

struct SpfMechanism {
  SpfQualifier qualifier = SpfQualifier::kPass;
  SpfMechanismKind kind = SpfMechanismKind::kAll;
  // include, exists: required; a, mx, ptr: empty means the current domain.
  // A validated macro-string (RFC 7208 domain-spec).
  std::string_view domain_spec;
  // ip4 / ip6: the network, host bits cleared.
  IpNetwork network;
  // a, mx: prefix lengths applied to the returned addresses.
  int cidr4 = 32;
  int cidr6 = 128;
  std::string_view text;  // the term as written, e.g. "-ip4:192.0.2.0/24"

  // True for include, a, mx, ptr and exists: they count toward the limit of
  // 10 DNS-querying terms.
  bool QueriesDns() const;
};

struct SpfModifier {
  std::string_view name;   // as written (names are case-insensitive)
  std::string_view value;  // validated macro-string
};

struct SpfRecord {
  // "v=spf1", or "spf2.0" with `scopes` (lower case, e.g. {"mfrom", "pra"}).
  std::string_view version;
  std::vector<std::string> scopes;
  std::vector<SpfMechanism> mechanisms;      // in record order
  std::optional<std::string_view> redirect;  // domain-spec
  std::optional<std::string_view> exp;       // domain-spec
  std::vector<SpfModifier> unknown_modifiers;
  size_t term_count = 0;

  bool has_all() const;
};

// True when `text` is an SPF version 1 record: "v=spf1" in any case followed
// by a space or the end (RFC 7208 §4.5).
bool IsSpf1Record(std::string_view text);

// When `text` starts with a Sender ID version ("spf2.0/" in any case, a comma
// list of scopes, then a space or the end), returns its lower-cased scopes;
// otherwise nullopt. Unknown scope names are kept.
std::optional<std::vector<std::string>> SenderIdScopes(std::string_view text);

// Parses a whole record, version included. Any syntax error anywhere (bytes
// outside printable ASCII, unknown mechanism, bad CIDR, bad domain-spec or
// macro, duplicate redirect/exp, ...) is an InvalidArgument whose message is
// the permerror reason.
StatusOr<SpfRecord> ParseSpfRecord(std::string_view text);

// The same into `record`, which is reset first; the capacity of its vectors
// is reused, so parsing many texts into one SpfRecord allocates little. On
// error `record` holds an unspecified partial parse.
Status ParseSpfRecordInto(std::string_view text, SpfRecord& record);

// RFC 7208 toplabel: letters, digits and inner hyphens, not all digits.
bool IsSpfTopLabel(std::string_view label);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_AUTH_SPF_RECORD_H_
