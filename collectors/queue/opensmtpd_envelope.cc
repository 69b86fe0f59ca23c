#include "collectors/queue/opensmtpd_envelope.h"

#include <charconv>

#include "exporter/util/lines.h"

namespace mailrep {
namespace {

bool IsHex(std::string_view s, size_t len) {
  if (s.size() != len) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

template <typename T>
bool ParseNumber(std::string_view s, T* out) {
  if (s.empty()) return false;
  auto [end, err] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return err == std::errc() && end == s.data() + s.size();
}

Status LineError(size_t line, std::string_view what) {
  return Status::InvalidArgument("envelope line " + std::to_string(line) + ": " +
                                 std::string(what));
}

}  // namespace

bool IsOpensmtpdMsgid(std::string_view name) { return IsHex(name, 8); }
bool IsOpensmtpdEvpid(std::string_view name) { return IsHex(name, 16); }

StatusOr<OpensmtpdEnvelope> ParseOpensmtpdEnvelope(std::string_view text) {
  if (text.find('\0') != std::string_view::npos) {
    return Status::InvalidArgument("envelope has NUL bytes (queue compression or encryption?)");
  }
  OpensmtpdEnvelope env;
  bool have_version = false;
  bool have_ctime = false;
  size_t line_no = 0;
  while (std::optional<std::string_view> next = NextLine(&text)) {
    ++line_no;
    std::string_view line = *next;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return LineError(line_no, "no \"key:\"");
    std::string_view key = line.substr(0, colon);
    std::string_view value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    if (key == "version") {
      if (!ParseNumber(value, &env.version)) return LineError(line_no, "bad version");
      have_version = true;
    } else if (key == "ctime") {
      if (!ParseNumber(value, &env.ctime)) return LineError(line_no, "bad ctime");
      have_ctime = true;
    } else if (key == "retry") {
      if (!ParseNumber(value, &env.retry)) return LineError(line_no, "bad retry");
    } else if (key == "dispatcher") {
      env.dispatcher = value;
    } else if (key == "type") {
      env.type = value;
    } else if (key == "sender") {
      env.sender = value;
    } else if (key == "rcpt") {
      env.rcpt = value;
    } else if (key == "dest") {
      env.dest = value;
    } else if (key == "errorline") {
      env.errorline = value;
    } else if (key == "username") {
      env.username = value;
    } else if (key == "sockaddr") {
      env.sockaddr = value;
    } else {
      for (char c : key) {
        if (c == ' ' || c == '\t' || static_cast<unsigned char>(c) < 0x20) {
          return LineError(line_no, "bad key");
        }
      }
    }
  }
  if (!have_version) return Status::InvalidArgument("envelope has no version");
  if (!have_ctime) return Status::InvalidArgument("envelope has no ctime");
  if (env.rcpt.empty() && env.dest.empty()) {
    return Status::InvalidArgument("envelope has no rcpt or dest");
  }
  return env;
}

}  // namespace mailrep
