// DKIM public-key records (RFC 6376 §3.6.1, RFC 8301, RFC 8463): the parsed
// tags of the TXT record at <selector>._domainkey.<domain>. Syntax only; the
// key itself is decoded by dkim_public_key.h. Pure; thread-safe.
#ifndef MAILREP_COLLECTORS_AUTH_DKIM_KEY_RECORD_H_
#define MAILREP_COLLECTORS_AUTH_DKIM_KEY_RECORD_H_

#include <string>
#include <string_view>
#include <vector>

#include "exporter/util/status.h"

namespace mailrep {

enum class DkimKeyType { kRsa, kEd25519, kUnknown };

// "rsa", "ed25519", "unknown".
std::string_view DkimKeyTypeName(DkimKeyType type);

struct DkimKeyRecord {
  bool has_version = false;  // v=DKIM1 was present (as the first tag)
  DkimKeyType key_type = DkimKeyType::kRsa;
  std::string key_type_text = "rsa";  // k= as written
  std::vector<std::string> hashes;    // h=; empty when absent (all hashes allowed)
  std::vector<std::string> services;  // s=; {"*"} when absent
  std::vector<std::string> flags;     // t=; unknown flags kept
  std::string notes;                  // n=
  std::string public_key_base64;      // p= with all white space removed

  // Empty p=: the key has been revoked.
  bool revoked() const { return public_key_base64.empty(); }
  // t=y: the domain is testing DKIM.
  bool testing() const;
  // t=s: the i= domain of signatures must equal d=.
  bool strict_identity() const;
  // h= absent or listing sha256 (RFC 8301 forbids sha1).
  bool allows_sha256() const;
  // s= contains "*" or "email".
  bool for_email() const;
};

// Parses the joined TXT text of one record. InvalidArgument when the tag-list
// syntax is broken (duplicate tag, bad byte, ...), v= is present but not first
// or not exactly "DKIM1", or p= is missing. Unknown tags are ignored; an
// unknown k= is kept as kUnknown (the check reports it).
StatusOr<DkimKeyRecord> ParseDkimKeyRecord(std::string_view text);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_AUTH_DKIM_KEY_RECORD_H_
