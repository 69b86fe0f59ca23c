// A strict checker of the text exposition format 0.0.4, for tests and the
// exposition fuzzer only (not linked into the exporter).
//
// Stricter than Prometheus: every line ends in '\n'; comments are "# HELP" or
// "# TYPE" lines; metric and label names match the format's patterns; label
// names are unique per sample; label values and HELP texts are valid UTF-8
// with no control character but tab, and use only the escapes \\, \" (label
// values) and \n; a sample value is a number, NaN, +Inf or -Inf. Stateless and
// thread-safe.
#ifndef MAILREP_EXPORTER_CORE_EXPOSITION_TEXT_CHECKER_H_
#define MAILREP_EXPORTER_CORE_EXPOSITION_TEXT_CHECKER_H_

#include <string>
#include <string_view>

namespace mailrep {

// "" when `text` is valid; else "line N: what is wrong".
std::string CheckExpositionText(std::string_view text);

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CORE_EXPOSITION_TEXT_CHECKER_H_
