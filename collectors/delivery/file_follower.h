// FileFollower: reads the lines appended to a log file, like `tail -F`.
//
// Each Poll() delivers the complete lines written since the previous one.
// Rotation is followed by watching the path's inode:
//   - rename (logrotate's default): the old file is read to its end, and kept
//     open and drained on later polls until it stops growing while the new file
//     has data (writers that reopen late lose nothing); the new file is read
//     from its start;
//   - delete then recreate: the same, once the path exists again;
//   - copytruncate: a file shorter than our offset, or whose bytes just before
//     our offset are no longer the ones we read there (truncated, then grown
//     past our offset before this poll), is read again from 0.
// The first open starts at the end unless `from_start`; a file that appears
// later (missing at start, or recreated) is read from its start. A missing
// file is waited for. A partial last line is held until its newline arrives (or
// its file is rotated away). A line longer than `max_line_bytes` is reported
// once as too long and skipped up to its newline.
//
// Lines written after the last poll but before a copytruncate are in the copy,
// which is not read (copytruncate itself also loses the lines written between
// its copy and its truncate).
//
// Not thread-safe. Owns its file descriptors.
#ifndef MAILREP_COLLECTORS_DELIVERY_FILE_FOLLOWER_H_
#define MAILREP_COLLECTORS_DELIVERY_FILE_FOLLOWER_H_

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace mailrep {

class FileFollower {
 public:
  struct Options {
    bool from_start = false;
    size_t max_line_bytes = 1 << 20;
    // Upper bound on bytes read by one Poll (the rest waits for the next).
    uint64_t max_bytes_per_poll = uint64_t{1} << 30;
  };
  // `too_long` lines carry only their first bytes.
  using LineFn = std::function<void(std::string_view line, bool too_long)>;

  FileFollower(std::string path, Options options);
  ~FileFollower();
  FileFollower(const FileFollower&) = delete;
  FileFollower& operator=(const FileFollower&) = delete;

  void Poll(const LineFn& on_line);

  // Whether the path existed and was readable at the last Poll.
  bool up() const { return up_; }
  // Why not (errno text), for logs; empty when up.
  const std::string& problem() const { return problem_; }
  const std::string& path() const { return path_; }

 private:
  struct OpenFile;
  bool Open(bool at_end);
  // Whether `f`'s file no longer holds, just before f->offset, the bytes we
  // read there: it was truncated (and perhaps written again) since.
  static bool Truncated(const OpenFile& f);
  // Remembers the bytes just before f->offset for Truncated().
  static void MarkOffset(OpenFile* f);
  // Reads what `f` has beyond its offset; returns bytes read.
  uint64_t Drain(OpenFile* f, const LineFn& on_line, uint64_t budget);
  // Delivers the rotated file's unterminated last line and closes it.
  void ClosePrevious(const LineFn& on_line);

  std::string path_;
  Options options_;
  std::unique_ptr<OpenFile> current_;
  std::unique_ptr<OpenFile> previous_;  // rotated away, still being drained
  bool opened_once_ = false;
  bool up_ = false;
  std::string problem_;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_FILE_FOLLOWER_H_
