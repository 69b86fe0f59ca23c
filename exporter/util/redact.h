// RedactSecrets: text with secrets (keys, passwords, tokens) replaced by
// "<redacted>", for every log line and error that might carry one (a URL
// with a key, a server echoing a token back). Stateless.
#ifndef MAILREP_EXPORTER_UTIL_REDACT_H_
#define MAILREP_EXPORTER_UTIL_REDACT_H_

#include <string>
#include <string_view>
#include <vector>

namespace mailrep {

inline constexpr std::string_view kRedacted = "<redacted>";

// `text` with every occurrence of each secret, in the order given, replaced
// by kRedacted; empty secrets are ignored. Give longer secrets first when
// one may contain another.
std::string RedactSecrets(std::string_view text, const std::vector<std::string>& secrets);

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_UTIL_REDACT_H_
