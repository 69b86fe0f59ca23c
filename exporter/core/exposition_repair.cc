#include "exporter/core/exposition_repair.h"

#include <algorithm>
#include <atomic>

namespace mailrep {
namespace {

std::atomic<uint64_t> repairs_total{0};

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool InRange(unsigned char c, unsigned char low, unsigned char high) {
  return c >= low && c <= high;
}

// Length of the well-formed UTF-8 sequence at `s[i]` (Unicode table 3-7), or 0.
size_t SequenceLength(std::string_view s, size_t i) {
  auto at = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = at(i);
  if (c < 0x80) return 1;
  size_t n = c >= 0xC2 && c <= 0xDF   ? 2
             : c >= 0xE0 && c <= 0xEF ? 3
             : c >= 0xF0 && c <= 0xF4 ? 4
                                      : 0;
  if (n == 0 || i + n > s.size()) return 0;
  // The second byte's range excludes overlong forms, surrogates and > U+10FFFF.
  unsigned char low = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
  unsigned char high = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
  if (!InRange(at(i + 1), low, high)) return 0;
  for (size_t k = 2; k < n; ++k) {
    if (!InRange(at(i + k), 0x80, 0xBF)) return 0;
  }
  return n;
}

bool IsControl(unsigned char c) { return (c < 0x20 && c != '\t' && c != '\n') || c == 0x7F; }

bool IsNameChar(char c, bool colon, bool digit) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':') ||
         (digit && c >= '0' && c <= '9');
}

bool IsName(std::string_view name, bool colon) {
  if (name.empty() || !IsNameChar(name[0], colon, false)) return false;
  return std::all_of(name.begin() + 1, name.end(),
                     [&](char c) { return IsNameChar(c, colon, true); });
}

// Whether the series' label names are all valid and distinct, and none is the
// one the serializer adds to histogram ("le") or summary ("quantile") samples.
bool LabelNamesValid(const prometheus::ClientMetric& metric, prometheus::MetricType type) {
  std::string_view added = type == prometheus::MetricType::Histogram ? "le"
                           : type == prometheus::MetricType::Summary ? "quantile"
                                                                     : "";
  for (size_t i = 0; i < metric.label.size(); ++i) {
    const std::string& name = metric.label[i].name;
    if (!IsValidLabelName(name) || name == added) return false;
    for (size_t j = 0; j < i; ++j) {
      if (metric.label[j].name == name) return false;
    }
  }
  return true;
}

// prometheus-cpp 1.0.1's TextSerializer writes HELP verbatim (it escapes only
// label values), so a newline in a HELP text would end the line early. The
// format's HELP escapes are \\ and \n; exposition_repair_test pins the output.
void EscapeHelp(std::string* help) {
  if (help->find_first_of("\\\n") == std::string::npos) return;
  std::string out;
  for (char c : *help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  *help = std::move(out);
}

}  // namespace

bool RepairUtf8Text(std::string* s) {
  size_t i = 0;
  while (i < s->size()) {  // fast path: most strings are clean
    size_t n = SequenceLength(*s, i);
    if (n == 0 || (n == 1 && IsControl(static_cast<unsigned char>((*s)[i])))) break;
    i += n;
  }
  if (i == s->size()) return false;
  std::string out = s->substr(0, i);
  while (i < s->size()) {
    size_t n = SequenceLength(*s, i);
    if (n == 1 && IsControl(static_cast<unsigned char>((*s)[i]))) n = 0;
    if (n > 0) {
      out.append(*s, i, n);
      i += n;
      continue;
    }
    out += kReplacement;
    // Skip the rest of the ill-formed subsequence: continuation bytes that
    // cannot start a sequence of their own (at most three).
    ++i;
    for (int k = 0;
         k < 3 && i < s->size() && InRange(static_cast<unsigned char>((*s)[i]), 0x80, 0xBF); ++k) {
      ++i;
    }
  }
  *s = std::move(out);
  return true;
}

bool IsValidMetricName(std::string_view name) { return IsName(name, true); }

bool IsValidLabelName(std::string_view name) {
  return IsName(name, false) && !name.starts_with("__");
}

uint64_t RepairFamilies(std::vector<prometheus::MetricFamily>* families) {
  uint64_t repairs = 0;
  repairs += std::erase_if(
      *families, [](const prometheus::MetricFamily& f) { return !IsValidMetricName(f.name); });
  for (prometheus::MetricFamily& family : *families) {
    if (RepairUtf8Text(&family.help)) ++repairs;
    EscapeHelp(&family.help);
    repairs += std::erase_if(family.metric, [&](const prometheus::ClientMetric& m) {
      return !LabelNamesValid(m, family.type);
    });
    for (prometheus::ClientMetric& metric : family.metric) {
      for (prometheus::ClientMetric::Label& label : metric.label) {
        if (RepairUtf8Text(&label.value)) ++repairs;
      }
    }
  }
  if (repairs > 0) repairs_total.fetch_add(repairs, std::memory_order_relaxed);
  return repairs;
}

uint64_t ExpositionRepairsTotal() { return repairs_total.load(std::memory_order_relaxed); }

}  // namespace mailrep
