#include "collectors/mail/mail_headers.h"

#include <algorithm>

#include "collectors/mail/mail_error.h"
#include "exporter/util/ascii.h"
#include "exporter/util/lines.h"

namespace mailrep {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && (IsSpace(s.front()) || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (IsSpace(s.back()) || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// The length of a field name at the start of `line` followed by ':', or 0.
size_t FieldNameLength(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && line[i] > ' ' && line[i] < 127 && line[i] != ':') ++i;
  // "Name :" (white space before the colon) is obsolete syntax; accept it.
  size_t name = i;
  while (i < line.size() && IsSpace(line[i])) ++i;
  return name > 0 && i < line.size() && line[i] == ':' ? name : 0;
}

std::string_view SkipMboxLine(std::string_view text) {
  if (text.substr(0, 5) == "From ") {
    size_t nl = text.find('\n');
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
  }
  return text;
}

}  // namespace

std::optional<std::string_view> MailHeaders::Get(std::string_view name) const {
  for (const MailHeader& field : fields) {
    if (EqualsIgnoreCase(field.name, name)) return std::string_view(field.value);
  }
  return std::nullopt;
}

std::vector<std::string_view> MailHeaders::GetAll(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const MailHeader& field : fields) {
    if (EqualsIgnoreCase(field.name, name)) out.push_back(field.value);
  }
  return out;
}

std::pair<std::string_view, std::string_view> SplitHeaderBody(std::string_view message) {
  size_t at = 0;
  for (;;) {
    // An empty line is at the start, or after "\n" as "\n" or "\r\n".
    if (at < message.size() && message[at] == '\n') {
      return {message.substr(0, at), message.substr(at + 1)};
    }
    if (message.substr(at, 2) == "\r\n") {
      return {message.substr(0, at), message.substr(at + 2)};
    }
    size_t nl = message.find('\n', at);
    if (nl == std::string_view::npos) return {message, std::string_view()};
    at = nl + 1;
  }
}

namespace {

// Strict (defects null): the first broken line is an error. Lenient: noted.
StatusOr<MailHeaders> ParseHeaders(std::string_view block, HeaderDefects* defects) {
  MailHeaders headers;
  block = SkipMboxLine(block);
  MailHeader* last = nullptr;
  while (std::optional<std::string_view> line = NextLine(&block)) {
    if (!line->empty() && line->back() == '\r') line->remove_suffix(1);
    if (line->empty()) continue;
    if (IsSpace(line->front())) {
      if (last == nullptr) {
        if (defects == nullptr) {
          return MailErrorStatus(MailError::kMimeSyntax, "a continuation line first");
        }
        ++defects->bad_lines;
        continue;
      }
      std::string_view more = TrimSpace(*line);
      if (last->value.size() + 1 + more.size() <= kMaxHeaderValue) {
        if (!last->value.empty()) last->value += ' ';
        last->value.append(more);
      }
      continue;
    }
    size_t name = FieldNameLength(*line);
    if (name == 0) {
      if (defects == nullptr) {
        return MailErrorStatus(MailError::kMimeSyntax, "a header line without a name");
      }
      ++defects->bad_lines;
      last = nullptr;  // what follows it continues nothing we kept
      continue;
    }
    if (headers.fields.size() >= kMaxHeaderFields) {
      if (defects == nullptr) {
        return MailErrorStatus(MailError::kMimeSyntax,
                               "more than " + std::to_string(kMaxHeaderFields) + " header fields");
      }
      defects->too_many_fields = true;
      break;
    }
    std::string_view value = TrimSpace(line->substr(line->find(':') + 1));
    headers.fields.push_back(
        {std::string(line->substr(0, name)), std::string(value.substr(0, kMaxHeaderValue))});
    last = &headers.fields.back();
  }
  return headers;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// An RFC 2231 extended value: charset'language'%XX-encoded; the charset and
// language are dropped (only the first segment has them).
std::string DecodeExtendedValue(std::string_view v, bool first) {
  if (first) {
    size_t q1 = v.find('\'');
    size_t q2 = q1 == std::string_view::npos ? q1 : v.find('\'', q1 + 1);
    if (q2 != std::string_view::npos) v.remove_prefix(q2 + 1);
  }
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '%' && i + 2 < v.size() && HexValue(v[i + 1]) >= 0 && HexValue(v[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(v[i + 1]) * 16 + HexValue(v[i + 2]));
      i += 2;
    } else {
      out += v[i];
    }
  }
  return out;
}

// Joins RFC 2231 sections (name*0, name*1*, ...) and decodes extended values
// (name*): the joined parameter replaces its sections, at the first one's place.
void JoinRfc2231(std::vector<std::pair<std::string, std::string>>* params) {
  std::vector<std::pair<std::string, std::string>> out;
  struct Section {
    int index;
    bool extended;
    std::string value;
  };
  std::vector<std::pair<std::string, std::vector<Section>>> joined;
  for (auto& [name, value] : *params) {
    size_t star = name.find('*');
    if (star == std::string::npos) {
      out.emplace_back(std::move(name), std::move(value));
      continue;
    }
    std::string base = name.substr(0, star);
    std::string_view rest = std::string_view(name).substr(star + 1);
    bool extended = !rest.empty() && rest.back() == '*';
    if (extended) rest.remove_suffix(1);
    int index = 0;
    if (rest.empty()) {
      extended = true;  // "name*": one extended value
    } else {
      if (rest.size() > 3) continue;
      for (char c : rest) {
        if (c < '0' || c > '9') {
          index = -1;
          break;
        }
        index = index * 10 + (c - '0');
      }
      if (index < 0) continue;
    }
    auto it =
        std::find_if(joined.begin(), joined.end(), [&](const auto& j) { return j.first == base; });
    if (it == joined.end()) {
      out.emplace_back(base, "");  // a placeholder, filled below
      joined.emplace_back(base, std::vector<Section>{});
      it = joined.end() - 1;
    }
    it->second.push_back({index, extended, std::move(value)});
  }
  for (auto& [base, sections] : joined) {
    std::stable_sort(sections.begin(), sections.end(),
                     [](const Section& a, const Section& b) { return a.index < b.index; });
    std::string value;
    for (const Section& s : sections) {
      value += s.extended ? DecodeExtendedValue(s.value, s.index == 0) : s.value;
    }
    for (auto& [name, v] : out) {
      if (name == base && v.empty()) {
        v = std::move(value);
        break;
      }
    }
  }
  // A plain parameter and an RFC 2231 one of the same name: keep the first.
  *params = std::move(out);
}

}  // namespace

StatusOr<MailHeaders> ParseMailHeaders(std::string_view block) {
  return ParseHeaders(block, nullptr);
}

MailHeaders ParseMailHeadersLenient(std::string_view block, HeaderDefects* defects) {
  HeaderDefects ignored;
  return std::move(ParseHeaders(block, defects ? defects : &ignored)).value();
}

bool LooksLikeMail(std::string_view text) {
  if (text.substr(0, 5) == "From ") return true;
  size_t nl = text.find('\n');
  return FieldNameLength(text.substr(0, nl)) > 0;
}

std::optional<std::string_view> MimeValue::Param(std::string_view name) const {
  for (const auto& [key, value] : params) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

MimeValue ParseMimeValue(std::string_view value) {
  MimeValue out;
  size_t semi = value.find(';');
  out.token = ToLowerAscii(TrimSpace(value.substr(0, semi)));
  std::string_view rest = semi == std::string_view::npos ? "" : value.substr(semi + 1);
  while (!rest.empty() && out.params.size() < 32) {
    rest = TrimSpace(rest);
    size_t eq = rest.find('=');
    size_t next = rest.find(';');
    if (eq == std::string_view::npos || (next != std::string_view::npos && next < eq)) {
      rest.remove_prefix(next == std::string_view::npos ? rest.size() : next + 1);
      continue;
    }
    std::string name = ToLowerAscii(TrimSpace(rest.substr(0, eq)));
    rest = TrimSpace(rest.substr(eq + 1));
    std::string v;
    if (!rest.empty() && rest.front() == '"') {
      size_t i = 1;
      for (; i < rest.size() && rest[i] != '"'; ++i) {
        if (rest[i] == '\\' && i + 1 < rest.size()) ++i;
        v += rest[i];
      }
      rest.remove_prefix(std::min(rest.size(), i + 1));
      size_t after = rest.find(';');
      rest.remove_prefix(after == std::string_view::npos ? rest.size() : after + 1);
    } else {
      size_t end = rest.find(';');
      v = TrimSpace(rest.substr(0, end));
      rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    }
    out.params.emplace_back(std::move(name), std::move(v));
  }
  JoinRfc2231(&out.params);
  return out;
}

}  // namespace mailrep
