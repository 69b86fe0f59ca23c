#include "collectors/auth/dmarc_record.h"

#include <set>

#include "collectors/auth/tag_list.h"
#include "exporter/util/ascii.h"

namespace mailrep {
namespace {

std::string_view TrimWsp(std::string_view s) {
  while (!s.empty() && IsTagListSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsTagListSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool IsAllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Digits only, at most `max`.
std::optional<uint64_t> ParseUnsigned(std::string_view s, uint64_t max) {
  if (!IsAllDigits(s) || s.size() > 19) return std::nullopt;
  uint64_t value = 0;
  for (char c : s) value = value * 10 + static_cast<uint64_t>(c - '0');
  if (value > max) return std::nullopt;
  return value;
}

std::optional<DmarcAlignmentMode> ParseAlignment(std::string_view s) {
  if (EqualsIgnoreCase(s, "r")) return DmarcAlignmentMode::kRelaxed;
  if (EqualsIgnoreCase(s, "s")) return DmarcAlignmentMode::kStrict;
  return std::nullopt;
}

std::string Quote(const std::string& tag, const std::string& value) { return tag + "=" + value; }

void ParseUriList(const std::string& tag, const std::string& value,
                  std::vector<DmarcReportUri>* out, std::vector<std::string>* warnings) {
  for (const std::string& element : SplitTagValue(value, ',')) {
    StatusOr<DmarcReportUri> uri = ParseDmarcReportUri(element);
    if (uri.ok()) {
      out->push_back(*uri);
    } else {
      warnings->push_back(tag + ": ignored '" + element + "': " + uri.status().message());
    }
  }
}

}  // namespace

std::string_view DmarcPolicyName(DmarcPolicy policy) {
  switch (policy) {
    case DmarcPolicy::kNone:
      return "none";
    case DmarcPolicy::kQuarantine:
      return "quarantine";
    case DmarcPolicy::kReject:
      return "reject";
  }
  return "unknown";
}

std::optional<DmarcPolicy> ParseDmarcPolicy(std::string_view text) {
  for (DmarcPolicy policy : kAllDmarcPolicies) {
    if (EqualsIgnoreCase(text, DmarcPolicyName(policy))) return policy;
  }
  return std::nullopt;
}

std::string_view DmarcAlignmentModeName(DmarcAlignmentMode mode) {
  switch (mode) {
    case DmarcAlignmentMode::kRelaxed:
      return "relaxed";
    case DmarcAlignmentMode::kStrict:
      return "strict";
  }
  return "unknown";
}

std::optional<DmarcPolicy> DmarcRecord::SubdomainPolicy() const {
  return subdomain_policy ? subdomain_policy : policy;
}

bool IsDmarcRecordText(std::string_view text) {
  if (text.empty() || text[0] != 'v') return false;
  size_t pos = 1;
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
  if (pos == text.size() || text[pos] != '=') return false;
  ++pos;
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
  return text.substr(pos).starts_with("DMARC1");
}

StatusOr<DmarcReportUri> ParseDmarcReportUri(std::string_view text) {
  text = TrimWsp(text);
  DmarcReportUri uri;
  size_t bang = text.rfind('!');
  if (bang != std::string_view::npos) {
    std::string_view size = text.substr(bang + 1);
    uint64_t multiplier = 1;
    if (!size.empty()) {
      switch (size.back() | 0x20) {
        case 'k':
          multiplier = 1ull << 10;
          break;
        case 'm':
          multiplier = 1ull << 20;
          break;
        case 'g':
          multiplier = 1ull << 30;
          break;
        case 't':
          multiplier = 1ull << 40;
          break;
        default:
          break;
      }
      if (multiplier != 1) size.remove_suffix(1);
    }
    std::optional<uint64_t> count = ParseUnsigned(size, (1ull << 23) - 1);
    if (!count) return Status::InvalidArgument("bad size limit after '!'");
    uri.size_limit_bytes = *count * multiplier;
    text = text.substr(0, bang);
  }
  size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    return Status::InvalidArgument("not a URI (no scheme)");
  }
  std::string_view scheme = text.substr(0, colon);
  auto is_alpha = [](char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; };
  if (!is_alpha(scheme[0])) return Status::InvalidArgument("not a URI (bad scheme)");
  for (char c : scheme) {
    if (!is_alpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') {
      return Status::InvalidArgument("not a URI (bad scheme)");
    }
  }
  std::string_view rest = text.substr(colon + 1);
  if (rest.empty()) return Status::InvalidArgument("empty URI");
  for (char c : text) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
      return Status::InvalidArgument("white space or non-ASCII byte in URI");
    }
  }
  uri.scheme = ToLowerAscii(scheme);
  uri.uri = std::string(text);
  if (uri.scheme == "mailto") {
    std::string_view address = rest.substr(0, rest.find('?'));
    size_t at = address.rfind('@');
    if (at == std::string_view::npos || at == 0 || at + 1 == address.size()) {
      return Status::InvalidArgument("mailto: without local@domain");
    }
    std::string_view domain = address.substr(at + 1);
    if (domain.find('.') == std::string_view::npos || domain.front() == '.' ||
        domain.find("..") != std::string_view::npos) {
      return Status::InvalidArgument("mailto: domain is not a domain name");
    }
    uri.domain = ToLowerAscii(domain);
    if (uri.domain.back() == '.') uri.domain.pop_back();
  }
  return uri;
}

StatusOr<DmarcRecord> ParseDmarcRecord(std::string_view text) {
  TagListOptions options;
  options.allow_empty_specs = true;
  StatusOr<TagList> tags = ParseTagList(text, options);
  if (!tags.ok()) return tags.status();
  const std::vector<Tag>& list = tags->tags;
  if (list.empty() || list[0].name != "v" || list[0].value != "DMARC1") {
    std::string hint = !list.empty() && list[0].value.find(',') != std::string::npos
                           ? " (',' used as a separator instead of ';'?)"
                           : "";
    return Status::InvalidArgument("the first tag must be v=DMARC1" + hint);
  }
  std::set<std::string> seen;
  for (const Tag& tag : list) {
    if (!seen.insert(ToLowerAscii(tag.name)).second) {
      return Status::InvalidArgument("duplicate tag '" + tag.name + "'");
    }
  }
  DmarcRecord record;
  bool has_p = false;
  bool sp_invalid = false;
  for (size_t i = 1; i < list.size(); ++i) {
    std::string name = ToLowerAscii(list[i].name);
    const std::string& value = list[i].value;
    if (name == "p") {
      has_p = true;
      record.policy = ParseDmarcPolicy(value);
      if (!record.policy) record.errors.push_back("invalid " + Quote("p", value));
      if (i != 1) record.warnings.push_back("p= is not right after v= (RFC 7489 order)");
    } else if (name == "sp") {
      record.subdomain_policy = ParseDmarcPolicy(value);
      if (!record.subdomain_policy) {
        sp_invalid = true;
        record.errors.push_back("invalid " + Quote("sp", value));
      }
    } else if (name == "np") {
      record.dmarcbis_tags = true;
      record.nonexistent_policy = ParseDmarcPolicy(value);
      if (!record.nonexistent_policy) record.errors.push_back("invalid " + Quote("np", value));
    } else if (name == "adkim" || name == "aspf") {
      std::optional<DmarcAlignmentMode> mode = ParseAlignment(value);
      if (mode) {
        (name == "adkim" ? record.adkim : record.aspf) = *mode;
      } else {
        record.warnings.push_back("invalid " + Quote(name, value) + ", using r");
      }
    } else if (name == "pct") {
      std::optional<uint64_t> pct = ParseUnsigned(value, 100);
      if (pct) {
        record.pct = static_cast<int>(*pct);
      } else {
        record.warnings.push_back("invalid " + Quote("pct", value) + ", using 100");
      }
    } else if (name == "rua") {
      ParseUriList("rua", value, &record.rua, &record.warnings);
    } else if (name == "ruf") {
      ParseUriList("ruf", value, &record.ruf, &record.warnings);
    } else if (name == "fo") {
      std::vector<std::string> options_list = SplitTagValue(value);
      bool ok = true;
      for (std::string& option : options_list) {
        option = ToLowerAscii(option);
        ok &= option == "0" || option == "1" || option == "d" || option == "s";
      }
      if (ok) {
        record.fo = std::move(options_list);
      } else {
        record.warnings.push_back("invalid " + Quote("fo", value) + ", using 0");
      }
    } else if (name == "rf") {
      std::vector<std::string> formats = SplitTagValue(value);
      bool ok = true;
      for (std::string& format : formats) {
        format = ToLowerAscii(format);
        ok &= format == "afrf" || format == "iodef";
      }
      if (ok) {
        record.rf = std::move(formats);
      } else {
        record.warnings.push_back("invalid " + Quote("rf", value) + ", using afrf");
      }
    } else if (name == "ri") {
      std::optional<uint64_t> ri = ParseUnsigned(value, UINT32_MAX);
      if (ri) {
        record.ri = static_cast<uint32_t>(*ri);
      } else {
        record.warnings.push_back("invalid " + Quote("ri", value) + ", using 86400");
      }
    } else if (name == "psd") {
      record.dmarcbis_tags = true;
      std::string lower = ToLowerAscii(value);
      if (lower == "y" || lower == "n" || lower == "u") {
        record.psd = lower[0];
      } else {
        record.warnings.push_back("invalid " + Quote("psd", value) + ", using u");
      }
    } else if (name == "t") {
      record.dmarcbis_tags = true;
      std::string lower = ToLowerAscii(value);
      if (lower == "y" || lower == "n") {
        record.testing = lower == "y";
      } else {
        record.warnings.push_back("invalid " + Quote("t", value) + ", using n");
      }
    }
  }
  if (!has_p) record.errors.push_back("p= is missing");
  if (record.pct < 100) {
    record.warnings.push_back("pct=" + std::to_string(record.pct) +
                              ": the policy applies to only part of the failing mail");
  }
  if (record.testing) record.warnings.push_back("t=y: policy in testing mode");
  if (record.ruf.empty() && record.fo != std::vector<std::string>{"0"}) {
    record.warnings.push_back("fo= has no effect without ruf=");
  }
  bool p_usable = record.policy.has_value() && !sp_invalid;
  if (p_usable) {
    record.effective_policy = record.policy;
  } else if (!record.rua.empty()) {
    record.effective_policy = DmarcPolicy::kNone;
    record.warnings.push_back("receivers act as p=none because rua= holds a valid URI");
  }
  return record;
}

}  // namespace mailrep
