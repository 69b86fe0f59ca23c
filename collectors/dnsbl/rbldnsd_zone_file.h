// Reading an rbldnsd data file from disk into an RbldnsdZone, refusing
// anything that looks half-written.
//
// The file is streamed (64 KiB at a time; memory is the zone's, not the
// file's) and refused, with an error naming the path, when:
//   - it cannot be opened or read;
//   - it changed while being read (size, mtime or inode differ before and
//     after: rbldnsd refuses this too; write a temporary file and rename it);
//   - its last line has no newline (rbldnsd warns and reads it anyway; here
//     it is taken for a file caught mid-write);
//   - it is gzip-compressed (rbldnsd can read those; decompress them);
//   - the zone refuses it (a $TIMESTAMP in the future).
// Bad lines do not refuse the file (see rbldnsd_zone.h).
//
// Thread-compatible: no shared state.
#ifndef MAILREP_COLLECTORS_DNSBL_RBLDNSD_ZONE_FILE_H_
#define MAILREP_COLLECTORS_DNSBL_RBLDNSD_ZONE_FILE_H_

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "collectors/dnsbl/rbldnsd_zone.h"
#include "exporter/util/status.h"

namespace mailrep {

// What identifies one version of a file: a change in any field is a new file.
struct FileVersion {
  dev_t device = 0;
  ino_t inode = 0;
  int64_t size = -1;
  int64_t mtime_ns = 0;
  bool operator==(const FileVersion&) const = default;
};

// The current version of `path` (stat(2)), or the errno-aware error.
StatusOr<FileVersion> StatFileVersion(const std::string& path);

struct LoadedRbldnsdFile {
  RbldnsdZone zone;
  FileVersion version;  // of the file that was read
};

// Reads `path` as `format`; `now_unix` judges $TIMESTAMP.
StatusOr<LoadedRbldnsdFile> LoadRbldnsdFile(const std::string& path, RbldnsdFormat format,
                                            int64_t now_unix);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNSBL_RBLDNSD_ZONE_FILE_H_
