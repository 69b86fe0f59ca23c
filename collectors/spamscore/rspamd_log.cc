#include "collectors/spamscore/rspamd_log.h"

#include <charconv>
#include <cmath>

namespace mailrep {
namespace {

constexpr std::string_view kMarker = "rspamd_task_write_log: ";

// The text between "<" and ">" right after `key` (e.g. "qid: "), where `key`
// starts the text or follows a space or comma; nullopt when absent.
std::optional<std::string_view> Bracketed(std::string_view text, std::string_view key) {
  size_t from = 0;
  while (true) {
    size_t at = text.find(key, from);
    if (at == std::string_view::npos) return std::nullopt;
    from = at + 1;
    if (at > 0 && text[at - 1] != ' ' && text[at - 1] != ',') continue;
    size_t open = at + key.size();
    if (open >= text.size() || text[open] != '<') continue;
    size_t close = text.find('>', open + 1);
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view value = text.substr(open + 1, close - open - 1);
    if (value == "undef") value = {};
    return value;
  }
}

// "user: VALUE," -> VALUE (up to the comma).
std::string_view User(std::string_view text) {
  size_t from = 0;
  while (true) {
    size_t at = text.find("user: ", from);
    if (at == std::string_view::npos) return {};
    from = at + 1;
    if (at > 0 && text[at - 1] != ' ' && text[at - 1] != ',') continue;
    std::string_view rest = text.substr(at + 6);
    size_t end = rest.find(',');
    return end == std::string_view::npos ? std::string_view{} : rest.substr(0, end);
  }
}

bool IsSymbolChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

// Parses the symbol list starting at text[*pos] (just after "["), up to and
// past its closing "]".
bool ParseSymbols(std::string_view text, size_t* pos, SpamVerdict* verdict) {
  size_t i = *pos;
  if (i < text.size() && text[i] == ']') {
    *pos = i + 1;
    return true;
  }
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && IsSymbolChar(text[i])) ++i;
    std::string_view name = text.substr(start, i - start);
    if (!IsSymbolName(name)) return false;
    if (verdict->symbols.size() < kMaxSymbols) verdict->symbols.push_back(name);
    if (i < text.size() && text[i] == '(') {
      size_t close = text.find(')', i);
      if (close == std::string_view::npos) return false;
      i = close + 1;
    }
    if (i < text.size() && text[i] == '{') {
      int depth = 0;
      for (; i < text.size(); ++i) {
        if (text[i] == '{') ++depth;
        if (text[i] == '}' && --depth == 0) break;
      }
      if (i >= text.size()) return false;
      ++i;
    }
    if (i >= text.size()) return false;
    if (text[i] == ']') {
      *pos = i + 1;
      return true;
    }
    if (text[i] != ',') return false;
    ++i;
    while (i < text.size() && text[i] == ' ') ++i;
  }
  return false;
}

// Finds "(METRIC: X (" where X is one flag letter; returns the position of X.
size_t FindResultGroup(std::string_view text) {
  size_t from = 0;
  while (true) {
    size_t at = text.find(": ", from);
    if (at == std::string_view::npos || at + 5 > text.size()) return std::string_view::npos;
    from = at + 1;
    size_t flag = at + 2;
    if (text.substr(flag + 1, 2) != " (") continue;
    // The metric name: letters, digits, '_' or '-' back to a '('.
    size_t k = at;
    while (k > 0 && (IsSymbolChar(text[k - 1]) || text[k - 1] == '-')) --k;
    if (k == at || k == 0 || text[k - 1] != '(') continue;
    return flag;
  }
}

}  // namespace

std::optional<double> ParseSpamScore(std::string_view text) {
  if (text.empty() || text.size() > 32) return std::nullopt;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+')) return std::nullopt;
  }
  if (text.front() == '+') text.remove_prefix(1);
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (!std::isfinite(value) || std::fabs(value) > 1e6) return std::nullopt;
  return value;
}

bool IsRspamdTaskLine(std::string_view line) {
  return line.find(kMarker) != std::string_view::npos;
}

SpamLineResult ParseRspamdTaskLog(std::string_view line, SpamVerdict* verdict,
                                  SpamParseError* error) {
  ResetVerdict(verdict);
  *error = SpamParseError::kNone;
  size_t marker = line.find(kMarker);
  if (marker == std::string_view::npos) return SpamLineResult::kIgnored;
  std::string_view text = line.substr(marker + kMarker.size());
  auto fail = [&](SpamParseError e) {
    *error = e;
    verdict->symbols.clear();
    return SpamLineResult::kMalformed;
  };

  size_t flag = FindResultGroup(text);
  if (flag == std::string_view::npos) return fail(SpamParseError::kNoVerdict);
  // Fields before the result group (the default layout puts them there; the
  // result group's symbol options must not be mistaken for them).
  std::string_view head = text.substr(0, flag);
  verdict->message_id = Bracketed(head, "id: ").value_or(std::string_view{});
  verdict->queue_id = Bracketed(head, "qid: ").value_or(std::string_view{});
  verdict->user = User(head);

  char spam_flag = text[flag];
  size_t action_start = flag + 3;
  size_t action_end = text.find("): [", action_start);
  if (action_end == std::string_view::npos || action_end - action_start > 64) {
    return fail(SpamParseError::kBadAction);
  }
  std::string_view action = text.substr(action_start, action_end - action_start);
  switch (spam_flag) {
    case 'T':
    case 'F':
      verdict->action = RspamdActionFromName(action);
      break;
    case 'S':
      verdict->action = SpamAction::kSkipped;
      break;
    default:
      return fail(SpamParseError::kBadAction);
  }

  size_t scores = action_end + 4;
  size_t close = text.find(']', scores);
  if (close == std::string_view::npos) return fail(SpamParseError::kBadScore);
  std::string_view pair = text.substr(scores, close - scores);
  size_t slash = pair.find('/');
  if (slash == std::string_view::npos) return fail(SpamParseError::kBadScore);
  std::optional<double> score = ParseSpamScore(pair.substr(0, slash));
  std::optional<double> threshold = ParseSpamScore(pair.substr(slash + 1));
  if (!score || !threshold) return fail(SpamParseError::kBadScore);
  verdict->score = *score;
  verdict->threshold = *threshold;

  size_t pos = close + 1;
  if (text.substr(pos, 2) == " [") {
    pos += 2;
    if (!ParseSymbols(text, &pos, verdict)) return fail(SpamParseError::kBadSymbols);
  }
  verdict->filter = SpamFilter::kRspamd;
  return SpamLineResult::kParsed;
}

}  // namespace mailrep
