// Reads rspamd's per-message result line, the one rspamd_task_write_log
// writes after each scan, in rspamd's own log file, syslog or the journal:
//
//   <tag>; task; rspamd_task_write_log: id: <MSGID>, qid: <QID>, ip: ...,
//   user: U, from: <...>, (default: F (no action): [1.60/15.00]
//   [R_SPF_ALLOW(-0.20){+ip4:...;},DKIM_SIGNED(0.00){...;}]), len: ..., ...
//
// The line's layout is the operator's `log_format` (logging.inc); the fields
// are found by their names, in any order: `id: <...>`, `qid: <...>`,
// `user: ...,` and the result group `(METRIC: FLAG (ACTION): [SCORE/THRESHOLD]
// [SYMBOLS])` of $is_spam, $action, $scores and any of $symbols,
// $symbols_scores, $symbols_params, $symbols_scores_params (a symbol is
// NAME, NAME(score), NAME{options}, NAME(score){options}; options may hold
// commas, spaces, parentheses and nested braces). FLAG is T (spam), F (ham)
// or S (skipped: the action is then kSkipped). "<undef>" ids are empty.
//
// Lines without "rspamd_task_write_log: " are kIgnored; a task line that
// cannot be read is kMalformed with the reason in *error. Never reads past
// `line`; at most kMaxSymbols symbols are kept (the rest are not counted).
// Pure function; `*verdict` views point into `line`.
#ifndef MAILREP_COLLECTORS_SPAMSCORE_RSPAMD_LOG_H_
#define MAILREP_COLLECTORS_SPAMSCORE_RSPAMD_LOG_H_

#include <cstddef>
#include <optional>
#include <string_view>

#include "collectors/spamscore/spam_verdict.h"

namespace mailrep {

inline constexpr size_t kMaxSymbols = 512;

// Whether `line` is rspamd's task result line (what the parser reads).
bool IsRspamdTaskLine(std::string_view line);

SpamLineResult ParseRspamdTaskLog(std::string_view line, SpamVerdict* verdict,
                                  SpamParseError* error);

// A finite decimal number within +-1e6 ("-0.64", "15", "1e3" is refused).
std::optional<double> ParseSpamScore(std::string_view text);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_SPAMSCORE_RSPAMD_LOG_H_
