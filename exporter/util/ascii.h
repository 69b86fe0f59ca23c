// ASCII-only text helpers for protocol keywords and DNS names: no locale, so
// results never depend on the environment. The small predicates are inline:
// the SPF evaluator and the parsers call them per byte or per name compared.
#ifndef MAILREP_EXPORTER_UTIL_ASCII_H_
#define MAILREP_EXPORTER_UTIL_ASCII_H_

#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

namespace mailrep {

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// How many digits stand at text[i...], at most `max`.
inline size_t DigitRun(std::string_view text, size_t i, size_t max) {
  size_t n = 0;
  while (i + n < text.size() && n < max && IsDigit(text[i + n])) ++n;
  return n;
}

// True when `a` and `b` are equal with ASCII letters compared case-blind;
// every other byte must match exactly. Names usually match to the letter, so
// memcmp answers first.
inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0) return true;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x != y && ((x | 0x20) != (y | 0x20) || static_cast<unsigned char>((x | 0x20) - 'a') > 25)) {
      return false;
    }
  }
  return true;
}

inline bool EndsWithIgnoreCase(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && EqualsIgnoreCase(s.substr(s.size() - suffix.size()), suffix);
}

// `s` with ASCII letters lower-cased.
std::string ToLowerAscii(std::string_view s);

// The domain of a mail address ("user@Example.COM." -> "example.com"):
// lower-cased, without trailing '>' or '.'; "" when there is no '@'.
std::string MailAddressDomain(std::string_view address);

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_UTIL_ASCII_H_
