#include "collectors/queue/sendmail_queue_file.h"

#include <charconv>
#include <cstring>
#include <utility>

#include "exporter/util/lines.h"

namespace mailrep {
namespace {

// Code letters Sendmail writes that this reader does not need.
constexpr std::string_view kSkippedCodes = "PIBFAZ!CQrDE";

template <typename T>
bool ParseNumber(std::string_view text, T* out) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size() && *out >= 0;
}

std::string_view StripDeferred(std::string_view text) {
  constexpr std::string_view kPrefix = "Deferred: ";
  if (text.substr(0, kPrefix.size()) == kPrefix) text.remove_prefix(kPrefix.size());
  return text;
}

std::string_view StripAngles(std::string_view text) {
  if (text.size() >= 2 && text.front() == '<' && text.back() == '>') {
    text = text.substr(1, text.size() - 2);
  }
  return text;
}

Status Bad(size_t line, std::string_view what) {
  return Status::InvalidArgument("qf line " + std::to_string(line) + ": " + std::string(what));
}

}  // namespace

StatusOr<SendmailQueueFileInfo> ParseSendmailQueueFile(std::string_view data,
                                                       const SendmailQueueFileOptions& options) {
  if (std::memchr(data.data(), '\0', data.size()) != nullptr) {
    return Status::InvalidArgument("qf: NUL byte");
  }
  SendmailQueueFileInfo info;
  bool have_time = false;
  bool in_headers = false;
  bool recipients_started = false;  // an S or R line was seen: later M lines are per recipient
  std::string recipient_status;
  size_t line_no = 0;
  while (std::optional<std::string_view> next = NextLine(&data)) {
    std::string_view line = *next;
    ++line_no;
    if (info.terminated) return Bad(line_no, "data after the final \".\"");
    if (line.empty()) return Bad(line_no, "empty line");
    char code = line[0];
    std::string_view value = line.substr(1);
    if (code == ' ' || code == '\t') {
      if (!in_headers) return Bad(line_no, "continuation line outside the headers");
      continue;
    }
    switch (code) {
      case 'V':
        if (line_no != 1 || !ParseNumber(value, &info.version)) return Bad(line_no, "bad V");
        break;
      case 'T':
        if (!ParseNumber(value, &info.creation_time)) return Bad(line_no, "bad T");
        have_time = true;
        break;
      case 'K':
        if (!ParseNumber(value, &info.last_attempt)) return Bad(line_no, "bad K");
        break;
      case 'N':
        if (!ParseNumber(value, &info.attempts)) return Bad(line_no, "bad N");
        break;
      case 'S':
        info.sender = StripAngles(value);
        recipients_started = true;
        break;
      case 'M': {
        std::string_view text = StripDeferred(value).substr(0, options.max_status_bytes);
        (recipients_started ? recipient_status : info.envelope_status) = text;
        break;
      }
      case 'q':
        info.quarantine_reason = value.substr(0, options.max_status_bytes);
        break;
      case 'd':
        info.data_directory = value;
        break;
      case '$':
        // "$_value" (a one-letter macro) or "${name}value"; others skipped.
        if (value.substr(0, 1) == "_") {
          info.origin_macro = value.substr(1, options.max_status_bytes);
        } else if (value.substr(0, 13) == "{auth_authen}") {
          info.auth_authen = value.substr(13, options.max_status_bytes);
        }
        break;
      case 'R': {
        std::string_view address = value;
        if (info.version >= 1) {  // "R<flags>:<address>" since queue file version 1
          size_t colon = value.find(':');
          if (colon != std::string_view::npos) address = value.substr(colon + 1);
        }
        if (address.empty()) return Bad(line_no, "R without an address");
        recipients_started = true;
        ++info.pending_count;
        if (info.pending.size() < options.max_kept_recipients) {
          info.pending.push_back({std::string(address), std::move(recipient_status)});
        }
        recipient_status.clear();
        break;
      }
      case 'H':
        in_headers = true;
        break;
      case '.':
        if (!value.empty()) return Bad(line_no, "bad end line");
        info.terminated = true;
        break;
      default:
        if (kSkippedCodes.find(code) == std::string_view::npos) ++info.unknown_lines;
        break;
    }
  }
  if (!have_time) return Status::InvalidArgument("qf: no T line");
  return info;
}

}  // namespace mailrep
