#include "collectors/spamscore/spamd_log.h"

#include "collectors/spamscore/rspamd_log.h"  // ParseSpamScore, kMaxSymbols

namespace mailrep {
namespace {

constexpr std::string_view kMarker = "spamd: result: ";

void SkipSpaces(std::string_view text, size_t* i) {
  while (*i < text.size() && text[*i] == ' ') ++*i;
}

std::string_view Token(std::string_view text, size_t* i) {
  size_t start = *i;
  while (*i < text.size() && text[*i] != ' ') ++*i;
  return text.substr(start, *i - start);
}

// The value of `key=` in the comma-separated list `fields` ("" if absent);
// a value runs to the next comma or space. mid=<...> runs to its '>'.
std::string_view Field(std::string_view fields, std::string_view key, bool* found) {
  size_t from = 0;
  *found = false;
  while (from < fields.size()) {
    size_t at = fields.find(key, from);
    if (at == std::string_view::npos) return {};
    from = at + 1;
    if (at > 0 && fields[at - 1] != ',' && fields[at - 1] != ' ') continue;
    if (at + key.size() >= fields.size() || fields[at + key.size()] != '=') continue;
    std::string_view rest = fields.substr(at + key.size() + 1);
    *found = true;
    if (!rest.empty() && rest.front() == '<') {
      size_t close = rest.find('>');
      return close == std::string_view::npos ? std::string_view{} : rest.substr(1, close - 1);
    }
    size_t end = rest.find_first_of(", ");
    return rest.substr(0, end);
  }
  return {};
}

}  // namespace

bool IsSpamdResultLine(std::string_view line) {
  return line.find(kMarker) != std::string_view::npos;
}

SpamLineResult ParseSpamdResultLog(std::string_view line, SpamVerdict* verdict,
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
  size_t i = 0;
  std::string_view flag = Token(text, &i);
  if (flag == "Y") {
    verdict->action = SpamAction::kSpam;
  } else if (flag == ".") {
    verdict->action = SpamAction::kNotSpam;
  } else {
    return fail(SpamParseError::kBadAction);
  }
  SkipSpaces(text, &i);
  std::optional<double> score = ParseSpamScore(Token(text, &i));
  if (!score) return fail(SpamParseError::kBadScore);
  verdict->score = *score;
  SkipSpaces(text, &i);
  if (Token(text, &i) != "-") return fail(SpamParseError::kNoVerdict);
  SkipSpaces(text, &i);
  std::string_view symbols = Token(text, &i);
  std::string_view fields;
  if (symbols.find('=') != std::string_view::npos) {
    fields = text.substr(i - symbols.size());  // no symbols: the fields follow "- "
    symbols = {};
  } else {
    SkipSpaces(text, &i);
    fields = text.substr(i);
  }
  while (!symbols.empty()) {
    size_t comma = symbols.find(',');
    std::string_view name = symbols.substr(0, comma);
    if (!IsSymbolName(name)) return fail(SpamParseError::kBadSymbols);
    if (verdict->symbols.size() < kMaxSymbols) verdict->symbols.push_back(name);
    if (comma == std::string_view::npos) break;
    symbols.remove_prefix(comma + 1);
    if (symbols.empty()) return fail(SpamParseError::kBadSymbols);
  }
  bool found = false;
  std::optional<double> required = ParseSpamScore(Field(fields, "required_score", &found));
  if (!required) return fail(SpamParseError::kBadScore);
  verdict->threshold = *required;
  verdict->user = Field(fields, "user", &found);
  std::string_view mid = Field(fields, "mid", &found);
  if (mid == "(unknown)") mid = {};
  verdict->message_id = mid;
  verdict->filter = SpamFilter::kSpamAssassin;
  return SpamLineResult::kParsed;
}

}  // namespace mailrep
