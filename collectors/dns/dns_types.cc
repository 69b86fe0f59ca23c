#include "collectors/dns/dns_types.h"

#include <strings.h>

namespace mailrep {

bool IsQueryableName(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  size_t start = 0;
  while (true) {
    size_t dot = name.find('.', start);
    size_t len = (dot == std::string_view::npos ? name.size() : dot) - start;
    if (len == 0 || len > 63) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

std::string JoinedTxt(const DnsRecord& record) {
  std::string out;
  for (const std::string& part : record.texts) out += part;
  return out;
}

std::string NormalizeDnsName(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty()) return ".";
  std::string out(name);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view RecordTypeName(RecordType type) {
  switch (type) {
    case RecordType::kA:
      return "A";
    case RecordType::kCname:
      return "CNAME";
    case RecordType::kPtr:
      return "PTR";
    case RecordType::kMx:
      return "MX";
    case RecordType::kTxt:
      return "TXT";
    case RecordType::kAaaa:
      return "AAAA";
  }
  return "unknown";
}

std::optional<RecordType> ParseRecordType(std::string_view name) {
  for (RecordType type : {RecordType::kA, RecordType::kCname, RecordType::kPtr, RecordType::kMx,
                          RecordType::kTxt, RecordType::kAaaa}) {
    std::string_view candidate = RecordTypeName(type);
    if (candidate.size() == name.size() &&
        strncasecmp(candidate.data(), name.data(), name.size()) == 0) {
      return type;
    }
  }
  return std::nullopt;
}

std::string_view DnsOutcomeName(DnsOutcome outcome) {
  switch (outcome) {
    case DnsOutcome::kData:
      return "data";
    case DnsOutcome::kNoData:
      return "nodata";
    case DnsOutcome::kNxDomain:
      return "nxdomain";
    case DnsOutcome::kServFail:
      return "servfail";
    case DnsOutcome::kRefused:
      return "refused";
    case DnsOutcome::kTimeout:
      return "timeout";
    case DnsOutcome::kMalformed:
      return "malformed";
    case DnsOutcome::kCancelled:
      return "cancelled";
    case DnsOutcome::kError:
      return "error";
    case DnsOutcome::kBudgetExhausted:
      return "budget_exhausted";
  }
  return "unknown";
}

}  // namespace mailrep
