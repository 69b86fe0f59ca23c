#include "collectors/dnsbl/rbldnsd_ip4.h"

namespace mailrep {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Decimal digits at `pos` worth at most `max`; advances `pos`.
std::optional<uint32_t> Number(std::string_view text, size_t& pos, uint32_t max) {
  if (pos >= text.size() || !IsDigit(text[pos])) return std::nullopt;
  uint32_t value = 0;
  while (pos < text.size() && IsDigit(text[pos])) {
    value = value * 10 + static_cast<uint32_t>(text[pos] - '0');
    if (value > max) return std::nullopt;
    ++pos;
  }
  return value;
}

// "/bits" at `pos` (pointing at the slash).
std::optional<int> MaskBits(std::string_view text, size_t& pos) {
  ++pos;
  std::optional<uint32_t> bits = Number(text, pos, 32);
  if (!bits) return std::nullopt;
  return static_cast<int>(*bits);
}

}  // namespace

std::optional<Ip4Prefix> ParseIp4Prefix(std::string_view text) {
  Ip4Prefix out;
  size_t pos = 0;
  for (int octet = 0; octet < 4; ++octet) {
    std::optional<uint32_t> value = Number(text, pos, 255);
    if (!value) return std::nullopt;
    out.address |= *value << (24 - 8 * octet);
    out.bits = 8 * (octet + 1);
    if (octet == 3 || pos >= text.size() || text[pos] != '.') break;
    ++pos;  // a dot must be followed by another octet
  }
  out.consumed = pos;
  return out;
}

std::optional<Ip4Cidr> ParseIp4Cidr(std::string_view text) {
  std::optional<Ip4Prefix> prefix = ParseIp4Prefix(text);
  if (!prefix) return std::nullopt;
  Ip4Cidr out{prefix->address, prefix->bits, prefix->consumed};
  if (out.consumed < text.size() && text[out.consumed] == '/') {
    std::optional<int> bits = MaskBits(text, out.consumed);
    if (!bits) return std::nullopt;
    out.bits = *bits;
  } else if (prefix->bits == 8) {
    return std::nullopt;  // a bare number
  }
  return out;
}

std::optional<Ip4Range> ParseIp4Range(std::string_view text) {
  std::optional<Ip4Prefix> start = ParseIp4Prefix(text);
  if (!start) return std::nullopt;
  Ip4Range out;
  out.first = start->address;
  out.consumed = start->consumed;
  if (out.consumed < text.size() && text[out.consumed] == '-') {
    std::optional<Ip4Prefix> end = ParseIp4Prefix(text.substr(out.consumed + 1));
    if (!end) return std::nullopt;
    out.consumed += 1 + end->consumed;
    uint32_t last = end->address;
    int end_bits = end->bits;
    if (end_bits == 8) {
      // One octet: it replaces the start's last given octet.
      last = (last >> (start->bits - 8)) | (start->address & Ip4Mask(start->bits - 8));
      end_bits = start->bits;
    } else if (end_bits != start->bits) {
      return std::nullopt;
    }
    last |= ~Ip4Mask(end_bits);
    if (out.first > last) return std::nullopt;
    out.last = last;
    out.bits = 32;
    return out;
  }
  if (out.consumed < text.size() && text[out.consumed] == '/') {
    std::optional<int> bits = MaskBits(text, out.consumed);
    if (!bits) return std::nullopt;
    out.bits = *bits;
  } else if (start->bits == 8) {
    return std::nullopt;  // a bare number
  } else {
    out.bits = start->bits;
  }
  out.last = out.first | ~Ip4Mask(out.bits);
  return out;
}

std::optional<Ip4Value> ParseIp4AValue(std::string_view text) {
  std::optional<Ip4Prefix> prefix = ParseIp4Prefix(text);
  if (!prefix) return std::nullopt;
  uint32_t a = prefix->address;
  switch (prefix->bits) {
    case 8:  // "2": 127.0.0.2
      a = (a >> 24) | 0x7F000000u;
      if ((a & 0xFF) == 0) return std::nullopt;
      break;
    case 16:  // "10.2": 10.0.0.2
      a = (a & 0xFF000000u) | ((a >> 16) & 0xFF);
      break;
    case 24:  // "10.1.2": 10.1.0.2
      a = (a & 0xFFFF0000u) | ((a >> 8) & 0xFF);
      break;
    default:
      break;
  }
  if (a == 0) return std::nullopt;
  return Ip4Value{a, prefix->consumed};
}

std::string Ip4ToString(uint32_t address) {
  return std::to_string(address >> 24) + "." + std::to_string((address >> 16) & 0xFF) + "." +
         std::to_string((address >> 8) & 0xFF) + "." + std::to_string(address & 0xFF);
}

}  // namespace mailrep
