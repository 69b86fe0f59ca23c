#include "exporter/util/base64.h"

#include <cstdint>

namespace mailrep {
namespace {

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

StatusOr<std::string> DecodeBase64(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t accumulator = 0;
  int bits = 0;
  size_t padding = 0;
  size_t data_chars = 0;
  for (char c : text) {
    if (c == '=') {
      ++padding;
      continue;
    }
    if (padding > 0) return Status::InvalidArgument("base64: data after '=' padding");
    int value = Base64Value(c);
    if (value < 0) {
      std::string shown = c >= ' ' && c <= '~' ? std::string(1, c) : "\\x" + std::to_string(c);
      return Status::InvalidArgument("base64: invalid character '" + shown + "'");
    }
    ++data_chars;
    accumulator = (accumulator << 6) | static_cast<uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((accumulator >> bits) & 0xff));
    }
  }
  if (data_chars % 4 == 1) return Status::InvalidArgument("base64: truncated (bad length)");
  if (padding > 2 || (padding > 0 && (data_chars + padding) % 4 != 0)) {
    return Status::InvalidArgument("base64: bad padding");
  }
  return out;
}

}  // namespace mailrep
