#include "collectors/auth/spf_record.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "collectors/auth/spf_macro.h"
#include "exporter/util/ascii.h"

namespace mailrep {
namespace {

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// `s` equals `lower` (already lower case) ignoring ASCII case.
bool EqualsLower(std::string_view s, std::string_view lower) {
  if (s.size() != lower.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (AsciiLower(s[i]) != lower[i]) return false;
  }
  return true;
}

// Counts the spaces in `text` and tells whether every byte is printable
// ASCII (0x20-0x7e), eight bytes at a time.
bool ScanRecord(std::string_view text, size_t& spaces) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  constexpr uint64_t kLow7 = 0x7f7f7f7f7f7f7f7fULL;
  uint64_t bad = 0;
  size_t i = 0;
  spaces = 0;
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t x;
    std::memcpy(&x, text.data() + i, 8);
    // High bit set per byte when the byte is < 0x20 or >= 0x7f.
    bad |= ((x - kOnes * 0x20) | (x + kOnes * 0x01) | x) & kHigh;
    uint64_t y = x ^ (kOnes * ' ');  // zero bytes where x has a space
    uint64_t zero = ~(((y & kLow7) + kLow7) | y | kLow7);
    spaces += static_cast<size_t>(((zero >> 7) * kOnes) >> 56);  // sum of 0/1 bytes
  }
  for (; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    spaces += c == ' ';
    bad |= static_cast<unsigned char>(c - 0x20) > 0x5e;
  }
  return bad == 0;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Status Fail(std::string_view term, std::string_view why) {
  std::string message;
  message.reserve(why.size() + term.size() + 6);
  message.append(why).append(" in \"").append(term).append("\"");
  return Status::InvalidArgument(std::move(message));
}

// A CIDR length: "0" or digits without a leading zero, at most `max`.
std::optional<int> ParseCidr(std::string_view digits, int max) {
  if (digits.empty() || digits.size() > 3 || (digits[0] == '0' && digits.size() > 1)) {
    return std::nullopt;
  }
  int value = 0;
  for (char c : digits) {
    if (!IsDigit(c)) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value > max) return std::nullopt;
  return value;
}

// ip4-network: four qnums, no leading zeros.
std::optional<IpAddress> ParseIp4(std::string_view text) {
  IpAddress address;
  address.family = IpAddress::Family::kV4;
  for (int part = 0; part < 4; ++part) {
    size_t end = part < 3 ? text.find('.') : text.size();
    if (end == std::string_view::npos) return std::nullopt;
    std::optional<int> value = ParseCidr(text.substr(0, end), 255);
    if (!value) return std::nullopt;
    address.bytes[part] = static_cast<uint8_t>(*value);
    text.remove_prefix(part < 3 ? end + 1 : end);
  }
  return address;
}

IpNetwork MakeNetwork(IpAddress address, int prefix) {
  int bytes = address.bit_length() / 8;
  int keep = prefix / 8;
  if (keep < bytes) {
    address.bytes[keep] &= static_cast<uint8_t>(0xff00 >> (prefix % 8));
    for (int i = keep + 1; i < bytes; ++i) address.bytes[i] = 0;
  }
  return IpNetwork{address, prefix};
}

// domain-spec = macro-string domain-end; domain-end = ("." toplabel ["."]) /
// macro-expand.
Status ValidateDomainSpec(std::string_view term, std::string_view spec) {
  if (spec.empty()) return Fail(term, "empty domain-spec");
  if (spec.find('%') != std::string_view::npos) {
    Status status = ValidateSpfMacroString(spec, SpfMacroUse::kDomainSpec);
    if (!status.ok()) return Fail(term, status.message());
  }  // else: the record's bytes were checked to be printable, and ' ' splits terms
  size_t tail_start = 0;
  for (size_t i = 0; i < spec.size(); ++i) {
    if (spec[i] != '%') continue;
    i = spec[i + 1] == '{' ? spec.find('}', i) : i + 1;
    tail_start = i + 1;
  }
  if (tail_start == spec.size()) return Status::OK();
  std::string_view tail = spec.substr(tail_start);
  if (tail.back() == '.') tail.remove_suffix(1);
  size_t dot = tail.rfind('.');
  if (dot == std::string_view::npos || !IsSpfTopLabel(tail.substr(dot + 1))) {
    return Fail(term, "domain-spec must end in a macro or '.' and a valid top label");
  }
  return Status::OK();
}

// Splits a trailing "/n" (ip4) and "//n" (ip6) off `rest` for a and mx.
Status ParseDualCidr(std::string_view term, std::string_view& rest, SpfMechanism& mechanism) {
  auto trailing_digits = [](std::string_view s) {
    size_t n = 0;
    while (n < s.size() && IsDigit(s[s.size() - 1 - n])) ++n;
    return n;
  };
  size_t n = trailing_digits(rest);
  if (n > 0 && rest.size() >= n + 2 && rest.substr(rest.size() - n - 2, 2) == "//") {
    std::optional<int> cidr = ParseCidr(rest.substr(rest.size() - n), 128);
    if (!cidr) return Fail(term, "invalid IPv6 CIDR length");
    mechanism.cidr6 = *cidr;
    rest.remove_suffix(n + 2);
    n = trailing_digits(rest);
  }
  if (n > 0 && rest.size() >= n + 1 && rest[rest.size() - n - 1] == '/') {
    std::optional<int> cidr = ParseCidr(rest.substr(rest.size() - n), 32);
    if (!cidr) return Fail(term, "invalid IPv4 CIDR length");
    mechanism.cidr4 = *cidr;
    rest.remove_suffix(n + 1);
  }
  return Status::OK();
}

Status ParseIpNetwork(std::string_view term, std::string_view rest, bool v6,
                      SpfMechanism& mechanism) {
  if (rest.size() < 2 || rest[0] != ':') return Fail(term, "missing address");
  rest.remove_prefix(1);
  size_t slash = rest.find('/');
  std::string_view addr = rest.substr(0, slash);
  int max = v6 ? 128 : 32;
  int prefix = max;
  if (slash != std::string_view::npos) {
    std::optional<int> cidr = ParseCidr(rest.substr(slash + 1), max);
    if (!cidr) return Fail(term, v6 ? "invalid IPv6 CIDR length" : "invalid IPv4 CIDR length");
    prefix = *cidr;
  }
  std::optional<IpAddress> address;
  if (v6) {
    StatusOr<IpAddress> parsed = IpAddress::Parse(addr);
    if (parsed.ok() && parsed->family == IpAddress::Family::kV6) address = *parsed;
  } else {
    address = ParseIp4(addr);
  }
  if (!address) return Fail(term, v6 ? "invalid IPv6 address" : "invalid IPv4 address");
  mechanism.network = MakeNetwork(*address, prefix);
  return Status::OK();
}

Status ParseMechanism(std::string_view term, SpfMechanism& mechanism) {
  std::string_view body = term;
  switch (body[0]) {
    case '+':
      mechanism.qualifier = SpfQualifier::kPass;
      body.remove_prefix(1);
      break;
    case '-':
      mechanism.qualifier = SpfQualifier::kFail;
      body.remove_prefix(1);
      break;
    case '~':
      mechanism.qualifier = SpfQualifier::kSoftFail;
      body.remove_prefix(1);
      break;
    case '?':
      mechanism.qualifier = SpfQualifier::kNeutral;
      body.remove_prefix(1);
      break;
  }
  size_t name_end = 0;
  while (name_end < body.size() && body[name_end] != ':' && body[name_end] != '/') ++name_end;
  std::string_view name = body.substr(0, name_end);
  std::string_view rest = body.substr(name_end);
  static constexpr std::pair<std::string_view, SpfMechanismKind> kKinds[] = {
      {"all", SpfMechanismKind::kAll}, {"include", SpfMechanismKind::kInclude},
      {"a", SpfMechanismKind::kA},     {"mx", SpfMechanismKind::kMx},
      {"ptr", SpfMechanismKind::kPtr}, {"ip4", SpfMechanismKind::kIp4},
      {"ip6", SpfMechanismKind::kIp6}, {"exists", SpfMechanismKind::kExists}};
  bool known = false;
  for (const auto& [kind_name, kind] : kKinds) {
    if (EqualsLower(name, kind_name)) {
      mechanism.kind = kind;
      known = true;
      break;
    }
  }
  if (!known) return Fail(term, "unknown mechanism");
  switch (mechanism.kind) {
    case SpfMechanismKind::kAll:
      if (!rest.empty()) return Fail(term, "'all' takes no argument");
      return Status::OK();
    case SpfMechanismKind::kInclude:
    case SpfMechanismKind::kExists:
      if (rest.empty() || rest[0] != ':') return Fail(term, "missing ':' domain-spec");
      mechanism.domain_spec = rest.substr(1);
      return ValidateDomainSpec(term, mechanism.domain_spec);
    case SpfMechanismKind::kPtr:
      if (rest.empty()) return Status::OK();
      if (rest[0] != ':') return Fail(term, "'ptr' takes no CIDR length");
      mechanism.domain_spec = rest.substr(1);
      return ValidateDomainSpec(term, mechanism.domain_spec);
    case SpfMechanismKind::kA:
    case SpfMechanismKind::kMx: {
      Status status = ParseDualCidr(term, rest, mechanism);
      if (!status.ok()) return status;
      if (rest.empty()) return Status::OK();
      if (rest[0] != ':') return Fail(term, "malformed argument");
      mechanism.domain_spec = rest.substr(1);
      return ValidateDomainSpec(term, mechanism.domain_spec);
    }
    case SpfMechanismKind::kIp4:
      return ParseIpNetwork(term, rest, false, mechanism);
    case SpfMechanismKind::kIp6:
      return ParseIpNetwork(term, rest, true, mechanism);
  }
  return Fail(term, "unknown mechanism");
}

// name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ), then '='. Returns the
// position of the '=' or npos when `term` is not a modifier.
size_t ModifierNameEnd(std::string_view term) {
  if (term.empty() || !IsAlpha(term[0])) return std::string_view::npos;
  for (size_t i = 1; i < term.size(); ++i) {
    char c = term[i];
    if (c == '=') return i;
    if (!IsAlpha(c) && !IsDigit(c) && c != '-' && c != '_' && c != '.') break;
  }
  return std::string_view::npos;
}

Status ParseModifier(std::string_view term, size_t eq, SpfRecord& record) {
  std::string_view name = term.substr(0, eq);
  std::string_view value = term.substr(eq + 1);
  bool redirect = EqualsLower(name, "redirect");
  if (redirect || EqualsLower(name, "exp")) {
    std::optional<std::string_view>& slot = redirect ? record.redirect : record.exp;
    if (slot) return Fail(term, Lower(name) + "= appears twice");
    Status status = ValidateDomainSpec(term, value);
    if (!status.ok()) return status;
    slot = value;
    return Status::OK();
  }
  Status status = ValidateSpfMacroString(value, SpfMacroUse::kDomainSpec);
  if (!status.ok()) return Fail(term, status.message());
  record.unknown_modifiers.push_back({name, value});
  return Status::OK();
}

// Length of the version term at the start of `text` when it is followed by a
// space or the end; 0 otherwise.
size_t VersionLength(std::string_view text) {
  size_t end = text.find(' ');
  return end == std::string_view::npos ? text.size() : end;
}

}  // namespace

std::string_view SpfMechanismKindName(SpfMechanismKind kind) {
  switch (kind) {
    case SpfMechanismKind::kAll:
      return "all";
    case SpfMechanismKind::kInclude:
      return "include";
    case SpfMechanismKind::kA:
      return "a";
    case SpfMechanismKind::kMx:
      return "mx";
    case SpfMechanismKind::kPtr:
      return "ptr";
    case SpfMechanismKind::kIp4:
      return "ip4";
    case SpfMechanismKind::kIp6:
      return "ip6";
    case SpfMechanismKind::kExists:
      return "exists";
  }
  return "unknown";
}

bool SpfMechanism::QueriesDns() const {
  return kind == SpfMechanismKind::kInclude || kind == SpfMechanismKind::kA ||
         kind == SpfMechanismKind::kMx || kind == SpfMechanismKind::kPtr ||
         kind == SpfMechanismKind::kExists;
}

bool SpfRecord::has_all() const {
  for (const SpfMechanism& m : mechanisms) {
    if (m.kind == SpfMechanismKind::kAll) return true;
  }
  return false;
}

bool IsSpf1Record(std::string_view text) {
  // (c | 0x20) == 'v' holds only for 'v' and 'V', likewise for s, p and f.
  return text.size() >= 6 && (text.size() == 6 || text[6] == ' ') && (text[0] | 0x20) == 'v' &&
         text[1] == '=' && (text[2] | 0x20) == 's' && (text[3] | 0x20) == 'p' &&
         (text[4] | 0x20) == 'f' && text[5] == '1';
}

std::optional<std::vector<std::string>> SenderIdScopes(std::string_view text) {
  std::string_view version = text.substr(0, VersionLength(text));
  if (version.size() < 7 || !EqualsLower(version.substr(0, 7), "spf2.0/")) {
    return std::nullopt;
  }
  std::vector<std::string> scopes;
  std::string_view list = version.substr(7);
  while (true) {
    size_t comma = list.find(',');
    std::string_view scope = list.substr(0, comma);
    if (scope.empty()) return std::nullopt;
    for (char c : scope) {
      if (!IsAlpha(c) && !IsDigit(c) && c != '-' && c != '_') return std::nullopt;
    }
    scopes.push_back(Lower(scope));
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return scopes;
}

StatusOr<SpfRecord> ParseSpfRecord(std::string_view text) {
  SpfRecord record;
  Status status = ParseSpfRecordInto(text, record);
  if (!status.ok()) return status;
  return record;
}

Status ParseSpfRecordInto(std::string_view text, SpfRecord& record) {
  record.version = {};
  record.scopes.clear();
  record.mechanisms.clear();
  record.redirect.reset();
  record.exp.reset();
  record.unknown_modifiers.clear();
  record.term_count = 0;
  size_t spaces = 0;
  bool printable = ScanRecord(text, spaces);
  for (size_t i = 0; !printable && i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c > 0x7e) {
      return Status::InvalidArgument("byte " + std::to_string(c) + " at offset " +
                                     std::to_string(i) +
                                     " (records must be printable ASCII; terms are separated by "
                                     "spaces only)");
    }
  }
  if (IsSpf1Record(text)) {
    record.version = "v=spf1";
  } else if (std::optional<std::vector<std::string>> scopes = SenderIdScopes(text)) {
    record.version = "spf2.0";
    record.scopes = std::move(*scopes);
  } else {
    return Status::InvalidArgument("not an SPF record (no v=spf1 version)");
  }
  size_t pos = VersionLength(text);
  record.mechanisms.reserve(spaces);
  while (pos < text.size()) {
    while (pos < text.size() && text[pos] == ' ') ++pos;
    if (pos == text.size()) break;
    size_t end = text.find(' ', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view term = text.substr(pos, end - pos);
    pos = end;
    ++record.term_count;
    size_t eq = ModifierNameEnd(term);
    if (eq != std::string_view::npos) {
      Status status = ParseModifier(term, eq, record);
      if (!status.ok()) return status;
      continue;
    }
    if (term[0] == '=') return Fail(term, "empty modifier name");
    SpfMechanism& mechanism = record.mechanisms.emplace_back();
    mechanism.text = term;
    Status status = ParseMechanism(term, mechanism);
    if (!status.ok()) return status;
  }
  return Status::OK();
}

bool IsSpfTopLabel(std::string_view label) {
  if (label.empty() || label.front() == '-' || label.back() == '-') return false;
  bool alpha = false;
  bool hyphen = false;
  for (char c : label) {
    if (IsAlpha(c)) {
      alpha = true;
    } else if (c == '-') {
      hyphen = true;
    } else if (!IsDigit(c)) {
      return false;
    }
  }
  return alpha || hyphen;
}

}  // namespace mailrep
