#include "collectors/dnsbl/dnsbl_local_answer.h"

#include <string>

namespace mailrep {

std::optional<uint32_t> ParseReversedIp4(std::string_view prefix) {
  uint32_t address = 0;
  for (int octet = 0; octet < 4; ++octet) {
    size_t dot = prefix.find('.');
    std::string_view label = octet == 3 ? prefix : prefix.substr(0, dot);
    if (octet < 3 && dot == std::string_view::npos) return std::nullopt;
    if (label.empty() || label.size() > 3) return std::nullopt;
    if (label.size() > 1 && label[0] == '0') return std::nullopt;  // not canonical
    uint32_t value = 0;
    for (char c : label) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + static_cast<uint32_t>(c - '0');
    }
    if (value > 255) return std::nullopt;
    address |= value << (8 * octet);  // the first label is the last octet
    if (octet < 3) prefix.remove_prefix(dot + 1);
  }
  return address;
}

DnsAnswer LocalDnsblAnswer(const RbldnsdZone& zone, std::string_view prefix, RecordType type) {
  bool with_txt = type == RecordType::kTxt;
  std::optional<RbldnsdAnswer> found;
  if (IsIp4Format(zone.format())) {
    if (std::optional<uint32_t> address = ParseReversedIp4(prefix)) {
      found = zone.LookupIp4(*address, with_txt);
    }
  } else {
    found = zone.LookupDomain(prefix, with_txt);
  }
  DnsAnswer answer;
  if (!found) {
    answer.outcome = DnsOutcome::kNxDomain;
    return answer;
  }
  answer.outcome =
      type == RecordType::kA || type == RecordType::kTxt ? DnsOutcome::kData : DnsOutcome::kNoData;
  if (type == RecordType::kA) {
    for (uint32_t value : found->a) {
      DnsRecord record;
      record.type = RecordType::kA;
      record.address.family = IpAddress::Family::kV4;
      for (int i = 0; i < 4; ++i) {
        record.address.bytes[i] = static_cast<uint8_t>(value >> (24 - 8 * i));
      }
      answer.records.push_back(std::move(record));
    }
  } else if (type == RecordType::kTxt) {
    for (const std::string& text : found->txt) {
      DnsRecord record;
      record.type = RecordType::kTxt;
      record.texts.push_back(text);
      answer.records.push_back(std::move(record));
    }
    if (answer.records.empty()) answer.outcome = DnsOutcome::kNoData;
  }
  return answer;
}

}  // namespace mailrep
