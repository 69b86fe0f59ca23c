#include "collectors/queue/exim_header_file.h"

#include <algorithm>
#include <charconv>
#include <unordered_set>

#include "exporter/util/lines.h"

namespace mailrep {
namespace {

constexpr size_t kMaxReason = 1024;
constexpr size_t kMaxOptionValue = 1024;  // -auth_id and the like are cut to this

class LineReader {
 public:
  explicit LineReader(std::string_view data) : data_(data) {}

  // The next line without its '\n'; false at the end or on a last line with
  // no newline (an Exim -H file always ends its lines).
  bool Next(std::string_view* line) {
    size_t nl = data_.find('\n', pos_);
    if (nl == std::string_view::npos) return false;
    *line = data_.substr(pos_, nl - pos_);
    pos_ = nl + 1;
    ++line_number_;
    return true;
  }

  // Skips `n` bytes (a value of known length) and the newline after them.
  bool Skip(uint64_t n) {
    if (n > data_.size() - pos_ || pos_ + n >= data_.size() || data_[pos_ + n] != '\n') {
      return false;
    }
    line_number_ +=
        static_cast<int>(std::count(data_.begin() + static_cast<long>(pos_),
                                    data_.begin() + static_cast<long>(pos_ + n), '\n')) +
        1;
    pos_ += n + 1;
    return true;
  }

  std::string_view Rest() const { return data_.substr(pos_); }
  int line_number() const { return line_number_; }

 private:
  std::string_view data_;
  size_t pos_ = 0;
  int line_number_ = 0;
};

bool ParseU64(std::string_view text, uint64_t* value) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return ec == std::errc() && end == text.data() + text.size();
}

// A recipient line: "addr", or "addr[ errors_to] <len>,<pno>#<flags>" where
// flag 1 means an errors_to address of <len> bytes precedes the numbers.
std::string_view RecipientAddress(std::string_view line) {
  size_t hash = line.rfind('#');
  size_t space = line.rfind(' ', hash == std::string_view::npos ? line.size() : hash);
  if (hash == std::string_view::npos || space == std::string_view::npos) return line;
  std::string_view numbers = line.substr(space + 1, hash - space - 1);
  uint64_t flags = 0;
  size_t comma = numbers.find(',');
  uint64_t len = 0;
  if (comma == std::string_view::npos || !ParseU64(numbers.substr(0, comma), &len) ||
      !ParseU64(line.substr(hash + 1), &flags)) {
    return line;
  }
  std::string_view prefix = line.substr(0, space);
  if ((flags & 1) != 0 && len > 0 && len < prefix.size()) {
    prefix = prefix.substr(0, prefix.size() - len - 1);
  }
  return prefix;
}

}  // namespace

StatusOr<EximHeaderInfo> ParseEximHeaderFile(std::string_view data,
                                             const EximHeaderOptions& options) {
  LineReader in(data);
  EximHeaderInfo info;
  std::string_view line;
  auto bad = [&](std::string_view what) {
    return Status::InvalidArgument("not a complete Exim -H file: line " +
                                   std::to_string(in.line_number()) + ": " + std::string(what));
  };
  if (!in.Next(&line) || line.size() < 3 || line.substr(line.size() - 2) != "-H") {
    return bad("first line is not \"<id>-H\"");
  }
  info.id = line.substr(0, line.size() - 2);
  if (!in.Next(&line)) return bad("no login line");
  // "<login> <uid> <gid>", parsed from the right: the login may hold spaces.
  if (size_t gid = line.rfind(' '); gid != std::string_view::npos && gid > 0) {
    if (size_t uid = line.rfind(' ', gid - 1); uid != std::string_view::npos) {
      info.login = line.substr(0, uid);
    }
  }
  if (!in.Next(&line) || line.size() < 2 || line.front() != '<' || line.back() != '>') {
    return bad("no <sender> line");
  }
  info.sender = line.substr(1, line.size() - 2);
  if (!in.Next(&line)) return bad("no time line");
  uint64_t arrival = 0;
  if (!ParseU64(line.substr(0, line.find(' ')), &arrival) ||
      arrival > static_cast<uint64_t>(INT64_MAX)) {
    return bad("bad time line");
  }
  info.arrival_time = static_cast<int64_t>(arrival);
  info.first_delivery = false;

  // Options.
  for (;;) {
    if (!in.Next(&line)) return bad("truncated in the options");
    if (line.empty() || line.front() != '-') break;
    size_t space = line.find(' ');
    std::string_view name =
        line.substr(1, space == std::string_view::npos ? std::string_view::npos : space - 1);
    // "--name value": a tainted value; same meaning.
    if (!name.empty() && name.front() == '-') name.remove_prefix(1);
    std::string_view value =
        space == std::string_view::npos ? std::string_view() : line.substr(space + 1);
    if (value.size() > kMaxOptionValue) value = value.substr(0, kMaxOptionValue);
    if (name == "auth_id") {
      info.auth_id = value;
    } else if (name == "auth_sender") {
      info.auth_sender = value;
    } else if (name == "ident") {
      info.ident = value;
    } else if (name == "local") {
      info.local = true;
    } else if (name == "host_address") {
      // "<ip>.<port>" as an SMTP session writes it; "[<ip>]:<port>" as -oMa
      // passes a bracketed address through.
      if (!value.empty() && value.front() == '[') {
        info.host_address = value.substr(1, value.find(']') - 1);
      } else {
        info.host_address = value.substr(0, value.rfind('.'));
      }
    } else if (name == "frozen") {
      info.frozen = true;
    } else if (name == "deliver_firsttime") {
      info.first_delivery = true;
    } else if (name == "acl" || name == "aclc" || name == "aclm") {
      // "-aclc <name> <length>": the value follows on its own line(s).
      size_t last = line.rfind(' ');
      uint64_t length = 0;
      if (last == std::string_view::npos || !ParseU64(line.substr(last + 1), &length) ||
          !in.Skip(length)) {
        return bad("bad ACL variable");
      }
    }
  }

  // Non-recipients tree, starting at `line`.
  std::unordered_set<std::string_view> delivered;
  if (line != "XX") {
    uint64_t pending_nodes = 1;
    for (size_t nodes = 0; pending_nodes > 0; ++nodes) {
      if (nodes > 0 && !in.Next(&line)) return bad("truncated non-recipients tree");
      if (nodes >= options.max_tree_nodes) return bad("non-recipients tree too large");
      if (line.size() < 3 || (line[0] != 'Y' && line[0] != 'N') ||
          (line[1] != 'Y' && line[1] != 'N') || line[2] != ' ') {
        return bad("bad non-recipients tree line");
      }
      --pending_nodes;
      pending_nodes += (line[0] == 'Y') + (line[1] == 'Y');
      delivered.insert(line.substr(3));
    }
  }

  // Recipients.
  if (!in.Next(&line) || !ParseU64(line, &info.recipients)) return bad("bad recipient count");
  for (uint64_t i = 0; i < info.recipients; ++i) {
    if (!in.Next(&line)) return bad("truncated recipient list");
    std::string_view address = RecipientAddress(line);
    if (delivered.count(address) != 0) {
      ++info.delivered;
      continue;
    }
    ++info.pending_count;
    if (info.pending.size() < options.max_kept_recipients) info.pending.emplace_back(address);
  }
  if (!in.Next(&line) || !line.empty()) return bad("no blank line after the recipients");

  // Headers: "<len><flag> " then len bytes (the text, continuation lines included).
  std::string_view rest = in.Rest();
  size_t pos = 0;
  while (pos < rest.size()) {
    size_t digits = 0;
    while (pos + digits < rest.size() && rest[pos + digits] >= '0' && rest[pos + digits] <= '9') {
      ++digits;
    }
    uint64_t length = 0;
    if (digits == 0 || digits > 9 || pos + digits + 2 > rest.size() ||
        !ParseU64(rest.substr(pos, digits), &length) || rest[pos + digits + 1] != ' ') {
      return bad("bad header length");
    }
    char flag = rest[pos + digits];
    size_t start = pos + digits + 2;
    if (length > rest.size() - start) return bad("truncated header");
    if (flag != '*') info.header_bytes += length;
    pos = start + length;
  }
  return info;
}

uint64_t EximMessageSize(const EximHeaderInfo& info, uint64_t data_file_size) {
  uint64_t first_line = info.id.size() + 3;  // "<id>-D\n"
  uint64_t body = data_file_size > first_line ? data_file_size - first_line : 0;
  return info.header_bytes + body + 1;
}

std::vector<EximDeferral> ParseEximMsglogDeferrals(std::string_view text, size_t max_entries) {
  std::vector<EximDeferral> out;
  while (out.size() < max_entries) {
    std::optional<std::string_view> next = NextLine(&text);
    if (!next) break;
    std::string_view line = *next;
    // "YYYY-MM-DD HH:MM:SS <recipient> R=... T=... defer (<n>)[ ...]: <text>"
    size_t defer = line.find(" defer (");
    if (defer == std::string_view::npos) continue;
    size_t first = line.find(' ');
    size_t second = first == std::string_view::npos ? first : line.find(' ', first + 1);
    if (second == std::string_view::npos || second >= defer) continue;
    std::string_view recipient = line.substr(second + 1);
    recipient = recipient.substr(0, recipient.find(' '));
    size_t colon = line.find(": ", defer);
    std::string_view reason =
        colon == std::string_view::npos ? line.substr(defer + 1) : line.substr(colon + 2);
    out.push_back({std::string(recipient), std::string(reason.substr(0, kMaxReason))});
  }
  return out;
}

}  // namespace mailrep
