#include "collectors/queue/postfix_defer_log.h"

#include <charconv>

#include "exporter/util/lines.h"

namespace mailrep {
namespace {

void Finish(PostfixDeferEntry* entry, bool* open, size_t max_entries, PostfixDeferLog* log) {
  if (*open && (!entry->recipient.empty() || !entry->reason.empty())) {
    if (log->entries.size() < max_entries) {
      log->entries.push_back(std::move(*entry));
    } else {
      ++log->dropped_entries;
    }
  }
  *entry = PostfixDeferEntry();
  *open = false;
}

}  // namespace

StatusOr<PostfixDeferLog> ParsePostfixDeferLog(std::string_view text, size_t max_entries) {
  if (text.find('\0') != std::string_view::npos) {
    return Status::InvalidArgument("not a defer logfile: binary data");
  }
  PostfixDeferLog log;
  PostfixDeferEntry entry;
  bool open = false;
  while (std::optional<std::string_view> next = NextLine(&text)) {
    std::string_view line = *next;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {
      Finish(&entry, &open, max_entries, &log);
      continue;
    }
    size_t eq = line.find('=');
    if (line.front() == '<' || eq == std::string_view::npos || eq == 0) {
      if (line.front() != '<') ++log.malformed_lines;
      continue;
    }
    open = true;
    std::string_view name = line.substr(0, eq);
    std::string_view value = line.substr(eq + 1);
    if (name == "recipient") {
      entry.recipient = value.substr(0, kMaxDeferReasonLength);
    } else if (name == "offset") {
      uint64_t offset = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), offset);
      if (ec == std::errc() && end == value.data() + value.size()) {
        entry.offset = offset;
      } else {
        ++log.malformed_lines;
      }
    } else if (name == "status") {
      entry.status = value.substr(0, 32);
    } else if (name == "action") {
      entry.action = value.substr(0, 32);
    } else if (name == "reason") {
      entry.reason = value.substr(0, kMaxDeferReasonLength);
    }
  }
  Finish(&entry, &open, max_entries, &log);
  return log;
}

}  // namespace mailrep
