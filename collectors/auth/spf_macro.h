// SPF macro-strings (RFC 7208 §7): syntax validation and expansion.
//
// A macro-string mixes literal text with %{...} expansions and the escapes
// %% (percent), %_ (space) and %- ("%20"). Pure functions; thread-safe.
#ifndef MAILREP_COLLECTORS_AUTH_SPF_MACRO_H_
#define MAILREP_COLLECTORS_AUTH_SPF_MACRO_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "exporter/util/ip_network.h"
#include "exporter/util/status.h"

namespace mailrep {

// Where a macro-string appears. The letters c, r and t are allowed only in
// explanation text (the TXT record an exp= modifier points to).
enum class SpfMacroUse { kDomainSpec, kExplanation };

// An expansion never produces more than this many bytes; longer results are
// an error (a domain that long could not be queried anyway).
inline constexpr size_t kMaxSpfMacroOutput = 8192;
// A domain-spec expansion (ExpandSpfDomainSpec) may go past that cap by
// dropping leading labels, but produces at most this many bytes in all.
inline constexpr size_t kMaxSpfMacroWork = 1 << 20;

// The values the macro letters stand for. Views must outlive the expansion.
struct SpfMacroContext {
  std::string_view sender;                // s: "local@domain"
  std::string_view local_part;            // l
  std::string_view sender_domain;         // o
  std::string_view domain;                // d: the domain being evaluated
  IpAddress ip;                           // i, c, v: IPv4-mapped addresses already unmapped
  std::string_view helo;                  // h
  std::string_view receiver = "unknown";  // r
  int64_t now_seconds = 0;                // t
  // p: a validated name of `ip` preferring `domain` or its subdomains, or
  // "unknown". Called only when a %{p} is expanded; may do DNS lookups.
  std::function<std::string(std::string_view domain)> validated_name;
};

// OK when `text` is a well-formed macro-string for `use`; otherwise an
// InvalidArgument naming the offending part.
Status ValidateSpfMacroString(std::string_view text, SpfMacroUse use);

// Expands `text`. Errors: the syntax errors of ValidateSpfMacroString and an
// output longer than kMaxSpfMacroOutput.
StatusOr<std::string> ExpandSpfMacroString(std::string_view text, const SpfMacroContext& context,
                                           SpfMacroUse use);

// Expands a domain-spec into a name to query: one trailing dot removed and,
// when longer than 253 octets, labels dropped from the left until it fits
// (RFC 7208 §7.3). Memory stays within about kMaxSpfMacroOutput: labels that
// cannot survive the truncation are dropped while expanding. Errors: syntax
// errors, a single label longer than kMaxSpfMacroOutput and an expansion
// longer than kMaxSpfMacroWork.
StatusOr<std::string> ExpandSpfDomainSpec(std::string_view domain_spec,
                                          const SpfMacroContext& context);

// True when the macro-string contains a %{p} (or %{P}) expansion.
bool SpfMacroStringUsesPtr(std::string_view text);

// "1.2.0.192" / 32 dot-separated lower-case nibbles, reversed when `reverse`.
std::string SpfDottedAddress(const IpAddress& ip, bool reverse);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_AUTH_SPF_MACRO_H_
