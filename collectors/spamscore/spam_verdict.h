// SpamVerdict: what a spam filter's log line says about one message it
// scanned, as the rspamd and SpamAssassin (spamd) log parsers read it, and the
// bounded names the spamscore collector labels it with.
//
// A verdict's views point into the log line it was parsed from and live as
// long as that line. Client IPs, envelope and header addresses, recipients and
// symbol options are never taken from the line; `user` (rspamd's
// authenticated user, spamd's local account) is a view for callers that join
// on it, and no metric label is made from it. Pure data and pure functions.
#ifndef MAILREP_COLLECTORS_SPAMSCORE_SPAM_VERDICT_H_
#define MAILREP_COLLECTORS_SPAMSCORE_SPAM_VERDICT_H_

#include <string_view>
#include <vector>

namespace mailrep {

enum class SpamFilter { kRspamd, kSpamAssassin };

// rspamd's actions (its six built-in ones; a custom action such as
// "quarantine" or "discard" is kOther), SpamAssassin's two verdicts, and an
// rspamd task that was skipped (not scanned, so its score means nothing).
enum class SpamAction {
  kNoAction,
  kGreylist,
  kAddHeader,
  kRewriteSubject,
  kSoftReject,
  kReject,
  kOther,
  kSkipped,
  kSpam,     // spamd: score at or over required_score
  kNotSpam,  // spamd
};

// Why a line that is a filter's result line could not be read. Bounded.
enum class SpamParseError {
  kNone,
  kTooLong,     // over the line cap; skipped whole
  kNoVerdict,   // rspamd: no "(metric: X (action): [s/t] [...])" group
  kBadScore,    // score or threshold not a finite number in range
  kBadAction,   // rspamd: an unknown spam flag or an unterminated action
  kBadSymbols,  // symbol list unterminated, or a symbol name not [A-Z0-9_]
};

struct SpamVerdict {
  SpamFilter filter = SpamFilter::kRspamd;
  double score = 0;
  double threshold = 0;  // rspamd: the reject score; spamd: required_score
  SpamAction action = SpamAction::kNoAction;
  std::vector<std::string_view> symbols;  // names only, as logged
  std::string_view queue_id;              // rspamd qid (the MTA's); "" when absent
  std::string_view message_id;            // without <>; "" when absent or "undef"
  std::string_view user;                  // rspamd user / spamd user=; "" when absent
};

// Resets every field, keeping the symbol vector's capacity (parsers reuse one
// verdict across lines).
void ResetVerdict(SpamVerdict* verdict);

// Result of a parser on one log line.
enum class SpamLineResult { kParsed, kIgnored, kMalformed };

std::string_view SpamFilterName(SpamFilter filter);     // "rspamd", "spamassassin"
std::string_view SpamActionName(SpamAction action);     // "no_action", "add_header", ...
std::string_view SpamParseErrorName(SpamParseError e);  // "too_long", "no_verdict", ...

// The rspamd action for its logged name ("no action", "add header", ...);
// kOther for any other name.
SpamAction RspamdActionFromName(std::string_view name);

// Whether `name` looks like a rule/symbol name: 1..128 of [A-Za-z0-9_].
bool IsSymbolName(std::string_view name);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_SPAMSCORE_SPAM_VERDICT_H_
