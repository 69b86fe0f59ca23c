#include "collectors/auth/spf_macro.h"

#include <algorithm>
#include <vector>

namespace mailrep {
namespace {

constexpr std::string_view kDelimiters = ".-+,/_=";

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string UrlEscape(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (unsigned char c : value) {
    if (IsUnreserved(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
  return out;
}

// The transformed value: split on `delimiters`, optionally reversed, the
// rightmost `keep` parts (0 = all) joined with '.'.
std::string Transform(std::string_view value, std::string_view delimiters, bool reverse,
                      size_t keep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= value.size(); ++i) {
    if (i == value.size() || delimiters.find(value[i]) != std::string_view::npos) {
      parts.push_back(value.substr(start, i - start));
      start = i + 1;
    }
  }
  if (reverse) std::reverse(parts.begin(), parts.end());
  size_t first = (keep == 0 || keep >= parts.size()) ? 0 : parts.size() - keep;
  std::string out;
  for (size_t i = first; i < parts.size(); ++i) {
    if (i != first) out.push_back('.');
    out.append(parts[i]);
  }
  return out;
}

std::string LetterValue(char letter, const SpfMacroContext& context) {
  switch (letter) {
    case 's':
      return std::string(context.sender);
    case 'l':
      return std::string(context.local_part);
    case 'o':
      return std::string(context.sender_domain);
    case 'd':
      return std::string(context.domain);
    case 'i':
      return SpfDottedAddress(context.ip, false);
    case 'p':
      return context.validated_name ? context.validated_name(context.domain) : "unknown";
    case 'v':
      return context.ip.family == IpAddress::Family::kV4 ? "in-addr" : "ip6";
    case 'h':
      return std::string(context.helo);
    case 'c':
      return context.ip.ToString();
    case 'r':
      return std::string(context.receiver);
    case 't':
      return std::to_string(context.now_seconds);
  }
  return "";
}

Status Error(std::string_view text, std::string what) {
  return Status::InvalidArgument(what + " in macro-string \"" + std::string(text) + "\"");
}

// Validates `text` and, when `out` is set, appends its expansion.
Status Process(std::string_view text, SpfMacroUse use, const SpfMacroContext* context,
               std::string* out) {
  const bool explanation = use == SpfMacroUse::kExplanation;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c != '%') {
      bool literal = (c >= 0x21 && c <= 0x7e) || (explanation && c == ' ');
      if (!literal) return Error(text, "invalid character " + std::to_string(c));
      if (out) out->push_back(static_cast<char>(c));
    } else if (i + 1 >= text.size()) {
      return Error(text, "'%' at end");
    } else if (text[i + 1] == '%' || text[i + 1] == '_' || text[i + 1] == '-') {
      if (out) out->append(text[i + 1] == '%' ? "%" : text[i + 1] == '_' ? " " : "%20");
      ++i;
    } else if (text[i + 1] != '{') {
      return Error(text, std::string("'%' followed by '") + text[i + 1] + "'");
    } else {
      size_t close = text.find('}', i + 2);
      if (close == std::string_view::npos) return Error(text, "unterminated %{");
      std::string_view body = text.substr(i + 2, close - i - 2);
      if (body.empty()) return Error(text, "empty %{}");
      char letter = Lower(body[0]);
      if (std::string_view("slodipvhcrt").find(letter) == std::string_view::npos) {
        return Error(text, std::string("unknown macro letter '") + body[0] + "'");
      }
      if (!explanation && (letter == 'c' || letter == 'r' || letter == 't')) {
        return Error(text, std::string("macro letter '") + body[0] + "' outside exp text");
      }
      size_t pos = 1;
      size_t keep = 0;
      bool has_digits = false;
      while (pos < body.size() && body[pos] >= '0' && body[pos] <= '9') {
        has_digits = true;
        if (keep < 1000) keep = keep * 10 + static_cast<size_t>(body[pos] - '0');
        ++pos;
      }
      if (has_digits && keep == 0) return Error(text, "zero part count");
      bool reverse = false;
      if (pos < body.size() && (body[pos] == 'r' || body[pos] == 'R')) {
        reverse = true;
        ++pos;
      }
      std::string_view delimiters = body.substr(pos);
      for (char d : delimiters) {
        if (kDelimiters.find(d) == std::string_view::npos) {
          return Error(text, std::string("invalid delimiter '") + d + "'");
        }
      }
      if (out) {
        std::string value = Transform(LetterValue(letter, *context),
                                      delimiters.empty() ? "." : delimiters, reverse, keep);
        bool upper = body[0] >= 'A' && body[0] <= 'Z';
        out->append(upper ? UrlEscape(value) : value);
      }
      i = close;
    }
    if (out && out->size() > kMaxSpfMacroOutput) return Error(text, "expansion too long");
  }
  return Status::OK();
}

}  // namespace

Status ValidateSpfMacroString(std::string_view text, SpfMacroUse use) {
  return Process(text, use, nullptr, nullptr);
}

StatusOr<std::string> ExpandSpfMacroString(std::string_view text, const SpfMacroContext& context,
                                           SpfMacroUse use) {
  std::string out;
  Status status = Process(text, use, &context, &out);
  if (!status.ok()) return status;
  return out;
}

StatusOr<std::string> ExpandSpfDomainSpec(std::string_view domain_spec,
                                          const SpfMacroContext& context) {
  std::string name;
  if (domain_spec.find('%') == std::string_view::npos) {
    Status status = ValidateSpfMacroString(domain_spec, SpfMacroUse::kDomainSpec);
    if (!status.ok()) return status;
    name = std::string(domain_spec);
  } else {
    StatusOr<std::string> expanded =
        ExpandSpfMacroString(domain_spec, context, SpfMacroUse::kDomainSpec);
    if (!expanded.ok()) return expanded;
    name = std::move(expanded).value();
  }
  if (!name.empty() && name.back() == '.') name.pop_back();
  while (name.size() > 253) {
    size_t dot = name.find('.');
    if (dot == std::string::npos) break;
    name.erase(0, dot + 1);
  }
  return name;
}

bool SpfMacroStringUsesPtr(std::string_view text) {
  for (size_t i = 0; i + 2 < text.size(); ++i) {
    if (text[i] != '%') continue;
    if (text[i + 1] == '{' && (text[i + 2] == 'p' || text[i + 2] == 'P')) return true;
    ++i;  // skip the escaped character of %%, %_, %- and the '{'
  }
  return false;
}

std::string SpfDottedAddress(const IpAddress& ip, bool reverse) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  if (ip.family == IpAddress::Family::kV4) {
    for (int i = 0; i < 4; ++i) {
      if (i) out.push_back('.');
      out += std::to_string(ip.bytes[reverse ? 3 - i : i]);
    }
    return out;
  }
  out.reserve(63);
  for (int n = 0; n < 32; ++n) {
    int nibble = reverse ? 31 - n : n;
    uint8_t byte = ip.bytes[nibble / 2];
    if (n) out.push_back('.');
    out.push_back(kHex[nibble % 2 == 0 ? byte >> 4 : byte & 0xf]);
  }
  return out;
}

}  // namespace mailrep
