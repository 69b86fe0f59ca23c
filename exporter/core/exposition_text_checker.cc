#include "exporter/core/exposition_text_checker.h"

#include <cstdlib>
#include <set>

#include "exporter/core/exposition_repair.h"

namespace mailrep {
namespace {

bool ValidUtf8NoControls(std::string_view s) {
  std::string copy(s);
  return !RepairUtf8Text(&copy);
}

// Reads an escaped string up to (not including) `end` ('\n': the end of the
// line) and checks its escapes; returns the position of `end`, or npos on error.
size_t ReadEscaped(std::string_view line, size_t pos, char end, bool quote_escape,
                   std::string* error) {
  size_t start = pos;
  while (pos < line.size() && line[pos] != end) {
    if (line[pos] == '\\') {
      char next = pos + 1 < line.size() ? line[pos + 1] : 0;
      if (next != '\\' && next != 'n' && !(quote_escape && next == '"')) {
        *error = "bad escape";
        return std::string_view::npos;
      }
      pos += 2;
      continue;
    }
    ++pos;
  }
  if (!ValidUtf8NoControls(line.substr(start, pos - start))) {
    *error = "invalid UTF-8 or control character";
    return std::string_view::npos;
  }
  return pos;
}

bool ValidValue(std::string_view v) {
  if (v == "NaN" || v == "+Inf" || v == "-Inf") return true;
  if (v.empty()) return false;
  std::string copy(v);
  char* end = nullptr;
  std::strtod(copy.c_str(), &end);
  return end == copy.c_str() + copy.size();
}

std::string CheckSample(std::string_view line) {
  size_t pos = 0;
  while (pos < line.size() && line[pos] != '{' && line[pos] != ' ') ++pos;
  if (!IsValidMetricName(line.substr(0, pos))) return "bad metric name";
  if (pos < line.size() && line[pos] == '{') {
    ++pos;
    std::set<std::string_view> names;
    while (pos < line.size() && line[pos] != '}') {
      size_t eq = line.find('=', pos);
      if (eq == std::string_view::npos) return "label without '='";
      std::string_view name = line.substr(pos, eq - pos);
      if (!IsValidLabelName(name)) return "bad label name";
      if (!names.insert(name).second) return "duplicate label name";
      if (eq + 1 >= line.size() || line[eq + 1] != '"') return "label value not quoted";
      std::string error;
      pos = ReadEscaped(line, eq + 2, '"', true, &error);
      if (pos == std::string_view::npos) return "label value: " + error;
      if (pos >= line.size()) return "unterminated label value";
      ++pos;  // the closing quote
      if (pos < line.size() && line[pos] == ',') ++pos;
    }
    if (pos >= line.size()) return "unterminated label set";
    ++pos;
  }
  if (pos >= line.size() || line[pos] != ' ') return "no value";
  std::string_view rest = line.substr(pos + 1);
  size_t space = rest.find(' ');
  if (!ValidValue(rest.substr(0, space))) return "bad value";
  if (space != std::string_view::npos) {
    std::string_view ts = rest.substr(space + 1);
    if (ts.empty() || ts.find_first_not_of("-0123456789") != std::string_view::npos) {
      return "bad timestamp";
    }
  }
  return "";
}

std::string CheckComment(std::string_view line) {
  if (line.starts_with("# TYPE ")) {
    std::string_view rest = line.substr(7);
    size_t space = rest.find(' ');
    if (space == std::string_view::npos || !IsValidMetricName(rest.substr(0, space))) {
      return "bad TYPE line";
    }
    static const std::set<std::string_view> kTypes = {"counter", "gauge", "histogram", "summary",
                                                      "untyped"};
    return kTypes.count(rest.substr(space + 1)) ? "" : "unknown type";
  }
  if (line.starts_with("# HELP ")) {
    std::string_view rest = line.substr(7);
    size_t space = rest.find(' ');
    if (!IsValidMetricName(rest.substr(0, space))) return "bad HELP metric name";
    if (space == std::string_view::npos) return "";
    std::string error;
    if (ReadEscaped(rest, space + 1, '\n', false, &error) == std::string_view::npos) {
      return "HELP: " + error;
    }
    return "";
  }
  return "comment is neither HELP nor TYPE";
}

}  // namespace

std::string CheckExpositionText(std::string_view text) {
  size_t line_number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    ++line_number;
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) return "line " + std::to_string(line_number) + ": no '\\n'";
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    std::string error = line.starts_with("#") ? CheckComment(line) : CheckSample(line);
    if (!error.empty()) return "line " + std::to_string(line_number) + ": " + error;
  }
  return "";
}

}  // namespace mailrep
