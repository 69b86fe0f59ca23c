#include "collectors/spamscore/spam_verdict.h"

#include <utility>

namespace mailrep {

void ResetVerdict(SpamVerdict* verdict) {
  std::vector<std::string_view> symbols = std::move(verdict->symbols);
  symbols.clear();
  *verdict = SpamVerdict{};
  verdict->symbols = std::move(symbols);
}

std::string_view SpamFilterName(SpamFilter filter) {
  switch (filter) {
    case SpamFilter::kRspamd:
      return "rspamd";
    case SpamFilter::kSpamAssassin:
      return "spamassassin";
  }
  return "unknown";
}

std::string_view SpamActionName(SpamAction action) {
  switch (action) {
    case SpamAction::kNoAction:
      return "no_action";
    case SpamAction::kGreylist:
      return "greylist";
    case SpamAction::kAddHeader:
      return "add_header";
    case SpamAction::kRewriteSubject:
      return "rewrite_subject";
    case SpamAction::kSoftReject:
      return "soft_reject";
    case SpamAction::kReject:
      return "reject";
    case SpamAction::kOther:
      return "other";
    case SpamAction::kSkipped:
      return "skipped";
    case SpamAction::kSpam:
      return "spam";
    case SpamAction::kNotSpam:
      return "not_spam";
  }
  return "unknown";
}

std::string_view SpamParseErrorName(SpamParseError e) {
  switch (e) {
    case SpamParseError::kNone:
      return "none";
    case SpamParseError::kTooLong:
      return "too_long";
    case SpamParseError::kNoVerdict:
      return "no_verdict";
    case SpamParseError::kBadScore:
      return "bad_score";
    case SpamParseError::kBadAction:
      return "bad_action";
    case SpamParseError::kBadSymbols:
      return "bad_symbols";
  }
  return "unknown";
}

SpamAction RspamdActionFromName(std::string_view name) {
  if (name == "no action") return SpamAction::kNoAction;
  if (name == "greylist") return SpamAction::kGreylist;
  if (name == "add header") return SpamAction::kAddHeader;
  if (name == "rewrite subject") return SpamAction::kRewriteSubject;
  if (name == "soft reject") return SpamAction::kSoftReject;
  if (name == "reject") return SpamAction::kReject;
  return SpamAction::kOther;
}

bool IsSymbolName(std::string_view name) {
  if (name.empty() || name.size() > 128) return false;
  for (char c : name) {
    bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace mailrep
