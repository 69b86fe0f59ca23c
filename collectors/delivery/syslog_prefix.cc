#include "collectors/delivery/syslog_prefix.h"

#include <array>

#include "exporter/util/ascii.h"

namespace mailrep {
namespace {

// Characters a syslog tag's name may hold ("postfix-out1/smtp", "sm-mta",
// "exim4", "qmail-send", "systemd-journald", "php.fpm", "user@host").
constexpr std::array<bool, 256> kTagChars = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[c] = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' ||
           c == '_' || c == '.' || c == '/' || c == '@' || c == '(' || c == ')' || c == '+' ||
           c >= 0x80;
  }
  return t;
}();

void SkipSpaces(std::string_view* s) {
  size_t i = 0;
  while (i < s->size() && (*s)[i] == ' ') ++i;
  s->remove_prefix(i);
}

// Takes one space-free token and all the spaces after it.
std::string_view NextToken(std::string_view* s) {
  size_t end = s->find(' ');
  if (end == std::string_view::npos) end = s->size();
  std::string_view token = s->substr(0, end);
  s->remove_prefix(end);
  SkipSpaces(s);
  return token;
}

// Digits from `i`; returns the index after them.
size_t SkipDigits(std::string_view s, size_t i) {
  while (i < s.size() && IsDigit(s[i])) ++i;
  return i;
}

// `s` at `i` is followed by at least one space: takes everything up to and
// including the spaces.
bool TakeThroughSpaces(std::string_view* s, size_t i) {
  if (i >= s->size() || (*s)[i] != ' ') return false;
  s->remove_prefix(i);
  SkipSpaces(s);
  return true;
}

// "<PRI>" with one to three digits.
bool TakePri(std::string_view* s) {
  if (s->size() < 3 || s->front() != '<') return false;
  size_t end = SkipDigits(*s, 1);
  if (end == 1 || end > 4 || end >= s->size() || (*s)[end] != '>') return false;
  s->remove_prefix(end + 1);
  return true;
}

bool IsClock(std::string_view s, size_t i) {  // "HH:MM:SS" at i
  return s.size() >= i + 8 && IsDigit(s[i]) && IsDigit(s[i + 1]) && s[i + 2] == ':' &&
         IsDigit(s[i + 3]) && IsDigit(s[i + 4]) && s[i + 5] == ':' && IsDigit(s[i + 6]) &&
         IsDigit(s[i + 7]);
}

bool IsDate(std::string_view s, size_t i) {  // "YYYY-MM-DD" at i
  if (s.size() < i + 10) return false;
  for (size_t k : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!IsDigit(s[i + k])) return false;
  }
  return s[i + 4] == '-' && s[i + 7] == '-';
}

// "Nov 27 13:39:52" / "Nov  7 13:39:52" [".123456"].
bool TakeBsdStamp(std::string_view* s) {
  static constexpr std::string_view kMonths = "JanFebMarAprMayJunJulAugSepOctNovDec";
  if (s->size() < 16 || (*s)[3] != ' ') return false;
  bool month = false;
  for (size_t m = 0; m < kMonths.size() && !month; m += 3)
    month = s->substr(0, 3) == kMonths.substr(m, 3);
  if (!month) return false;
  char d0 = (*s)[4], d1 = (*s)[5];
  if (!(IsDigit(d1) && (d0 == ' ' || IsDigit(d0))) || (*s)[6] != ' ' || !IsClock(*s, 7)) {
    return false;
  }
  size_t i = 15;
  if (i < s->size() && (*s)[i] == '.') i = SkipDigits(*s, i + 1);
  return TakeThroughSpaces(s, i);
}

// "2026-11-27T13:39:52" with 'T', 't' or svlogd's '_' between date and time.
bool IsIsoPrefix(std::string_view s) {
  return s.size() >= 19 && IsDate(s, 0) && (s[10] == 'T' || s[10] == 't' || s[10] == '_') &&
         IsClock(s, 11);
}

// An ISO stamp: the prefix, then fraction and zone ("Z", "+00:00", "+0000").
bool TakeIsoStamp(std::string_view* s) {
  if (!IsIsoPrefix(*s)) return false;
  size_t i = 19;
  while (i < s->size() && (IsDigit((*s)[i]) || (*s)[i] == '.' || (*s)[i] == ':' || (*s)[i] == '+' ||
                           (*s)[i] == '-' || (*s)[i] == 'Z' || (*s)[i] == 'z')) {
    ++i;
  }
  return TakeThroughSpaces(s, i);
}

// journalctl -o short-full: "Fri 2026-11-27 13:39:52 UTC".
bool TakeFullStamp(std::string_view* s) {
  if (s->size() < 28 || !IsAlpha((*s)[0]) || (*s)[3] != ' ' || !IsDate(*s, 4) || (*s)[14] != ' ' ||
      !IsClock(*s, 15) || (*s)[23] != ' ') {
    return false;
  }
  size_t i = 24;
  while (i < s->size() && (*s)[i] != ' ') ++i;
  return i > 24 && TakeThroughSpaces(s, i);
}

// Seconds since the epoch, nine to twelve digits, with an optional fraction.
bool TakeEpochStamp(std::string_view* s) {
  size_t i = SkipDigits(*s, 0);
  if (i < 9 || i > 12) return false;
  if (i < s->size() && (*s)[i] == '.') i = SkipDigits(*s, i + 1);
  return TakeThroughSpaces(s, i);
}

// TAI64N label: '@' and 24 hex digits.
bool TakeTai64nStamp(std::string_view* s) {
  if (s->size() < 26 || (*s)[0] != '@') return false;
  for (size_t i = 1; i < 25; ++i) {
    char c = (*s)[i];
    if (!(IsDigit(c) || (c >= 'a' && c <= 'f'))) return false;
  }
  return TakeThroughSpaces(s, 25);
}

bool TakeStamp(std::string_view* s) {
  if (s->empty()) return false;
  char c = s->front();
  if (c == '@') return TakeTai64nStamp(s);
  if (IsDigit(c)) return TakeIsoStamp(s) || TakeEpochStamp(s);
  if (IsAlpha(c)) return TakeBsdStamp(s) || TakeFullStamp(s);
  return false;
}

// The tag's name when `token` is "name[pid]:" or (unless `need_pid`) "name:".
std::optional<std::string_view> TagOf(std::string_view token, bool need_pid) {
  if (token.size() < 2 || token.back() != ':') return std::nullopt;
  std::string_view name = token.substr(0, token.size() - 1);
  if (name.back() == ']') {
    size_t open = name.rfind('[');
    if (open == std::string_view::npos || open + 2 >= name.size()) return std::nullopt;
    for (size_t i = open + 1; i + 1 < name.size(); ++i) {
      if (!IsDigit(name[i])) return std::nullopt;
    }
    name = name.substr(0, open);
  } else if (need_pid) {
    return std::nullopt;
  }
  if (name.empty() || !(IsAlpha(name[0]) || name[0] == '_' || name[0] == '(')) return std::nullopt;
  for (char c : name) {
    if (!kTagChars[static_cast<unsigned char>(c)]) return std::nullopt;
  }
  return name;
}

// The tag token at the start of `s` and the message after it (one space).
std::optional<SyslogLine> TakeTag(std::string_view s, bool need_pid) {
  size_t end = s.find(' ');
  std::optional<std::string_view> tag = TagOf(s.substr(0, end), need_pid);
  if (!tag) return std::nullopt;
  std::string_view message = end == std::string_view::npos ? std::string_view() : s.substr(end + 1);
  return SyslogLine{*tag, message};
}

// RFC 5424 after "<PRI>": "1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD [MSG]".
std::optional<SyslogLine> ParseRfc5424(std::string_view s) {
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

// At most this many "<PRI>"s and stamps are taken in a row.
constexpr int kMaxStamps = 4;

// Takes "<PRI>"s and stamps in any order ("@4000... <13>Nov 27 ..." when
// multilog stamps a raw /dev/log line). True when it took any. An RFC 5424
// line ("<PRI>1 ...") stops it with `*rfc5424` set and `s` at the "1 ".
bool TakeHeaderStamps(std::string_view* s, bool* rfc5424) {
  *rfc5424 = false;
  int taken = 0;
  while (taken < kMaxStamps) {
    if (TakePri(s)) {
      ++taken;
      if (s->size() > 2 && (*s)[0] == '1' && (*s)[1] == ' ') {
        *rfc5424 = true;
        return true;
      }
    } else if (TakeStamp(s)) {
      ++taken;
    } else {
      break;
    }
  }
  if (taken == 0 && s->size() > 2 && (*s)[0] == '1' && (*s)[1] == ' ' &&
      (IsIsoPrefix(s->substr(2)) || s->substr(2, 2) == "- ")) {
    *rfc5424 = true;  // RFC 5424 written to a file without its <PRI>
    return true;
  }
  return taken > 0;
}

}  // namespace

std::optional<SyslogLine> ParseSyslogPrefix(std::string_view line) {
  std::string_view s = line;
  // Rounds 2 and 3 read a whole line that a relay prefixed with "STAMP host".
  for (int round = 0; round < 3; ++round) {
    bool rfc5424 = false;
    bool header = TakeHeaderStamps(&s, &rfc5424);
    if (rfc5424) return ParseRfc5424(s);
    // "tag[pid]: msg" (no HOSTNAME); a bare "tag: msg" only after a header.
    if (std::optional<SyslogLine> tagged = TakeTag(s, /*need_pid=*/!header)) return tagged;
    if (!header) return std::nullopt;
    NextToken(&s);  // HOSTNAME
    if (std::optional<SyslogLine> tagged = TakeTag(s, /*need_pid=*/false)) return tagged;
  }
  return std::nullopt;
}

std::string_view SkipLogStamps(std::string_view line) {
  bool rfc5424 = false;
  TakeHeaderStamps(&line, &rfc5424);
  return line;
}

}  // namespace mailrep
