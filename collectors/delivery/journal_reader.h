// JournalReader: delivery log lines from the systemd journal (sd-journal).
//
// Reads the entries whose SYSLOG_IDENTIFIER is one of `identifiers` or whose
// _SYSTEMD_UNIT is one of `units`, and hands each on as a syslog-style line
// "<22>IDENTIFIER[PID]: MESSAGE" for LineParser. The cursor of the last entry
// read is kept, so journal file rotation and vacuuming lose nothing and count
// nothing twice; the first open starts at the end unless `from_start`. When
// built without libsystemd, up() stays false with a problem saying so.
// Not thread-safe; owns its journal handle.
#ifndef MAILREP_COLLECTORS_DELIVERY_JOURNAL_READER_H_
#define MAILREP_COLLECTORS_DELIVERY_JOURNAL_READER_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace mailrep {

class JournalReader {
 public:
  struct Options {
    std::vector<std::string> identifiers = {};  // SYSLOG_IDENTIFIER values
    std::vector<std::string> units = {};        // _SYSTEMD_UNIT values
    std::vector<std::string> files = {};        // journal files (tests); empty: the system journal
    std::string directory = {};                 // a journal directory instead of the system one
    bool from_start = false;
    size_t max_entries_per_poll = 1000000;
  };

  // True when built with libsystemd.
  static bool Available();

  explicit JournalReader(Options options);
  ~JournalReader();
  JournalReader(const JournalReader&) = delete;
  JournalReader& operator=(const JournalReader&) = delete;

  // Delivers the entries added since the last call.
  void Poll(const std::function<void(std::string_view line)>& on_line);

  bool up() const { return up_; }
  const std::string& problem() const { return problem_; }
  const std::string& cursor() const { return cursor_; }

 private:
  bool Open();

  Options options_;
  void* journal_ = nullptr;  // sd_journal*
  std::string cursor_;
  bool opened_once_ = false;
  bool up_ = false;
  std::string problem_;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_JOURNAL_READER_H_
