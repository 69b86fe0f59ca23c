// Durations as written in configs and flags, in Prometheus' syntax: "500ms",
// "2s", "15m", "1h30m", "1d". Units: ms, s, m, h, d, w, y (365d). No sign, no
// fractions; at least one unit; units in decreasing order, each at most once.
#ifndef MAILREP_EXPORTER_UTIL_DURATION_H_
#define MAILREP_EXPORTER_UTIL_DURATION_H_

#include <chrono>
#include <string>
#include <string_view>

#include "exporter/util/status.h"

namespace mailrep {

using Duration = std::chrono::milliseconds;

// Parses `text`; on failure the message says what is wrong with it.
StatusOr<Duration> ParseDuration(std::string_view text);

// The shortest form ParseDuration accepts back: 90000ms -> "1m30s", 0 -> "0s".
std::string FormatDuration(Duration d);

// Seconds as a double, for metrics (base unit seconds).
inline double ToSeconds(Duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_UTIL_DURATION_H_
