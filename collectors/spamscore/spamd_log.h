// Reads SpamAssassin spamd's per-message result line, in syslog, the journal
// or spamd's own log file (--syslog=FILE):
//
//   spamd: result: Y 7 - SYM1,SYM2 scantime=0.4,size=3138,user=jm,uid=1000,
//   required_score=5.0,rhost=localhost,raddr=127.0.0.1,rport=33153,
//   mid=<...>,autolearn=no autolearn_force=no
//
// The flag is "Y" (spam: score at or over required_score) or "." (not spam);
// spamd logs the score as an integer (truncated toward zero; a message at 4.9
// logs 4), the symbol list may be empty, and the key=value list after it may
// gain keys (bayes=, shortcircuit=, a plugin's set_spamd_result_item); only
// required_score (needed), user= and mid=<...> are read. "mid=(unknown)" is
// an empty message id. The companion "identified spam (S/R)" and "clean
// message (S/R)" lines are kIgnored.
//
// Lines without "spamd: result: " are kIgnored; a result line that cannot be
// read is kMalformed with the reason in *error. Never reads past `line`; at
// most kMaxSymbols symbols are kept. Pure function; views point into `line`.
#ifndef MAILREP_COLLECTORS_SPAMSCORE_SPAMD_LOG_H_
#define MAILREP_COLLECTORS_SPAMSCORE_SPAMD_LOG_H_

#include <string_view>

#include "collectors/spamscore/spam_verdict.h"

namespace mailrep {

// Whether `line` is spamd's result line (what the parser reads).
bool IsSpamdResultLine(std::string_view line);

SpamLineResult ParseSpamdResultLog(std::string_view line, SpamVerdict* verdict,
                                   SpamParseError* error);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_SPAMSCORE_SPAMD_LOG_H_
