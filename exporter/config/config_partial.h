// Reading a config file that has errors, so that every error of the file can
// be reported in one pass.
//
// ParseConfig (config.h) stops at the generic errors (senders, dns, the
// collectors' common keys); the collectors' own options are validated later,
// by their factories. A user who fixed the first set used to meet the second
// only on the next try. ReadPartialConfigFile gives the Config that the
// generic pass could read despite its errors (values in error keep their
// defaults), so the factories can run on it too; MergeConfigErrors joins the
// two reports in document order. Stateless and thread-safe.
#ifndef MAILREP_EXPORTER_CONFIG_CONFIG_PARTIAL_H_
#define MAILREP_EXPORTER_CONFIG_CONFIG_PARTIAL_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/config/config.h"

namespace mailrep {

// The Config read from `path` with its errors ignored; nullopt when there is
// nothing to read (unreadable file, YAML syntax error, not a mapping).
std::optional<Config> ReadPartialConfigFile(const std::string& path,
                                            const std::vector<CollectorDefaults>& known);

// `first` and `second`, two error reports of one file (one error per line,
// "file:line:col: ..."), as one report ordered by line and column; lines
// without a position come first, a "... and N more errors" line last.
std::string MergeConfigErrors(std::string_view first, std::string_view second);

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CONFIG_CONFIG_PARTIAL_H_
