#include "collectors/reports/mail_headers.h"

#include <algorithm>

#include "collectors/reports/report_invalid_reason.h"
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

StatusOr<MailHeaders> ParseMailHeaders(std::string_view block) {
  MailHeaders headers;
  block = SkipMboxLine(block);
  MailHeader* last = nullptr;
  while (std::optional<std::string_view> line = NextLine(&block)) {
    if (!line->empty() && line->back() == '\r') line->remove_suffix(1);
    if (line->empty()) continue;
    if (IsSpace(line->front())) {
      if (last == nullptr) {
        return InvalidReport(ReportInvalidReason::kMimeSyntax, "a continuation line first");
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
      return InvalidReport(ReportInvalidReason::kMimeSyntax, "a header line without a name");
    }
    if (headers.fields.size() >= kMaxHeaderFields) {
      return InvalidReport(ReportInvalidReason::kMimeSyntax,
                           "more than " + std::to_string(kMaxHeaderFields) + " header fields");
    }
    std::string_view value = TrimSpace(line->substr(line->find(':') + 1));
    headers.fields.push_back(
        {std::string(line->substr(0, name)), std::string(value.substr(0, kMaxHeaderValue))});
    last = &headers.fields.back();
  }
  return headers;
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
  return out;
}

}  // namespace mailrep
