// ScopedTempDir: a fresh directory under $TMPDIR (else /tmp), removed with
// everything in it when the object goes away, for tests, fuzzers and
// benchmarks. The one way the tree makes a scratch directory.
//
// Removal first gives the owner full access to every directory below, so a
// test may leave unreadable or unwritable directories behind. Movable, not
// copyable; not thread-safe (one owner). The default constructor aborts the
// program when the directory cannot be made (tests cannot go on without it);
// Create() reports the failure instead.
#ifndef MAILREP_EXPORTER_UTIL_TESTING_SCOPED_TEMP_DIR_H_
#define MAILREP_EXPORTER_UTIL_TESTING_SCOPED_TEMP_DIR_H_

#include <string>
#include <string_view>

#include "exporter/util/status.h"

namespace mailrep {

class ScopedTempDir {
 public:
  // $TMPDIR/mailrep_<prefix>_XXXXXX; aborts with a message on failure.
  explicit ScopedTempDir(std::string_view prefix = "test");
  // The same, returning IoError on failure.
  static StatusOr<ScopedTempDir> Create(std::string_view prefix = "test");
  ~ScopedTempDir();
  ScopedTempDir(ScopedTempDir&& other) noexcept;
  ScopedTempDir& operator=(ScopedTempDir&& other) noexcept;
  ScopedTempDir(const ScopedTempDir&) = delete;
  ScopedTempDir& operator=(const ScopedTempDir&) = delete;

  // The directory's absolute path (no trailing '/').
  const std::string& path() const { return path_; }

  // path() + "/" + `relative` (a leading '/' is dropped, so a path as a
  // program would see it, "/etc/postfix/main.cf", lands inside the tree).
  std::string Path(std::string_view relative) const;

  // Writes `contents` to Path(relative), creating parent directories, and
  // returns that path. Aborts when the file cannot be written.
  std::string WriteFile(std::string_view relative, std::string_view contents) const;

  // Creates Path(relative) and its parents; returns that path.
  std::string MakeDir(std::string_view relative) const;

  // Gives the directory up: it stays on disk (for a post-mortem) and path()
  // becomes empty. Returns the path it had.
  std::string Release();

 private:
  ScopedTempDir(std::string path, int) : path_(std::move(path)) {}
  void Remove();

  std::string path_;
};

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_UTIL_TESTING_SCOPED_TEMP_DIR_H_
