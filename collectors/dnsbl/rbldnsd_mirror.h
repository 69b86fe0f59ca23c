// A local mirror of one DNSBL: an rbldnsd data file (rsync'd from the list's
// operator) kept loaded in memory, re-read when the file changes.
//
// Refresh() stats the file; when its version (inode, size, mtime) differs
// from the loaded one, it parses the new file completely and only then swaps
// it in. A file that fails to load (unreadable, half-written, changed while
// being read, a future $TIMESTAMP: see rbldnsd_zone_file.h) never replaces the
// zone in use; the failure is counted once per file version, and that version
// is not parsed again until the file changes once more.
//
// Thread-safe: Refresh() from one thread at a time (the collector's run);
// zone() and state() from any thread. A zone handed out stays valid while
// held, even across a swap.
#ifndef MAILREP_COLLECTORS_DNSBL_RBLDNSD_MIRROR_H_
#define MAILREP_COLLECTORS_DNSBL_RBLDNSD_MIRROR_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "collectors/dnsbl/rbldnsd_zone.h"
#include "collectors/dnsbl/rbldnsd_zone_file.h"
#include "exporter/util/status.h"

namespace mailrep {

struct RbldnsdMirrorState {
  bool loaded = false;            // a zone is in use
  int64_t loaded_mtime_unix = 0;  // the mtime of the file in use
  int64_t last_success_unix = 0;  // when a file was last loaded; 0 = never
  bool last_attempt_ok = false;   // the latest load attempt (or check) succeeded
  uint64_t load_errors = 0;       // failed loads, one per file version
  uint64_t entries = 0;           // entry lines of the zone in use
  uint64_t skipped_lines = 0;     // bad lines left out of the zone in use
  std::string last_error;         // of the latest failed load
};

class RbldnsdMirror {
 public:
  RbldnsdMirror(std::string path, RbldnsdFormat format);

  // Loads the file if it changed since the last attempt; `now_unix` judges
  // $TIMESTAMP and stamps the success. OK when the file is unchanged or was
  // loaded; the load error otherwise (the previous zone stays in use).
  Status Refresh(int64_t now_unix);

  // The zone in use; null before the first good load.
  std::shared_ptr<const RbldnsdZone> zone() const;
  RbldnsdMirrorState state() const;

  const std::string& path() const { return path_; }
  RbldnsdFormat format() const { return format_; }

 private:
  const std::string path_;
  const RbldnsdFormat format_;
  std::optional<FileVersion> attempted_;  // the version last tried (Refresh's thread only)

  mutable std::mutex mu_;  // guards the members below
  std::shared_ptr<const RbldnsdZone> zone_;
  RbldnsdMirrorState state_;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNSBL_RBLDNSD_MIRROR_H_
