// JSON string literals for hand-written JSON output (logs, `check --format
// json`): quotes, backslashes and control characters escaped.
#ifndef MAILREP_EXPORTER_UTIL_JSON_STRING_H_
#define MAILREP_EXPORTER_UTIL_JSON_STRING_H_

#include <string>
#include <string_view>

namespace mailrep {

// Appends `s` as a quoted JSON string to `out`.
void AppendJsonString(std::string* out, std::string_view s);
// `s` as a quoted JSON string.
std::string JsonQuote(std::string_view s);

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_UTIL_JSON_STRING_H_
