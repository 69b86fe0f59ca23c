// MTA-STS (RFC 8461) text formats: the `_mta-sts.<domain>` TXT record, the
// policy file served at https://mta-sts.<domain>/.well-known/mta-sts.txt, and
// the matching of MX host names against the policy's `mx` patterns. Pure
// functions over bytes; no I/O. Any input is safe (fuzzed).
#ifndef MAILREP_COLLECTORS_AUTH_MTA_STS_RECORD_H_
#define MAILREP_COLLECTORS_AUTH_MTA_STS_RECORD_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "exporter/util/status.h"

namespace mailrep {

// Largest max_age a policy may state (RFC 8461 §3.2): one year in seconds.
inline constexpr int64_t kMtaStsMaxAgeLimit = 31557600;

// True for text a reader treats as an MTA-STS TXT record: it starts with
// "v=STSv1" followed by the end, a space/tab or ';'. Other TXT records at the
// name are ignored. (RFC readers keep only "v=STSv1;"; the wider match lets a
// diagnostic call "v=STSv1 id=1" invalid instead of absent.)
bool IsMtaStsTxtCandidate(std::string_view text);

struct MtaStsTxtRecord {
  std::string id;  // 1-32 letters and digits
  // Extension fields "name=value" in order (reported, otherwise ignored).
  std::vector<std::string> extensions;
};

// Parses a candidate record: "v=STSv1; id=<1-32 alnum>[; ext=value]...[;]",
// fields separated by ';' with optional spaces/tabs around it. InvalidArgument
// says what is wrong (no id, two ids, bad id, bad field syntax, ...).
StatusOr<MtaStsTxtRecord> ParseMtaStsTxt(std::string_view text);

enum class MtaStsMode { kEnforce, kTesting, kNone };
inline constexpr MtaStsMode kAllMtaStsModes[] = {MtaStsMode::kEnforce, MtaStsMode::kTesting,
                                                 MtaStsMode::kNone};
// "enforce", "testing", "none".
std::string_view MtaStsModeName(MtaStsMode mode);

struct MtaStsPolicy {
  MtaStsMode mode = MtaStsMode::kNone;
  int64_t max_age = 0;             // seconds, 0..kMtaStsMaxAgeLimit
  std::vector<std::string> mx;     // patterns as written, lower-cased
  std::vector<std::string> notes;  // repeated single fields, unknown keys, ...
};

// Parses a policy body: "key: value" lines ended by LF or CRLF (the last line
// may lack one), blank lines skipped. Requires version "STSv1", mode
// enforce|testing|none, max_age 0..31557600 (at most 10 digits), and at least
// one mx pattern unless mode is none. For a repeated non-mx key the first
// value counts (noted). Unknown keys are ignored (noted). An mx pattern is a
// host name or "*." followed by one. InvalidArgument says what is wrong.
StatusOr<MtaStsPolicy> ParseMtaStsPolicy(std::string_view body);

// The shared TXT syntax of MTA-STS and TLS-RPT records: `version` (e.g.
// "v=STSv1"), then one or more "name=value" fields, each after ';' with
// optional spaces/tabs around it, and an optional final ';'. Names are
// letter/digit then up to 31 of letter, digit, '_', '-', '.'. With
// `strict_values`, values are 1+ bytes of %x21-7E except ';' and '='; else
// any bytes but ';' (the caller checks them). Returns the fields in order.
StatusOr<std::vector<std::pair<std::string, std::string>>> ParseStsTxtFields(
    std::string_view text, std::string_view version, bool strict_values);

// True when `name` is a host name of 2+ LDH labels (letters, digits, inner
// hyphens; 1-63 octets each, 253 total); one trailing dot is allowed.
bool IsValidMtaStsHostName(std::string_view name);

// Whether MX host `host` (any case, trailing dot optional) matches `pattern`:
// equal names, or for "*.suffix" a host with exactly one label before suffix.
bool MtaStsMxMatches(std::string_view pattern, std::string_view host);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_AUTH_MTA_STS_RECORD_H_
