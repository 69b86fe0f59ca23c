#include "collectors/mail/encoded_words.h"

#include <optional>

#include "exporter/util/base64.h"

namespace mailrep {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// The encoded-word at the start of `text`: its decoded bytes and length.
std::optional<std::string> DecodeWord(std::string_view text, size_t* length) {
  if (text.substr(0, 2) != "=?") return std::nullopt;
  // RFC 2047 caps a word at 75 characters; looking a little further keeps
  // the scan linear however many "=?" the text holds.
  text = text.substr(0, 256);
  size_t q1 = text.find('?', 2);
  if (q1 == std::string_view::npos || q1 == 2 || q1 + 2 >= text.size() || text[q1 + 2] != '?') {
    return std::nullopt;
  }
  char encoding = text[q1 + 1];
  size_t end = text.find("?=", q1 + 3);
  if (end == std::string_view::npos) return std::nullopt;
  std::string_view payload = text.substr(q1 + 3, end - q1 - 3);
  for (char c : payload) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') return std::nullopt;
  }
  std::string out;
  if (encoding == 'B' || encoding == 'b') {
    StatusOr<std::string> decoded = DecodeBase64(payload);
    if (!decoded.ok()) return std::nullopt;
    out = std::move(decoded).value();
  } else if (encoding == 'Q' || encoding == 'q') {
    for (size_t i = 0; i < payload.size(); ++i) {
      if (payload[i] == '_') {
        out += ' ';
      } else if (payload[i] == '=' && i + 2 < payload.size() && HexValue(payload[i + 1]) >= 0 &&
                 HexValue(payload[i + 2]) >= 0) {
        out += static_cast<char>(HexValue(payload[i + 1]) * 16 + HexValue(payload[i + 2]));
        i += 2;
      } else {
        out += payload[i];
      }
    }
  } else {
    return std::nullopt;
  }
  *length = end + 2;
  return out;
}

}  // namespace

std::string DecodeEncodedWords(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  bool after_word = false;
  while (i < text.size()) {
    size_t length = 0;
    if (std::optional<std::string> word = DecodeWord(text.substr(i), &length)) {
      out += *word;
      i += length;
      after_word = true;
      continue;
    }
    if (after_word && (text[i] == ' ' || text[i] == '\t')) {
      // White space between two encoded-words is dropped; before other text it stays.
      size_t j = i;
      while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
      size_t next = 0;
      if (j < text.size() && DecodeWord(text.substr(j), &next)) {
        i = j;
        continue;
      }
      out.append(text.substr(i, j - i));
      i = j;
      after_word = false;
      continue;
    }
    out += text[i++];
    after_word = false;
  }
  return out;
}

}  // namespace mailrep
