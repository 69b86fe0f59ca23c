// Walks one MTA queue directory and its hashed subdirectories (Postfix's
// deferred/D/..., Exim's split input/X/...) with readdir, calling a visitor for
// every file, without shelling out and without collecting names: memory is a
// few DIR handles whatever the queue size.
//
// A live queue changes under the walk. Files and subdirectories that vanish
// between readdir and use (ENOENT), permission denied, unexpected entries and
// read errors are counted in SpoolProblemCounts and skipped; only a problem
// with the top directory itself fails the walk. Not thread-safe per instance;
// independent walks may run in parallel.
#ifndef MAILREP_COLLECTORS_QUEUE_SPOOL_WALKER_H_
#define MAILREP_COLLECTORS_QUEUE_SPOOL_WALKER_H_

#include <array>
#include <cstdint>
#include <functional>
#include <stop_token>
#include <string>
#include <string_view>

#include "exporter/util/status.h"

namespace mailrep {

// Everything a queue scan counts and skips (label values of
// mailrep_queue_scan_errors_total{kind}).
enum class SpoolProblem {
  kVanished,          // ENOENT after readdir: delivered or moved meanwhile
  kPermissionDenied,  // EACCES / EPERM on a subdirectory or file
  kIoError,           // any other read or open error
  kUnexpectedEntry,   // symlink, socket, directory deeper than expected, ...
  kIncomplete,        // still being written (mode bits say so)
  kCorrupt,           // a file the MTA's format parser rejects
  kUnknownRecord,     // unknown record types, skipped inside otherwise good files
};
inline constexpr size_t kNumSpoolProblems = 7;

std::string_view SpoolProblemName(SpoolProblem problem);

struct SpoolProblemCounts {
  std::array<uint64_t, kNumSpoolProblems> counts{};

  void Add(SpoolProblem p, uint64_t n = 1) { counts[static_cast<size_t>(p)] += n; }
  uint64_t Get(SpoolProblem p) const { return counts[static_cast<size_t>(p)]; }
  void Merge(const SpoolProblemCounts& other);
  uint64_t Total() const;
};

// Counts the problem an errno from open/stat/read stands for.
void CountErrno(int err, SpoolProblemCounts* problems);

// Counts the problem a failed read's Status stands for: NotFound is
// kVanished, PermissionDenied kPermissionDenied, anything else kIoError.
void CountStatusProblem(const Status& status, SpoolProblemCounts* problems);

struct SpoolEntry {
  int dir_fd = -1;           // the directory holding the file; valid during the visit only
  std::string_view name;     // the file name
  std::string_view subdir;   // its directory below the walk root: "", "D", "D/3"
  unsigned char d_type = 0;  // DT_REG, or DT_UNKNOWN when the file system does not say
};

struct SpoolWalkOptions {
  int max_depth = 2;           // levels of subdirectories followed below the root
  bool skip_dot_files = true;  // ".", ".." are always skipped
};

using SpoolVisitor = std::function<void(const SpoolEntry&)>;

// Walks `dir`, calling `visit` for each regular file. Polls `stop` between
// files (every 16 entries) and returns Cancelled when it is requested. A missing `dir`
// is NotFound, an unreadable one PermissionDenied (both name the path).
Status WalkSpool(const std::string& dir, const SpoolWalkOptions& options, std::stop_token stop,
                 SpoolProblemCounts* problems, const SpoolVisitor& visit);

// Opens `entry` read-only (no symlinks, no blocking); -1 after counting the
// problem (a vanished file is kVanished).
int OpenSpoolEntry(const SpoolEntry& entry, SpoolProblemCounts* problems);

// Reads at most `max_bytes` of the regular file `dir_fd`/`path` into `out`
// (a short read is taken as its end). NotFound
// when it does not exist; other errors as Status. Sets *truncated if the file
// was longer.
Status ReadFileAt(int dir_fd, const std::string& path, size_t max_bytes, std::string* out,
                  bool* truncated);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_SPOOL_WALKER_H_
