#include "collectors/queue/postfix_queue_id.h"

#include <algorithm>
#include <cstdio>

namespace mailrep {
namespace {

constexpr std::string_view kBase52 = "0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz";
constexpr size_t kShortMicrosDigits = 5;
constexpr size_t kLongMicrosDigits = 4;
constexpr size_t kMinLongSecondsDigits = 6;
constexpr size_t kMaxLongSecondsDigits = 10;  // 52^10 > 2^56: far beyond any real time
constexpr size_t kMaxInodeDigits = 11;        // 51^11 < 2^63; 16^11 < 2^63

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes `digits` in base `base` over the kBase52 alphabet; nullopt on a
// character outside the first `base` symbols.
std::optional<uint64_t> DecodeBase(std::string_view digits, int base) {
  uint64_t value = 0;
  for (char c : digits) {
    size_t pos = kBase52.find(c);
    if (pos == std::string_view::npos || static_cast<int>(pos) >= base) return std::nullopt;
    value = value * static_cast<uint64_t>(base) + pos;
  }
  return value;
}

Status NotAnId(std::string_view name, const char* why) {
  return Status::InvalidArgument("not a Postfix queue id: \"" + std::string(name) + "\" (" + why +
                                 ")");
}

StatusOr<PostfixQueueId> ParseShort(std::string_view name) {
  if (name.size() <= kShortMicrosDigits) return NotAnId(name, "too short");
  if (name.size() > kShortMicrosDigits + kMaxInodeDigits) return NotAnId(name, "too long");
  PostfixQueueId id;
  for (size_t i = 0; i < name.size(); ++i) {
    int v = HexValue(name[i]);
    if (v < 0) return NotAnId(name, "bad character");
    if (i < kShortMicrosDigits) {
      id.microseconds = id.microseconds * 16 + static_cast<uint32_t>(v);
    } else {
      id.inode = id.inode * 16 + static_cast<uint64_t>(v);
    }
  }
  if (id.microseconds > 999999) return NotAnId(name, "microseconds out of range");
  return id;
}

StatusOr<PostfixQueueId> ParseLong(std::string_view name) {
  size_t z = name.rfind('z');
  if (z == std::string_view::npos) return NotAnId(name, "no 'z' separator");
  std::string_view time_part = name.substr(0, z);
  std::string_view inode_part = name.substr(z + 1);
  if (inode_part.empty() || inode_part.size() > kMaxInodeDigits) {
    return NotAnId(name, "bad inode field");
  }
  if (time_part.size() < kMinLongSecondsDigits + kLongMicrosDigits ||
      time_part.size() > kMaxLongSecondsDigits + kLongMicrosDigits) {
    return NotAnId(name, "bad time field");
  }
  std::string_view sec_digits = time_part.substr(0, time_part.size() - kLongMicrosDigits);
  std::string_view usec_digits = time_part.substr(time_part.size() - kLongMicrosDigits);
  auto seconds = DecodeBase(sec_digits, 52);
  auto usec = DecodeBase(usec_digits, 52);
  auto inode = DecodeBase(inode_part, 51);
  if (!seconds || !usec || !inode) return NotAnId(name, "bad character");
  if (*usec > 999999) return NotAnId(name, "microseconds out of range");
  PostfixQueueId id;
  id.is_long = true;
  id.seconds = static_cast<int64_t>(*seconds);
  id.microseconds = static_cast<uint32_t>(*usec);
  id.inode = *inode;
  return id;
}

}  // namespace

StatusOr<PostfixQueueId> ParsePostfixQueueId(std::string_view name) {
  bool all_hex = !name.empty() &&
                 std::all_of(name.begin(), name.end(), [](char c) { return HexValue(c) >= 0; });
  return all_hex ? ParseShort(name) : ParseLong(name);
}

std::string PostfixQueueHashPrefix(const PostfixQueueId& id, int depth) {
  char hex[8];
  std::snprintf(hex, sizeof(hex), "%05X", static_cast<unsigned>(id.microseconds % 1000000));
  return std::string(hex, static_cast<size_t>(std::clamp(depth, 0, 5)));
}

}  // namespace mailrep
