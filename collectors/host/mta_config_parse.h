// Parsers for the few MTA and package files that MTA detection reads: Postfix
// main.cf, the dpkg status database, Exim's main configuration and Sendmail's
// sendmail.cf. Pure functions over text, no I/O; any input is accepted (junk
// lines are skipped) and output size is bounded by the input size.
#ifndef MAILREP_COLLECTORS_HOST_MTA_CONFIG_PARSE_H_
#define MAILREP_COLLECTORS_HOST_MTA_CONFIG_PARSE_H_

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mailrep {

using PostfixParams = std::map<std::string, std::string, std::less<>>;

// main.cf: `name = value` lines; a line starting with white space continues
// the previous one; `#` lines and blank lines are ignored. Values are raw (not
// $-expanded); the last assignment of a name wins.
PostfixParams ParsePostfixMainCf(std::string_view text);

// Expands $name, ${name}, $(name), ${name?text}, ${name:text} and
// ${name?{text}:{text}} against `params`; unknown names expand to "". `$$` is
// a literal `$`. Recursion and output length are bounded, so cycles and
// exponential definitions end with a truncated result.
std::string ExpandPostfixValue(std::string_view value, const PostfixParams& params);

// Splits a Postfix list value on white space and commas.
std::vector<std::string> SplitPostfixList(std::string_view value);

// dpkg status: the Version of each package in `packages` whose Status says it
// is installed ("install ok installed"). Other stanzas are skipped.
std::map<std::string, std::string> ParseDpkgStatus(std::string_view text,
                                                   std::span<const std::string_view> packages);

// Exim: the value of the main option `spool_directory = /path` when it is a
// literal absolute path (no macros or expansions).
std::optional<std::string> ParseEximSpoolDirectory(std::string_view text);

// Sendmail: the value of `O QueueDirectory=/path` in sendmail.cf/submit.cf
// when it is an absolute path. A trailing `*` wildcard (several queues) is
// reduced to the directory that holds them.
std::optional<std::string> ParseSendmailQueueDirectory(std::string_view text);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_HOST_MTA_CONFIG_PARSE_H_
