#include "collectors/content/link_host.h"

#include <idn2.h>

#include <cstdlib>
#include <memory>

#include "exporter/util/ascii.h"

namespace mailrep {
namespace {

bool IsAsciiHostChar(char c) {
  return IsAlpha(c) || IsDigit(c) || c == '-' || c == '.' || c == '_' || c == '%';
}

// The code point of the UTF-8 sequence at s[i] and its length, or length 0
// when the bytes are no UTF-8.
size_t DecodeUtf8(std::string_view s, size_t i, char32_t* cp) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b = byte(i);
  size_t len = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 0;
  if (len == 0 || b > 0xF4 || i + len > s.size()) return 0;
  char32_t v = b & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    v = (v << 6) | (byte(i + k) & 0x3F);
  }
  *cp = v;
  return len;
}

// Spaces and punctuation around a link in text, never part of a name.
bool EndsHost(char32_t cp) {
  if (cp == 0x200C || cp == 0x200D) return false;  // ZWNJ, ZWJ: IDNA2008 CONTEXTJ
  return cp == 0x00A0 || cp == 0x00AB || cp == 0x00BB || (cp >= 0x2000 && cp <= 0x206F) ||
         cp == 0x3000 || cp == 0x3001 || (cp >= 0x3008 && cp <= 0x3011) || cp == 0xFEFF ||
         cp == 0xFF08 || cp == 0xFF09 || cp == 0xFF0C || cp == 0xFF1C || cp == 0xFF1E;
}

int HexValue(char c) {
  if (IsDigit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A name worth looking up: with a dot, at most 253 octets, not all digits
// and dots (an IPv4 literal).
bool IsLookupName(std::string_view name) {
  if (name.empty() || name.size() > 253 || name.find('.') == std::string_view::npos) return false;
  bool all_numeric = true;
  for (char c : name) all_numeric &= IsDigit(c) || c == '.';
  return !all_numeric;
}

// Letters, digits, '-', '_' in non-empty labels: what a conversion must give.
bool IsLdhName(std::string_view name) {
  if (name.front() == '.' || name.find("..") != std::string_view::npos) return false;
  for (char c : name) {
    if (!(IsAlpha(c) || IsDigit(c) || c == '-' || c == '.' || c == '_')) return false;
  }
  return true;
}

}  // namespace

size_t HostRunLength(std::string_view authority) {
  size_t n = 0;
  while (n < authority.size()) {
    char c = authority[n];
    if (IsAsciiHostChar(c)) {
      ++n;
      continue;
    }
    if (static_cast<unsigned char>(c) < 0x80) break;
    char32_t cp = 0;
    size_t len = DecodeUtf8(authority, n, &cp);
    if (len == 0) {
      ++n;  // not UTF-8: part of the name, which then has no A-label
      continue;
    }
    if (EndsHost(cp)) break;
    n += len;
  }
  return n;
}

LinkHost ToLinkHost(std::string_view host) {
  bool ascii = true;
  bool encoded = false;
  for (char c : host) {
    ascii &= static_cast<unsigned char>(c) < 0x80;
    encoded |= c == '%';
  }
  if (ascii && !encoded) {
    if (!IsLookupName(host)) return {};
    return {LinkHostKind::kDomain, ToLowerAscii(host)};
  }
  std::string decoded;
  decoded.reserve(host.size());
  for (size_t i = 0; i < host.size(); ++i) {
    if (host[i] != '%') {
      decoded += host[i];
      continue;
    }
    int hi = i + 2 < host.size() ? HexValue(host[i + 1]) : -1;
    int lo = hi < 0 ? -1 : HexValue(host[i + 2]);
    if (lo < 0) return {LinkHostKind::kUnconvertible, {}};  // a stray '%'
    decoded += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  ascii = true;
  for (char c : decoded) {
    if (c == 0) return {LinkHostKind::kUnconvertible, {}};
    ascii &= static_cast<unsigned char>(c) < 0x80;
  }
  std::string name;
  if (ascii) {
    name = ToLowerAscii(decoded);
  } else {
    char* out = nullptr;
    int rc = idn2_to_ascii_8z(decoded.c_str(), &out, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
    std::unique_ptr<char, decltype(&std::free)> owned(out, &std::free);
    if (rc != IDN2_OK || out == nullptr) return {LinkHostKind::kUnconvertible, {}};
    name = ToLowerAscii(out);
  }
  // A full stop mapped from "。" or "．" at the end of a sentence.
  while (!name.empty() && name.back() == '.') name.pop_back();
  if (name.empty()) return {};
  // Decoded to something that is no name ("%2F", an empty label): no A-label.
  if (!IsLdhName(name)) return {LinkHostKind::kUnconvertible, {}};
  if (!IsLookupName(name)) return {};
  return {LinkHostKind::kDomain, std::move(name)};
}

}  // namespace mailrep
