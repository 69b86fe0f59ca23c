#include "collectors/dns/memory_dns.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <utility>

#include "exporter/util/ascii.h"

namespace mailrep {
namespace {

std::string Target(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  return std::string(name);
}

uint64_t HashName(std::string_view s) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kMul = 0x9e3779b97f4a7c15ULL;
  // Lower-cases the ASCII letters of eight bytes at once.
  auto fold = [](uint64_t x) {
    uint64_t low7 = x & (kOnes * 0x7f);
    uint64_t above_z = low7 + kOnes * (0x7f - 'Z');
    uint64_t from_a = low7 + kOnes * (0x80 - 'A');
    uint64_t upper = (from_a ^ above_z) & ~x & (kOnes * 0x80);
    return x | (upper >> 2);
  };
  uint64_t h = s.size() * kMul;
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t x;
    std::memcpy(&x, s.data() + i, 8);
    h = (h ^ fold(x)) * kMul;
    h ^= h >> 29;
  }
  if (i < s.size()) {
    uint64_t x = 0;
    if (s.size() >= 8) {
      std::memcpy(&x, s.data() + s.size() - 8, 8);  // the last eight, overlapping
    } else {
      for (size_t k = i; k < s.size(); ++k) x = (x << 8) | static_cast<unsigned char>(s[k]);
    }
    h = (h ^ fold(x)) * kMul;
    h ^= h >> 29;
  }
  return h ^ (h >> 32);
}

}  // namespace

MemoryDns::Node& MemoryDns::NodeFor(std::string_view name) {
  std::string key = NormalizeDnsName(name);
  if (const Node* found = FindKey(key)) return nodes_[static_cast<size_t>(found - nodes_.data())];
  if ((nodes_.size() + 1) * 2 >= slots_.size()) Rehash(std::max<size_t>(16, slots_.size() * 2));
  Node& node = nodes_.emplace_back();
  node.hash = HashName(key);
  node.name = std::move(key);
  size_t mask = slots_.size() - 1;
  size_t pos = node.hash & mask;
  while (slots_[pos] != 0) pos = (pos + 1) & mask;
  slots_[pos] = static_cast<uint32_t>(nodes_.size());
  return node;
}

void MemoryDns::Rehash(size_t slot_count) {
  slots_.assign(slot_count, 0);
  size_t mask = slot_count - 1;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    size_t pos = nodes_[i].hash & mask;
    while (slots_[pos] != 0) pos = (pos + 1) & mask;
    slots_[pos] = static_cast<uint32_t>(i + 1);
  }
}

void MemoryDns::AddName(std::string_view name) { NodeFor(name); }

void MemoryDns::Add(std::string_view name, DnsRecord record) {
  Node& node = NodeFor(name);
  if (!node.timeout) node.answered_types.insert(record.type);
  node.answers.Drop(TypeSlot(record.type));
  node.records.push_back(std::move(record));
}

Status MemoryDns::AddAddress(std::string_view name, std::string_view address) {
  StatusOr<IpAddress> parsed = IpAddress::Parse(address);
  if (!parsed.ok()) return parsed.status();
  DnsRecord record;
  record.type = parsed->family == IpAddress::Family::kV4 ? RecordType::kA : RecordType::kAaaa;
  record.address = *parsed;
  Add(name, std::move(record));
  return Status::OK();
}

void MemoryDns::AddTxt(std::string_view name, std::vector<std::string> strings) {
  DnsRecord record;
  record.type = RecordType::kTxt;
  record.texts = std::move(strings);
  Add(name, std::move(record));
}

void MemoryDns::AddMx(std::string_view name, uint16_t preference, std::string_view exchange) {
  DnsRecord record;
  record.type = RecordType::kMx;
  record.preference = preference;
  record.target = exchange.empty() ? "." : Target(exchange);
  Add(name, std::move(record));
}

void MemoryDns::AddPtr(std::string_view name, std::string_view target) {
  DnsRecord record;
  record.type = RecordType::kPtr;
  record.target = Target(target);
  Add(name, std::move(record));
}

void MemoryDns::AddCname(std::string_view name, std::string_view target) {
  Node& node = NodeFor(name);
  node.cname = NormalizeDnsName(target);
  if (!node.timeout) node.answered_types.insert(RecordType::kCname);
  node.answers.Drop(TypeSlot(RecordType::kCname));
}

void MemoryDns::AddTimeout(std::string_view name) { NodeFor(name).timeout = true; }

const MemoryDns::Node* MemoryDns::Find(std::string_view name) const {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty()) name = ".";  // the root, as NormalizeDnsName spells it
  return FindKey(name);
}

const MemoryDns::Node* MemoryDns::FindKey(std::string_view key) const {
  if (slots_.empty()) return nullptr;
  uint64_t hash = HashName(key);
  size_t mask = slots_.size() - 1;
  for (size_t pos = hash & mask;; pos = (pos + 1) & mask) {
    uint32_t slot = slots_[pos];
    if (slot == 0) return nullptr;
    const Node& node = nodes_[slot - 1];
    if (node.hash == hash && EqualsIgnoreCase(node.name, key)) return &node;
  }
}

size_t MemoryDns::TypeSlot(RecordType type) {
  switch (type) {
    case RecordType::kA:
      return 0;
    case RecordType::kCname:
      return 1;
    case RecordType::kPtr:
      return 2;
    case RecordType::kMx:
      return 3;
    case RecordType::kTxt:
      return 4;
    case RecordType::kAaaa:
      return 5;
  }
  return 0;
}

const DnsAnswer& MemoryDns::NodeAnswer(const Node& node, RecordType type) {
  std::optional<DnsAnswer>& slot = node.answers[TypeSlot(type)];
  if (slot) return *slot;
  DnsAnswer& answer = slot.emplace();
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

DnsAnswer MemoryDns::Lookup(std::string_view name, RecordType type) {
  DnsAnswer scratch;
  const DnsAnswer& answer = LookupRef(name, type, scratch);
  if (&answer == &scratch) return scratch;
  return answer;
}

const DnsAnswer& MemoryDns::LookupRef(std::string_view name, RecordType type, DnsAnswer& scratch) {
  ++lookups_;
  std::string_view current = name;
  // CNAME hops taken; a chain longer than 16 or revisiting a name is a loop.
  std::array<const Node*, 17> seen;
  size_t hops = 0;
  while (true) {
    const Node* found = Find(current);
    if (found == nullptr) {
      scratch = DnsAnswer();
      scratch.canonical_name = NormalizeDnsName(current);
      bool error_name = timeout_error_names_ && scratch.canonical_name.rfind("error.", 0) == 0;
      scratch.outcome = error_name ? DnsOutcome::kTimeout : DnsOutcome::kNxDomain;
      return scratch;
    }
    const Node& node = *found;
    if (node.timeout && !node.answered_types.count(type) &&
        !(node.answered_types.count(RecordType::kCname) && type != RecordType::kCname)) {
      scratch = DnsAnswer();
      scratch.outcome = DnsOutcome::kTimeout;
      scratch.error = "timeout (zone data)";
      return scratch;
    }
    if (!node.cname.empty() && type != RecordType::kCname) {
      bool loop = hops == 16;
      for (size_t i = 0; i < hops && !loop; ++i) loop = seen[i] == &node;
      if (loop) {
        scratch = DnsAnswer();
        scratch.outcome = DnsOutcome::kServFail;
        scratch.error = "CNAME loop";
        return scratch;
      }
      seen[hops++] = &node;
      current = node.cname;
      continue;
    }
    return NodeAnswer(node, type);
  }
}

}  // namespace mailrep
