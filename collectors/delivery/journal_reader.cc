#include "collectors/delivery/journal_reader.h"

#include <cstdlib>
#include <cstring>

#ifdef MAILREP_HAVE_SYSTEMD
#include <systemd/sd-journal.h>
#endif

namespace mailrep {

#ifdef MAILREP_HAVE_SYSTEMD

namespace {

sd_journal* J(void* p) { return static_cast<sd_journal*>(p); }

// The value of `field` in the current entry, or empty.
std::string_view Field(sd_journal* j, const char* field) {
  const void* data;
  size_t length;
  if (sd_journal_get_data(j, field, &data, &length) < 0) return {};
  std::string_view v(static_cast<const char*>(data), length);
  size_t eq = v.find('=');
  return eq == std::string_view::npos ? std::string_view() : v.substr(eq + 1);
}

}  // namespace

bool JournalReader::Available() { return true; }

JournalReader::JournalReader(Options options) : options_(std::move(options)) {}

JournalReader::~JournalReader() {
  if (journal_ != nullptr) sd_journal_close(J(journal_));
}

bool JournalReader::Open() {
  sd_journal* j = nullptr;
  int r;
  if (!options_.files.empty()) {
    std::vector<const char*> paths;
    for (const std::string& f : options_.files) paths.push_back(f.c_str());
    paths.push_back(nullptr);
    r = sd_journal_open_files(&j, paths.data(), 0);
  } else if (!options_.directory.empty()) {
    r = sd_journal_open_directory(&j, options_.directory.c_str(), 0);
  } else {
    r = sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY);
  }
  if (r < 0) {
    problem_ = std::string("opening the journal: ") + std::strerror(-r);
    return false;
  }
  for (const std::string& id : options_.identifiers) {
    std::string match = "SYSLOG_IDENTIFIER=" + id;
    sd_journal_add_match(j, match.data(), match.size());
  }
  if (!options_.identifiers.empty() && !options_.units.empty()) sd_journal_add_disjunction(j);
  for (const std::string& unit : options_.units) {
    std::string match = "_SYSTEMD_UNIT=" + unit;
    sd_journal_add_match(j, match.data(), match.size());
  }
  if (!cursor_.empty() && sd_journal_seek_cursor(j, cursor_.c_str()) >= 0) {
    // Positioned on the last entry read; step past it (if it still exists).
    if (sd_journal_next(j) > 0 && sd_journal_test_cursor(j, cursor_.c_str()) <= 0) {
      sd_journal_previous(j);
    }
  } else if (!opened_once_ && !options_.from_start) {
    sd_journal_seek_tail(j);
    if (sd_journal_previous(j) > 0) {  // the last entry; new ones follow it
      char* c = nullptr;
      if (sd_journal_get_cursor(j, &c) >= 0 && c != nullptr) {
        cursor_ = c;
        free(c);
      }
    }
  } else {
    sd_journal_seek_head(j);
  }
  journal_ = j;
  opened_once_ = true;
  problem_.clear();
  return true;
}

void JournalReader::Poll(const std::function<void(std::string_view line)>& on_line) {
  // Reopened on every poll and positioned by the cursor: rotated, vacuumed and
  // new journal files are all seen without relying on inotify.
  if (journal_ != nullptr) {
    sd_journal_close(J(journal_));
    journal_ = nullptr;
  }
  if (!Open()) {
    up_ = false;
    return;
  }
  sd_journal* j = J(journal_);
  up_ = true;
  std::string line;
  for (size_t n = 0; n < options_.max_entries_per_poll; ++n) {
    int r = sd_journal_next(j);
    if (r < 0) {
      problem_ = std::string("reading the journal: ") + std::strerror(-r);
      up_ = false;
      return;
    }
    if (r == 0) break;
    std::string_view message = Field(j, "MESSAGE");
    std::string_view tag = Field(j, "SYSLOG_IDENTIFIER");
    std::string_view pid = Field(j, "SYSLOG_PID");
    if (pid.empty()) pid = Field(j, "_PID");
    line.assign("<22>");
    line.append(tag.empty() ? std::string_view("journal") : tag);
    if (!pid.empty()) line.append("[").append(pid).append("]");
    line.append(": ").append(message);
    on_line(line);
    char* c = nullptr;
    if (sd_journal_get_cursor(j, &c) >= 0 && c != nullptr) {
      cursor_ = c;
      free(c);
    }
  }
}

#else  // !MAILREP_HAVE_SYSTEMD

bool JournalReader::Available() { return false; }
JournalReader::JournalReader(Options options) : options_(std::move(options)) {
  problem_ = "built without libsystemd";
}
JournalReader::~JournalReader() = default;
bool JournalReader::Open() { return false; }
void JournalReader::Poll(const std::function<void(std::string_view line)>&) { up_ = false; }

#endif

}  // namespace mailrep
