#include "collectors/auth/spf_memory_dns.h"

#include <utility>

namespace mailrep {
namespace {

std::string Target(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  return std::string(name);
}

}  // namespace

SpfMemoryDns::Node& SpfMemoryDns::NodeFor(std::string_view name) {
  std::string key = NormalizeDnsName(name);
  Node& node = nodes_[key];
  node.name = std::move(key);
  return node;
}

void SpfMemoryDns::AddName(std::string_view name) { NodeFor(name); }

void SpfMemoryDns::Add(std::string_view name, DnsRecord record) {
  Node& node = NodeFor(name);
  if (!node.timeout) node.answered_types.insert(record.type);
  node.records.push_back(std::move(record));
}

Status SpfMemoryDns::AddAddress(std::string_view name, std::string_view address) {
  StatusOr<IpAddress> parsed = IpAddress::Parse(address);
  if (!parsed.ok()) return parsed.status();
  DnsRecord record;
  record.type = parsed->family == IpAddress::Family::kV4 ? RecordType::kA : RecordType::kAaaa;
  record.address = *parsed;
  Add(name, std::move(record));
  return Status::OK();
}

void SpfMemoryDns::AddTxt(std::string_view name, std::vector<std::string> strings) {
  DnsRecord record;
  record.type = RecordType::kTxt;
  record.texts = std::move(strings);
  Add(name, std::move(record));
}

void SpfMemoryDns::AddMx(std::string_view name, uint16_t preference, std::string_view exchange) {
  DnsRecord record;
  record.type = RecordType::kMx;
  record.preference = preference;
  record.target = exchange.empty() ? "." : Target(exchange);
  Add(name, std::move(record));
}

void SpfMemoryDns::AddPtr(std::string_view name, std::string_view target) {
  DnsRecord record;
  record.type = RecordType::kPtr;
  record.target = Target(target);
  Add(name, std::move(record));
}

void SpfMemoryDns::AddCname(std::string_view name, std::string_view target) {
  Node& node = NodeFor(name);
  node.cname = NormalizeDnsName(target);
  if (!node.timeout) node.answered_types.insert(RecordType::kCname);
}

void SpfMemoryDns::AddTimeout(std::string_view name) { NodeFor(name).timeout = true; }

const SpfMemoryDns::Node* SpfMemoryDns::Find(std::string_view name) const {
  bool normalized = name.empty() || name.back() != '.';
  for (char c : name) normalized &= !(c >= 'A' && c <= 'Z');
  auto it = normalized ? nodes_.find(name) : nodes_.find(NormalizeDnsName(name));
  return it == nodes_.end() ? nullptr : &it->second;
}

DnsAnswer SpfMemoryDns::Lookup(std::string_view name, RecordType type) {
  ++lookups_;
  DnsAnswer answer;
  std::string_view current = name;
  std::set<std::string_view> seen;
  while (true) {
    const Node* found = Find(current);
    if (found == nullptr) {
      answer.canonical_name = NormalizeDnsName(current);
      bool error_name = timeout_error_names_ && answer.canonical_name.rfind("error.", 0) == 0;
      answer.outcome = error_name ? DnsOutcome::kTimeout : DnsOutcome::kNxDomain;
      return answer;
    }
    const Node& node = *found;
    if (node.timeout && !node.answered_types.count(type) &&
        !(node.answered_types.count(RecordType::kCname) && type != RecordType::kCname)) {
      answer.outcome = DnsOutcome::kTimeout;
      answer.error = "timeout (zone data)";
      return answer;
    }
    if (!node.cname.empty() && type != RecordType::kCname) {
      if (!seen.insert(current).second || seen.size() > 16) {
        answer.outcome = DnsOutcome::kServFail;
        answer.error = "CNAME loop";
        return answer;
      }
      current = node.cname;
      continue;
    }
    answer.canonical_name = node.name;
    size_t count = 0;
    for (const DnsRecord& record : node.records) count += record.type == type;
    answer.records.reserve(count);
    for (const DnsRecord& record : node.records) {
      if (record.type == type) answer.records.push_back(record);
    }
    if (type == RecordType::kCname && !node.cname.empty()) {
      DnsRecord record;
      record.type = RecordType::kCname;
      record.target = node.cname;
      answer.records.push_back(std::move(record));
    }
    answer.outcome = answer.records.empty() ? DnsOutcome::kNoData : DnsOutcome::kData;
    return answer;
  }
}

}  // namespace mailrep
