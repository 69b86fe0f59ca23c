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

void AppendEscaped(std::string_view value, bool escape, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  if (!escape) {
    out.append(value);
    return;
  }
  for (unsigned char c : value) {
    if (IsUnreserved(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
}

// Appends the transformed value: split on `delimiters`, optionally
// reversed, the rightmost `keep` parts (0 = all) joined with '.', each part
// URL-escaped when `escape`. No temporary containers.
void AppendTransformed(std::string_view value, std::string_view delimiters, bool reverse,
                       size_t keep, bool escape, std::string& out) {
  auto is_delimiter = [&](char c) {
    return delimiters.size() == 1 ? c == delimiters[0]
                                  : delimiters.find(c) != std::string_view::npos;
  };
  size_t parts = 1;
  for (char c : value) parts += is_delimiter(c);
  size_t drop = (keep == 0 || keep >= parts) ? 0 : parts - keep;  // dropped from the output's left
  if (!reverse) {
    size_t start = 0;
    for (size_t skipped = 0; skipped < drop; ++start) skipped += is_delimiter(value[start]);
    size_t part_start = start;
    for (size_t i = start; i <= value.size(); ++i) {
      if (i == value.size() || is_delimiter(value[i])) {
        if (part_start != start) out.push_back('.');
        AppendEscaped(value.substr(part_start, i - part_start), escape, out);
        part_start = i + 1;
      }
    }
    return;
  }
  // Reversed: the original's last `drop` parts are dropped, the rest are
  // emitted right to left.
  size_t end = value.size();
  for (size_t skipped = 0; skipped < drop; --end) skipped += is_delimiter(value[end - 1]);
  bool first = true;
  size_t part_end = end;
  for (size_t i = end;; --i) {  // a part starts at i when i == 0 or value[i - 1] delimits
    if (i == 0 || is_delimiter(value[i - 1])) {
      if (!first) out.push_back('.');
      first = false;
      AppendEscaped(value.substr(i, part_end - i), escape, out);
      if (i == 0) break;
      part_end = i - 1;
    }
  }
}

// The value a macro letter stands for; computed values are kept in `buffer`.
std::string_view LetterValue(char letter, const SpfMacroContext& context, std::string& buffer) {
  switch (letter) {
    case 's':
      return context.sender;
    case 'l':
      return context.local_part;
    case 'o':
      return context.sender_domain;
    case 'd':
      return context.domain;
    case 'i':
      buffer = SpfDottedAddress(context.ip, false);
      return buffer;
    case 'p':
      buffer = context.validated_name ? context.validated_name(context.domain) : "unknown";
      return buffer;
    case 'v':
      return context.ip.family == IpAddress::Family::kV4 ? "in-addr" : "ip6";
    case 'h':
      return context.helo;
    case 'c':
      buffer = context.ip.ToString();
      return buffer;
    case 'r':
      return context.receiver;
    case 't':
      buffer = std::to_string(context.now_seconds);
      return buffer;
  }
  return "";
}

Status Error(std::string_view text, std::string what) {
  return Status::InvalidArgument(what + " in macro-string \"" + std::string(text) + "\"");
}

// Validates `text` and, when `out` is set, appends its expansion.
// Validates `text` and, when `out` is set, appends its expansion. With
// `drop_left` (a name to query), an output past the cap first loses leading
// labels that the final left truncation to 253 octets would drop anyway, so
// only a single label longer than the cap is an error.
Status Process(std::string_view text, SpfMacroUse use, const SpfMacroContext* context,
               std::string* out, bool drop_left = false) {
  const bool explanation = use == SpfMacroUse::kExplanation;
  size_t dropped = 0;  // bytes cut off the left (drop_left)
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c != '%') {
      size_t end = i;
      for (; end < text.size() && text[end] != '%'; ++end) {
        c = static_cast<unsigned char>(text[end]);
        bool literal = (c >= 0x21 && c <= 0x7e) || (explanation && c == ' ');
        if (!literal) return Error(text, "invalid character " + std::to_string(c));
      }
      if (out) out->append(text.substr(i, end - i));
      i = end - 1;
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
        std::string buffer;
        bool upper = body[0] >= 'A' && body[0] <= 'Z';
        AppendTransformed(LetterValue(letter, *context, buffer),
                          delimiters.empty() ? "." : delimiters, reverse, keep, upper, *out);
      }
      i = close;
    }
    if (out && out->size() > kMaxSpfMacroOutput) {
      // Cutting through a dot that leaves more than 255 octets is safe: the
      // final result (<= 253 octets plus a possible trailing dot) lies after it.
      size_t dot = drop_left ? out->rfind('.', out->size() - 256) : std::string::npos;
      if (dot != std::string::npos) {
        dropped += dot + 1;
        out->erase(0, dot + 1);
      }
      if (out->size() > kMaxSpfMacroOutput || dropped > kMaxSpfMacroWork) {
        return Error(text, "expansion too long");
      }
    }
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
    Status status = Process(domain_spec, SpfMacroUse::kDomainSpec, &context, &name,
                            /*drop_left=*/true);
    if (!status.ok()) return status;
  }
  if (!name.empty() && name.back() == '.') name.pop_back();
  if (name.size() > 253) {
    // Dropping labels from the left until it fits keeps the part after the
    // first dot at or past size - 254 (or after the last dot when none is).
    size_t dot = name.find('.', name.size() - 254);
    if (dot == std::string::npos) dot = name.rfind('.');
    if (dot != std::string::npos) name.erase(0, dot + 1);
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
