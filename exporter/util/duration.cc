#include "exporter/util/duration.h"

#include <cstdint>
#include <limits>

#include "exporter/util/ascii.h"

namespace mailrep {
namespace {

struct Unit {
  std::string_view name;
  int64_t millis;
};

// Decreasing order; ParseDuration requires units in this order.
constexpr Unit kUnits[] = {
    {"y", 365LL * 24 * 3600 * 1000},
    {"w", 7LL * 24 * 3600 * 1000},
    {"d", 24LL * 3600 * 1000},
    {"h", 3600LL * 1000},
    {"m", 60LL * 1000},
    {"s", 1000},
    {"ms", 1},
};
constexpr int kNumUnits = sizeof(kUnits) / sizeof(kUnits[0]);

Status Invalid(std::string_view text, std::string_view why) {
  return Status::InvalidArgument("not a duration: \"" + std::string(text) +
                                 "\": " + std::string(why));
}

}  // namespace

StatusOr<Duration> ParseDuration(std::string_view text) {
  if (text.empty()) return Status::InvalidArgument("not a duration: empty string");
  int64_t total = 0;
  int next_unit = 0;  // index of the largest unit still allowed
  size_t i = 0;
  while (i < text.size()) {
    if (!IsDigit(text[i])) {
      if (text[i] == '-' || text[i] == '+') return Invalid(text, "no sign allowed");
      return Invalid(text, "expected a number");
    }
    int64_t number = 0;
    while (i < text.size() && IsDigit(text[i])) {
      int digit = text[i] - '0';
      if (number > (std::numeric_limits<int64_t>::max() - digit) / 10) {
        return Invalid(text, "too large");
      }
      number = number * 10 + digit;
      ++i;
    }
    if (i < text.size() && text[i] == '.') return Invalid(text, "no fractions allowed");
    size_t unit_start = i;
    while (i < text.size() && !IsDigit(text[i])) ++i;
    std::string_view unit = text.substr(unit_start, i - unit_start);
    if (unit.empty()) return Invalid(text, "missing unit");
    int found = -1;
    for (int u = 0; u < kNumUnits; ++u) {
      if (kUnits[u].name == unit) found = u;
    }
    if (found < 0) {
      return Invalid(text, "unknown unit \"" + std::string(unit) + "\"");
    }
    if (found < next_unit) return Invalid(text, "units must be in decreasing order, each once");
    next_unit = found + 1;
    if (number > std::numeric_limits<int64_t>::max() / kUnits[found].millis) {
      return Invalid(text, "too large");
    }
    int64_t millis = number * kUnits[found].millis;
    if (total > std::numeric_limits<int64_t>::max() - millis) return Invalid(text, "too large");
    total += millis;
  }
  return Duration(total);
}

std::string FormatDuration(Duration d) {
  int64_t ms = d.count();
  if (ms == 0) return "0s";
  std::string out;
  uint64_t rest;
  if (ms < 0) {
    out = "-";
    rest = static_cast<uint64_t>(-(ms + 1)) + 1;
  } else {
    rest = static_cast<uint64_t>(ms);
  }
  for (const Unit& unit : kUnits) {
    uint64_t size = static_cast<uint64_t>(unit.millis);
    if (rest >= size) {
      out += std::to_string(rest / size);
      out += unit.name;
      rest %= size;
    }
  }
  return out;
}

}  // namespace mailrep
