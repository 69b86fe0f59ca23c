// ReadFileCapped: reads a whole (small) file into memory with errno-aware
// errors: configs, catalogues, MTA config and status files.
#ifndef MAILREP_EXPORTER_UTIL_READ_FILE_H_
#define MAILREP_EXPORTER_UTIL_READ_FILE_H_

#include <cstddef>
#include <string>

#include "exporter/util/status.h"

namespace mailrep {

// Reads at most `max_bytes` of `path` (a longer file is truncated there). A
// missing file is NotFound, EACCES is PermissionDenied, anything else (a
// directory, EIO) is IoError; each message names the path and the reason.
StatusOr<std::string> ReadFileCapped(const std::string& path, size_t max_bytes);

// "absent", "not a directory", or strerror text for `path`: why it is not a
// usable directory. Empty when it is one.
std::string DirectoryProblem(const std::string& path);

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_UTIL_READ_FILE_H_
