// Config files: reading one, with the checks that apply only to a file, and
// telling what each collector is built from, so a reload can keep the
// collectors whose part of the config did not change.
//
// Stateless functions; thread-safe. Failures come back as Status (no
// exceptions).
#ifndef MAILREP_EXPORTER_CONFIG_CONFIG_FILE_H_
#define MAILREP_EXPORTER_CONFIG_CONFIG_FILE_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/config/config.h"
#include "exporter/util/status.h"

namespace mailrep {

// Reads the config file at `path`. An unreadable file is an IoError naming the
// path. A file with no content (empty, or only blank lines and comments) is an
// InvalidArgument error: it is more likely a file caught half-written, or a
// mistake, than a wish for the built-in defaults (which running without
// --config.file gives).
StatusOr<std::string> ReadConfigText(const std::string& path);

// For each of `known`, a fingerprint of what its factory can read: the whole
// document except the `collectors` section, plus `collectors.<name>`, both in
// a canonical form (so comments, layout, flow or block style and other
// collectors' sections do not count; key order and a different spelling of
// the same value, e.g. 60s for 1m, do).
// Equal fingerprints mean the collector would be built the same from the
// config. Call with text ParseConfig accepted; should parsing fail anyway,
// every fingerprint is the whole text.
std::map<std::string, std::string> CollectorFingerprints(
    std::string_view yaml_text, const std::vector<CollectorDefaults>& known);

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CONFIG_CONFIG_FILE_H_
