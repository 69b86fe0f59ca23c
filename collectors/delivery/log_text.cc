#include "collectors/delivery/log_text.h"

#include <cctype>
#include <charconv>
#include <cstdint>

#include "exporter/util/ascii.h"
#include "exporter/util/ip_network.h"

namespace mailrep {
namespace {}  // namespace

std::optional<double> ParseSeconds(std::string_view text) {
  if (text.empty() || !IsDigit(text[0])) return std::nullopt;
  // Fast path for "digits[.digits]" of at most 15 digits: both the integer of
  // all digits and the power of ten are exact doubles, so their quotient is
  // the correctly rounded value, as from_chars gives.
  static constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  if (text.size() <= 16) {
    uint64_t digits = 0;
    size_t count = 0, frac = 0;
    bool dot = false, ok = true;
    for (char c : text) {
      if (IsDigit(c)) {
        digits = digits * 10 + static_cast<uint64_t>(c - '0');
        ++count;
        if (dot) ++frac;
      } else if (c == '.' && !dot) {
        dot = true;
      } else {
        ok = false;
        break;
      }
    }
    if (ok && count <= 15 && (!dot || frac > 0)) {
      return static_cast<double>(digits) / kPow10[frac];
    }
  }
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

std::optional<double> ParseUnitDuration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  double total = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && (IsDigit(text[i]) || text[i] == '.')) ++i;
    if (i == start || i == text.size()) return std::nullopt;
    std::optional<double> n = ParseSeconds(text.substr(start, i - start));
    if (!n) return std::nullopt;
    switch (text[i]) {
      case 'd':
        total += *n * 86400;
        break;
      case 'h':
        total += *n * 3600;
        break;
      case 'm':
        total += *n * 60;
        break;
      case 's':
        total += *n;
        break;
      default:
        return std::nullopt;
    }
    ++i;
  }
  return total;
}

std::optional<double> ParseClockDuration(std::string_view text) {
  double days = 0;
  size_t plus = text.find('+');
  if (plus != std::string_view::npos) {
    std::optional<double> d = ParseSeconds(text.substr(0, plus));
    if (!d) return std::nullopt;
    days = *d;
    text.remove_prefix(plus + 1);
  }
  if (text.size() != 8 || text[2] != ':' || text[5] != ':') return std::nullopt;
  int parts[3];
  for (int k = 0; k < 3; ++k) {
    std::string_view p = text.substr(k * 3, 2);
    if (!IsDigit(p[0]) || !IsDigit(p[1])) return std::nullopt;
    parts[k] = (p[0] - '0') * 10 + (p[1] - '0');
  }
  return days * 86400 + parts[0] * 3600 + parts[1] * 60 + parts[2];
}

void SplitHostIp(std::string_view text, std::string* host, std::string* ip) {
  size_t open = text.find('[');
  size_t close = open == std::string_view::npos ? open : text.find(']', open);
  if (open == std::string_view::npos || close == std::string_view::npos) {
    size_t colon = text.rfind(':');
    // "host:25" (no brackets): strip a numeric port only for non-IPv6 text.
    if (colon != std::string_view::npos && text.find(':') == colon &&
        DigitRun(text, colon + 1, 6) == text.size() - colon - 1 && colon + 1 < text.size()) {
      text = text.substr(0, colon);
    }
    host->assign(text);
    ip->clear();
    return;
  }
  host->assign(text.substr(0, open));
  ip->assign(text.substr(open + 1, close - open - 1));
}

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsIpLiteral(std::string_view text) {
  if (text.empty() || text.size() > 45) return false;
  // Cheap pre-check: host names have letters beyond the hex digits, or no ':' / only digits.
  bool colon = text.find(':') != std::string_view::npos;
  for (char c : text) {
    bool ok = (c >= '0' && c <= '9') || c == '.' ||
              (colon && (c == ':' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
    if (!ok) return false;
  }
  return IpAddress::Parse(text).ok();
}

}  // namespace mailrep
