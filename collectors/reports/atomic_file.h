// WriteFileAtomically: replaces a file so that a reader (or a restart after a
// crash) sees either the old or the new contents, never a mix: the bytes go
// to "<path>.tmp.<pid>" in the same directory, which is fsync'd, renamed over
// `path`, and the directory fsync'd. Used for the reports collector's state
// file and its quarantine copies. Stateless; safe from several threads for
// different paths.
#ifndef MAILREP_COLLECTORS_REPORTS_ATOMIC_FILE_H_
#define MAILREP_COLLECTORS_REPORTS_ATOMIC_FILE_H_

#include <functional>
#include <string>
#include <string_view>

#include "exporter/util/status.h"

namespace mailrep {

// IoError/PermissionDenied naming the path and errno; the temporary file is
// removed on failure. `mode` applies to a new file.
[[nodiscard]] Status WriteFileAtomically(const std::string& path, std::string_view contents,
                                         int mode = 0600);

// The same for contents written in pieces: `produce` hands each piece to the
// sink it is given, in order; its error (or the sink's) fails the write.
using AtomicFileSink = std::function<Status(std::string_view)>;
[[nodiscard]] Status WriteFileAtomically(
    const std::string& path, const std::function<Status(const AtomicFileSink&)>& produce,
    int mode = 0600);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_REPORTS_ATOMIC_FILE_H_
