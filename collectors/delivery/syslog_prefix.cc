#include "collectors/delivery/syslog_prefix.h"

namespace mailrep {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Takes one space-free token and the spaces after it.
std::string_view NextToken(std::string_view* s) {
  size_t end = s->find(' ');
  std::string_view token = s->substr(0, end);
  s->remove_prefix(end == std::string_view::npos ? s->size() : end);
  while (!s->empty() && s->front() == ' ') s->remove_prefix(1);
  return token;
}

// "Nov 27 13:39:52" / "Nov  7 13:39:52" at the start of `s`.
bool TakeBsdTimestamp(std::string_view* s) {
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (s->size() < 16) return false;
  bool month = false;
  for (std::string_view m : kMonths) month = month || s->substr(0, 3) == m;
  if (!month || (*s)[3] != ' ') return false;
  std::string_view day = s->substr(4, 2);
  if (!(IsDigit(day[1]) && (day[0] == ' ' || IsDigit(day[0])))) return false;
  std::string_view t = s->substr(7, 8);
  if (!(IsDigit(t[0]) && IsDigit(t[1]) && t[2] == ':' && IsDigit(t[3]) && IsDigit(t[4]) &&
        t[5] == ':' && IsDigit(t[6]) && IsDigit(t[7]))) {
    return false;
  }
  s->remove_prefix(15);
  if (s->empty() || s->front() != ' ') return false;
  while (!s->empty() && s->front() == ' ') s->remove_prefix(1);
  return true;
}

// "2026-11-27T13:39:52[.frac](Z|+hh:mm)" followed by a space.
bool IsIsoTimestamp(std::string_view token) {
  if (token.size() < 19) return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18}) {
    if (!IsDigit(token[i])) return false;
  }
  return token[4] == '-' && token[7] == '-' && (token[10] == 'T' || token[10] == 't') &&
         token[13] == ':' && token[16] == ':';
}

// "tag[pid]: message" or "tag: message".
std::optional<SyslogLine> TakeTag(std::string_view s) {
  size_t colon = s.find(": ");
  size_t space = s.find(' ');
  if (colon == std::string_view::npos || colon == 0 || space < colon) {
    // "tag:" with an empty message.
    if (!s.empty() && s.back() == ':' && s.find(' ') == std::string_view::npos && s.size() > 1) {
      colon = s.size() - 1;
    } else {
      return std::nullopt;
    }
  }
  std::string_view tag = s.substr(0, colon);
  if (tag.back() == ']') {
    size_t open = tag.rfind('[');
    if (open == std::string_view::npos || open == 0) return std::nullopt;
    tag = tag.substr(0, open);
  }
  if (tag.empty()) return std::nullopt;
  std::string_view message = colon + 2 <= s.size() ? s.substr(colon + 2) : std::string_view();
  return SyslogLine{tag, message};
}

}  // namespace

std::optional<SyslogLine> ParseSyslogPrefix(std::string_view line) {
  std::string_view s = line;
  bool had_pri = false;
  if (!s.empty() && s.front() == '<') {
    size_t close = s.find('>');
    if (close == std::string_view::npos || close < 2 || close > 4) return std::nullopt;
    for (size_t i = 1; i < close; ++i) {
      if (!IsDigit(s[i])) return std::nullopt;
    }
    s.remove_prefix(close + 1);
    had_pri = true;
  }
  if (had_pri && s.size() > 2 && s[0] == '1' && s[1] == ' ') {
    // RFC 5424: VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD [MSG]
    s.remove_prefix(2);
    NextToken(&s);  // timestamp
    NextToken(&s);  // hostname
    std::string_view app = NextToken(&s);
    NextToken(&s);  // procid
    NextToken(&s);  // msgid
    if (app.empty() || app == "-" || s.empty()) return std::nullopt;
    if (s.front() == '-') {
      s.remove_prefix(1);
    } else if (s.front() == '[') {
      // Structured data: [id k="v" ...]...; quoted values may hold ']' escaped as \].
      while (!s.empty() && s.front() == '[') {
        size_t i = 1;
        bool quoted = false;
        for (; i < s.size(); ++i) {
          if (s[i] == '\\') {
            ++i;
          } else if (s[i] == '"') {
            quoted = !quoted;
          } else if (s[i] == ']' && !quoted) {
            break;
          }
        }
        if (i >= s.size()) return std::nullopt;
        s.remove_prefix(i + 1);
      }
    } else {
      return std::nullopt;
    }
    if (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
    return SyslogLine{app, s};
  }
  if (TakeBsdTimestamp(&s)) {
    std::string_view rest = s;
    NextToken(&rest);  // host
    if (std::optional<SyslogLine> tagged = TakeTag(rest)) return tagged;
    return TakeTag(s);  // no host field
  }
  std::string_view probe = s;
  std::string_view first = NextToken(&probe);
  if (IsIsoTimestamp(first)) {
    NextToken(&probe);  // host
    return TakeTag(probe);
  }
  if (had_pri) return TakeTag(s);
  return std::nullopt;
}

}  // namespace mailrep
