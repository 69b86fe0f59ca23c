// ReportState: what the reports collector has already read, kept across
// restarts in a small text file (the collector's state_file):
//   - the reports counted, by (kind, reporter, report id), each with its
//     date-range end, so a report mailed twice, or re-read after a restart,
//     counts once;
//   - the files read, by path with size and mtime, so an unchanged file is
//     not opened again (a changed one is read again and deduplicated by id);
//   - the newest report time per (kind, receiver), so "reports stopped
//     arriving" survives a restart.
//
// Bounded: Prune() drops reports whose end is older than the retention, then
// the oldest beyond max_reports; files not seen in the last listing are
// forgotten (RetainFiles), at most max_files are remembered.
//
// Compact: reports and files are held as 64-bit FNV-1a fingerprints of
// their identity (a false "already read" needs two of some 10^5 keys to
// collide: about 1 in 10^9), in sorted vectors of fixed-size entries (16
// bytes a report, 24 a file) plus a small sorted buffer of recent additions
// merged in when it fills, so memory grows by those bytes an entry and no
// more. Save() writes the file in pieces of some 64 kB, never as one string.
//
// File format, one entry a line, fields separated by one space, strings
// percent-encoded (bytes <= 0x20, '%' and 0x7f), sorted:
//   mailrep-reports-state 2
//   R <end> <fingerprint, 16 hex digits>
//   F <size> <mtime ns> <fingerprint>
//   L <kind> <receiver> <unix seconds>
// Parse() refuses anything else (a clear InvalidArgument naming the line);
// the collector then starts afresh with a warning and a counter. Not
// thread-safe (the collector's one run thread owns it).
#ifndef MAILREP_COLLECTORS_REPORTS_REPORT_STATE_H_
#define MAILREP_COLLECTORS_REPORTS_REPORT_STATE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "exporter/util/status.h"

namespace mailrep {

struct ReportStateLimits {
  size_t max_reports = 200000;
  int64_t retention_seconds = 60 * 86400;
  size_t max_files = 1000000;
};

class ReportState {
 public:
  using Limits = ReportStateLimits;

  ReportState() = default;
  explicit ReportState(Limits limits) : limits_(limits) {}

  // Records the report; false when (kind, reporter, id) was already known.
  bool AddReport(std::string_view kind, std::string_view reporter, std::string_view id,
                 int64_t end);
  // True when (kind, reporter, id) is known (AddReport'ed, not pruned).
  bool HasReport(std::string_view kind, std::string_view reporter, std::string_view id) const;
  size_t report_count() const { return reports_.size(); }

  // True when `path` was read with this size and mtime.
  bool FileUnchanged(const std::string& path, uint64_t size, int64_t mtime_ns) const;
  void NoteFile(const std::string& path, uint64_t size, int64_t mtime_ns);
  // Forgets every file whose Fingerprint(path) is not in `present` (sorted).
  void RetainFiles(const std::vector<uint64_t>& present);
  size_t file_count() const { return files_.size(); }

  // Raises (kind, receiver)'s newest report time to `unix_seconds`.
  void NoteReceived(const std::string& kind, const std::string& receiver, int64_t unix_seconds);
  using ReceivedMap = std::map<std::pair<std::string, std::string>, int64_t>;
  const ReceivedMap& last_received() const { return last_received_; }

  // Drops reports that ended before now - retention, then the oldest past
  // max_reports, and files past max_files (an arbitrary subset: they are
  // read again and deduplicated by report id).
  void Prune(int64_t now);

  // True after any change since construction, Parse() or MarkSaved().
  bool dirty() const { return dirty_; }
  void MarkSaved() { dirty_ = false; }

  // FNV-1a, 64 bits: stable across builds and hosts (the file keeps it).
  static uint64_t Fingerprint(std::string_view text);

  std::string Serialize() const;
  // Serialize() in pieces of about 64 kB, handed to `sink` in order.
  [[nodiscard]] Status SerializeTo(const std::function<Status(std::string_view)>& sink) const;
  static StatusOr<ReportState> Parse(std::string_view text, Limits limits = {});

  // Parse() of the file; an empty state when it does not exist.
  static StatusOr<ReportState> Load(const std::string& path, Limits limits = {});
  // Serialize() written atomically (atomic_file.h); MarkSaved() on success.
  [[nodiscard]] Status Save(const std::string& path);

 private:
  struct FileStamp {
    uint64_t size = 0;
    int64_t mtime_ns = 0;
  };
  // Fingerprint -> Value, as a sorted vector `main` and a sorted vector
  // `recent` of at most kRecent keys not in `main`, merged into it when full.
  template <typename Value>
  class Table {
   public:
    static constexpr size_t kRecent = 2048;
    struct Entry {
      uint64_t key;
      Value value;
    };
    size_t size() const { return main_.size() + recent_.size(); }
    const Value* Find(uint64_t key) const;
    Value* Find(uint64_t key);
    // Adds key -> value; false (nothing changed) when key is present.
    bool Insert(uint64_t key, const Value& value);
    // Drops the entries for which drop(key, value) is true; how many.
    template <typename Pred>
    size_t EraseIf(Pred drop);
    // Calls f(key, value) in increasing key order.
    template <typename F>
    void ForEachSorted(F f) const;

   private:
    void Merge();
    std::vector<Entry> main_, recent_;
  };
  Limits limits_;
  // Fingerprint("<kind> <reporter> <id>", each encoded: unambiguous) -> end.
  Table<int64_t> reports_;
  Table<FileStamp> files_;  // Fingerprint(path) ->
  ReceivedMap last_received_;
  bool dirty_ = false;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_REPORTS_REPORT_STATE_H_
