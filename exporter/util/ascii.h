// ASCII-only text helpers for protocol keywords and DNS names: no locale, so
// results never depend on the environment.
#ifndef MAILREP_EXPORTER_UTIL_ASCII_H_
#define MAILREP_EXPORTER_UTIL_ASCII_H_

#include <string>
#include <string_view>

namespace mailrep {

// True when `a` and `b` are equal with ASCII letters compared case-blind;
// every other byte must match exactly.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// `s` with ASCII letters lower-cased.
std::string ToLowerAscii(std::string_view s);

// The domain of a mail address ("user@Example.COM." -> "example.com"):
// lower-cased, without trailing '>' or '.'; "" when there is no '@'.
std::string MailAddressDomain(std::string_view address);

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_UTIL_ASCII_H_
