#include "collectors/reports/imap_responses.h"

#include <algorithm>

#include "exporter/util/ascii.h"

namespace mailrep {
namespace {

// Calls `f` with each line of `body`, without its "\r\n".
template <typename F>
void ForEachLine(std::string_view body, F f) {
  while (!body.empty()) {
    size_t end = body.find('\n');
    std::string_view line = body.substr(0, end);
    body.remove_prefix(end == std::string_view::npos ? body.size() : end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    f(line);
  }
}

bool ConsumePrefix(std::string_view* s, std::string_view prefix) {
  if (s->size() < prefix.size() || !EqualsIgnoreCase(s->substr(0, prefix.size()), prefix)) {
    return false;
  }
  s->remove_prefix(prefix.size());
  return true;
}

// A decimal number of at most 20 digits no greater than `max`, consumed.
std::optional<uint64_t> ConsumeNumber(std::string_view* s, uint64_t max) {
  size_t n = DigitRun(*s, 0, 20);
  if (n == 0) return std::nullopt;
  uint64_t value = 0;
  for (size_t i = 0; i < n; ++i) {
    uint64_t digit = static_cast<uint64_t>((*s)[i] - '0');
    if (value > (max - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  s->remove_prefix(n);
  return value;
}

void SkipSpaces(std::string_view* s) {
  while (!s->empty() && s->front() == ' ') s->remove_prefix(1);
}

constexpr uint64_t kMaxUid = 0xffffffffu;

// One item value of a FETCH response: a number, atom, quoted string or
// parenthesized list (nested). False when it is none of those (a literal,
// or the line ends).
bool SkipValue(std::string_view* s) {
  if (s->empty()) return false;
  char c = s->front();
  if (c == '(') {
    int depth = 0;
    bool quoted = false;
    for (size_t i = 0; i < s->size(); ++i) {
      char x = (*s)[i];
      if (quoted) {
        if (x == '\\') {
          ++i;
        } else if (x == '"') {
          quoted = false;
        }
      } else if (x == '"') {
        quoted = true;
      } else if (x == '{') {
        return false;
      } else if (x == '(') {
        ++depth;
      } else if (x == ')' && --depth == 0) {
        s->remove_prefix(i + 1);
        return true;
      }
    }
    return false;
  }
  if (c == '"') {
    for (size_t i = 1; i < s->size(); ++i) {
      if ((*s)[i] == '\\') {
        ++i;
      } else if ((*s)[i] == '"') {
        s->remove_prefix(i + 1);
        return true;
      }
    }
    return false;
  }
  if (c == '{' || c == ')' || c == ' ') return false;
  size_t n = 0;
  while (n < s->size() && (*s)[n] != ' ' && (*s)[n] != ')' && (*s)[n] != '(') ++n;
  s->remove_prefix(n);
  return true;
}

// True when the FLAGS list "(...)" at the front of `s` holds \Seen.
bool FlagsHaveSeen(std::string_view s) {
  size_t close = s.find(')');
  std::string_view list = s.substr(1, close == std::string_view::npos ? s.npos : close - 1);
  while (!list.empty()) {
    SkipSpaces(&list);
    size_t n = list.find(' ');
    std::string_view flag = list.substr(0, n);
    if (EqualsIgnoreCase(flag, "\\Seen")) return true;
    list.remove_prefix(n == std::string_view::npos ? list.size() : n);
  }
  return false;
}

}  // namespace

std::optional<uint32_t> ParseUidValidity(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (!ConsumePrefix(&line, "* OK [UIDVALIDITY ")) return std::nullopt;
  std::optional<uint64_t> value = ConsumeNumber(&line, kMaxUid);
  if (!value || *value == 0 || line.empty() || line.front() != ']') return std::nullopt;
  return static_cast<uint32_t>(*value);
}

std::vector<uint32_t> ParseSearchUids(std::string_view body, size_t max) {
  std::vector<uint32_t> uids;
  ForEachLine(body, [&](std::string_view line) {
    if (!ConsumePrefix(&line, "* SEARCH")) return;
    while (!line.empty() && line.front() == ' ') {
      SkipSpaces(&line);
      if (line.empty()) break;
      std::optional<uint64_t> uid = ConsumeNumber(&line, kMaxUid);
      if (!uid || *uid == 0 || (!line.empty() && line.front() != ' ')) break;
      uids.push_back(static_cast<uint32_t>(*uid));
    }
  });
  std::sort(uids.begin(), uids.end());
  uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
  if (uids.size() > max) uids.resize(max);
  return uids;
}

std::vector<ImapMessageInfo> ParseFetchInfo(std::string_view body) {
  std::vector<ImapMessageInfo> out;
  ForEachLine(body, [&](std::string_view line) {
    if (!ConsumePrefix(&line, "* ") || !ConsumeNumber(&line, kMaxUid) ||
        !ConsumePrefix(&line, " FETCH (")) {
      return;
    }
    ImapMessageInfo info;
    bool have_uid = false, have_size = false;
    for (;;) {
      SkipSpaces(&line);
      if (line.empty() || line.front() == ')') break;
      size_t n = 0;
      while (n < line.size() && line[n] != ' ' && line[n] != '(' && line[n] != ')') ++n;
      std::string_view name = line.substr(0, n);
      line.remove_prefix(n);
      SkipSpaces(&line);
      if (EqualsIgnoreCase(name, "UID")) {
        std::optional<uint64_t> uid = ConsumeNumber(&line, kMaxUid);
        if (!uid || *uid == 0) return;
        info.uid = static_cast<uint32_t>(*uid);
        have_uid = true;
      } else if (EqualsIgnoreCase(name, "RFC822.SIZE")) {
        std::optional<uint64_t> size = ConsumeNumber(&line, UINT64_MAX);
        if (!size) return;
        info.size = *size;
        have_size = true;
      } else {
        if (EqualsIgnoreCase(name, "FLAGS") && !line.empty() && line.front() == '(') {
          info.seen = FlagsHaveSeen(line);
        }
        if (n == 0 || !SkipValue(&line)) return;
      }
    }
    if (have_uid && have_size) out.push_back(info);
  });
  return out;
}

std::string UidSet(std::span<const uint32_t> ascending) {
  std::string out;
  for (size_t i = 0; i < ascending.size();) {
    size_t j = i;
    while (j + 1 < ascending.size() &&
           (ascending[j + 1] == ascending[j] || ascending[j + 1] == ascending[j] + 1)) {
      ++j;
    }
    if (!out.empty()) out += ',';
    out += std::to_string(ascending[i]);
    if (ascending[j] != ascending[i]) out += ':' + std::to_string(ascending[j]);
    i = j + 1;
  }
  return out;
}

}  // namespace mailrep
