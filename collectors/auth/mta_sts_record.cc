#include "collectors/auth/mta_sts_record.h"

#include "exporter/util/ascii.h"
#include "exporter/util/lines.h"

namespace mailrep {
namespace {

bool IsWsp(char c) { return c == ' ' || c == '\t'; }
bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

std::string_view TrimWsp(std::string_view s) {
  while (!s.empty() && IsWsp(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsWsp(s.back())) s.remove_suffix(1);
  return s;
}

bool IsFieldName(std::string_view name) {
  if (name.empty() || name.size() > 32 || !IsAlnum(name[0])) return false;
  for (char c : name.substr(1)) {
    if (!IsAlnum(c) && c != '_' && c != '-' && c != '.') return false;
  }
  return true;
}

bool IsStrictValue(std::string_view value) {
  if (value.empty()) return false;
  for (char c : value) {
    if (c < 0x21 || c > 0x7e || c == ';' || c == '=') return false;
  }
  return true;
}

// Printable for an error message: at most 40 bytes, others as '?'.
std::string Show(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 40)) out += (c >= 0x20 && c <= 0x7e) ? c : '?';
  if (s.size() > 40) out += "...";
  return "\"" + out + "\"";
}

bool ParseDigits(std::string_view s, int64_t* out) {
  if (s.empty() || s.size() > 10) return false;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

}  // namespace

bool IsMtaStsTxtCandidate(std::string_view text) {
  constexpr std::string_view kVersion = "v=STSv1";
  if (text.substr(0, kVersion.size()) != kVersion) return false;
  return text.size() == kVersion.size() || IsWsp(text[kVersion.size()]) ||
         text[kVersion.size()] == ';';
}

StatusOr<std::vector<std::pair<std::string, std::string>>> ParseStsTxtFields(
    std::string_view text, std::string_view version, bool strict_values) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t semi = text.find(';', start);
    parts.push_back(text.substr(start, semi == std::string_view::npos ? semi : semi - start));
    if (semi == std::string_view::npos) break;
    start = semi + 1;
  }
  // The version comes first, with nothing before it.
  std::string_view head = parts[0];
  while (!head.empty() && IsWsp(head.back())) head.remove_suffix(1);
  if (head != version) {
    return Status::InvalidArgument("the record must start with \"" + std::string(version) + ";\"");
  }
  if (parts.size() >= 2 && TrimWsp(parts.back()).empty()) parts.pop_back();  // final ';'
  if (parts.size() < 2) {
    return Status::InvalidArgument("no fields after " + std::string(version));
  }
  std::vector<std::pair<std::string, std::string>> fields;
  for (size_t i = 1; i < parts.size(); ++i) {
    std::string_view field = TrimWsp(parts[i]);
    if (field.empty()) return Status::InvalidArgument("empty field between ';'");
    size_t eq = field.find('=');
    if (eq == std::string_view::npos) {
      return Status::InvalidArgument("field " + Show(field) + " has no '='");
    }
    std::string_view name = field.substr(0, eq);
    std::string_view value = field.substr(eq + 1);
    if (!IsFieldName(name)) return Status::InvalidArgument("bad field name " + Show(name));
    if (strict_values ? !IsStrictValue(value) : value.empty()) {
      return Status::InvalidArgument("bad value for " + std::string(name) + ": " + Show(value));
    }
    fields.emplace_back(std::string(name), std::string(value));
  }
  return fields;
}

StatusOr<MtaStsTxtRecord> ParseMtaStsTxt(std::string_view text) {
  auto fields = ParseStsTxtFields(text, "v=STSv1", /*strict_values=*/true);
  if (!fields.ok()) return fields.status();
  MtaStsTxtRecord record;
  bool have_id = false;
  for (const auto& [name, value] : *fields) {
    if (name != "id") {
      record.extensions.push_back(name + "=" + value);
      continue;
    }
    if (have_id) return Status::InvalidArgument("more than one id field");
    if (value.size() > 32) return Status::InvalidArgument("id longer than 32 characters");
    for (char c : value) {
      if (!IsAlnum(c)) return Status::InvalidArgument("id " + Show(value) + " is not alphanumeric");
    }
    record.id = value;
    have_id = true;
  }
  if (!have_id) return Status::InvalidArgument("no id field");
  return record;
}

std::string_view MtaStsModeName(MtaStsMode mode) {
  switch (mode) {
    case MtaStsMode::kEnforce:
      return "enforce";
    case MtaStsMode::kTesting:
      return "testing";
    case MtaStsMode::kNone:
      return "none";
  }
  return "unknown";
}

bool IsValidMtaStsHostName(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty() || name.size() > 253) return false;
  int labels = 0;
  size_t start = 0;
  while (start <= name.size()) {
    size_t dot = name.find('.', start);
    std::string_view label =
        name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!IsAlnum(c) && c != '-') return false;
    }
    ++labels;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return labels >= 2;
}

bool MtaStsMxMatches(std::string_view pattern, std::string_view host) {
  std::string p = ToLowerAscii(pattern);
  std::string h = ToLowerAscii(host);
  if (!p.empty() && p.back() == '.') p.pop_back();
  if (!h.empty() && h.back() == '.') h.pop_back();
  if (p.empty() || h.empty()) return false;
  if (p.compare(0, 2, "*.") != 0) return p == h;
  std::string_view suffix = std::string_view(p).substr(1);  // ".example.net"
  if (h.size() <= suffix.size() ||
      h.compare(h.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return false;
  }
  std::string_view label = std::string_view(h).substr(0, h.size() - suffix.size());
  return label.find('.') == std::string_view::npos;
}

StatusOr<MtaStsPolicy> ParseMtaStsPolicy(std::string_view body) {
  MtaStsPolicy policy;
  bool have_version = false, have_mode = false, have_max_age = false;
  int line_number = 0;
  while (std::optional<std::string_view> next = NextLine(&body)) {
    std::string_view line = *next;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string where = "line " + std::to_string(line_number) + ": ";
    for (char c : line) {
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        return Status::InvalidArgument(where + "control character");
      }
    }
    if (TrimWsp(line).empty()) continue;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      return Status::InvalidArgument(where + Show(line) + " is not \"key: value\"");
    }
    std::string_view key = line.substr(0, colon);
    std::string_view value = TrimWsp(line.substr(colon + 1));
    if (!IsFieldName(key)) return Status::InvalidArgument(where + "bad key " + Show(key));
    if (key == "mx") {
      std::string pattern = ToLowerAscii(value);
      std::string_view host = pattern;
      if (host.substr(0, 2) == "*.") host.remove_prefix(2);
      if (!IsValidMtaStsHostName(host)) {
        return Status::InvalidArgument(where + "bad mx pattern " + Show(value));
      }
      policy.mx.push_back(pattern);
      continue;
    }
    bool* seen = key == "version"   ? &have_version
                 : key == "mode"    ? &have_mode
                 : key == "max_age" ? &have_max_age
                                    : nullptr;
    if (seen == nullptr) {
      policy.notes.push_back(where + "unknown key " + Show(key) + " ignored");
      continue;
    }
    if (*seen) {
      policy.notes.push_back(where + "repeated " + std::string(key) + " ignored (first counts)");
      continue;
    }
    *seen = true;
    if (key == "version") {
      if (value != "STSv1") return Status::InvalidArgument(where + "version is not STSv1");
    } else if (key == "mode") {
      if (value == "enforce") {
        policy.mode = MtaStsMode::kEnforce;
      } else if (value == "testing") {
        policy.mode = MtaStsMode::kTesting;
      } else if (value == "none") {
        policy.mode = MtaStsMode::kNone;
      } else {
        return Status::InvalidArgument(where + "mode " + Show(value) +
                                       " is not enforce, testing or none");
      }
    } else {
      if (!ParseDigits(value, &policy.max_age) || policy.max_age > kMtaStsMaxAgeLimit) {
        return Status::InvalidArgument(where + "max_age " + Show(value) +
                                       " is not 0..31557600 seconds");
      }
    }
  }
  if (!have_version) return Status::InvalidArgument("no version field");
  if (!have_mode) return Status::InvalidArgument("no mode field");
  if (!have_max_age) return Status::InvalidArgument("no max_age field");
  if (policy.mx.empty() && policy.mode != MtaStsMode::kNone) {
    return Status::InvalidArgument("no mx pattern (required unless mode is none)");
  }
  return policy;
}

}  // namespace mailrep
