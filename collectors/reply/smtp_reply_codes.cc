#include "collectors/reply/smtp_reply_codes.h"

#include <cctype>
#include <cstddef>

#include "exporter/util/ascii.h"

namespace mailrep {
namespace {

bool WordBoundaryBefore(std::string_view text, size_t i) {
  if (i == 0) return true;
  char c = text[i - 1];
  return !std::isalnum(static_cast<unsigned char>(c)) && c != '.';
}

}  // namespace

std::string_view FindEnhancedCode(std::string_view text) {
  for (size_t i = 0; i + 4 < text.size(); ++i) {
    char c = text[i];
    if ((c != '2' && c != '4' && c != '5') || text[i + 1] != '.') continue;
    if (!WordBoundaryBefore(text, i)) continue;
    size_t a = DigitRun(text, i + 2, 3);
    if (a == 0 || i + 2 + a >= text.size() || text[i + 2 + a] != '.') continue;
    size_t b = DigitRun(text, i + 3 + a, 3);
    if (b == 0) continue;
    size_t end = i + 3 + a + b;
    if (end < text.size() && (IsDigit(text[end]) || text[end] == '.')) continue;
    return text.substr(i, end - i);
  }
  return {};
}

std::string_view FindReplyCode(std::string_view text) {
  for (size_t i = 0; i + 3 <= text.size(); ++i) {
    char c = text[i];
    if (c < '2' || c > '5' || !WordBoundaryBefore(text, i)) continue;
    if (DigitRun(text, i, 4) != 3) continue;
    if (i + 3 < text.size() && text[i + 3] != ' ' && text[i + 3] != '-') continue;
    return text.substr(i, 3);
  }
  return {};
}

}  // namespace mailrep
