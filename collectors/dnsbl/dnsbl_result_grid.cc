#include "collectors/dnsbl/dnsbl_result_grid.h"

#include <utility>

namespace mailrep {

DnsblResultGrid::DnsblResultGrid(size_t targets, size_t lists)
    : lists_(lists), cells_(targets * lists, kNone) {}

std::string DnsblResultGrid::KeyOf(const DnsblResult& r) {
  // Fields joined with a byte that cannot occur in codes or meanings.
  std::string key;
  key += static_cast<char>('0' + static_cast<int>(r.verdict));
  key += static_cast<char>('0' + static_cast<int>(r.error));
  key += r.error_detail;
  for (const DnsblMatch& m : r.matches) {
    key += '\x01';
    key += static_cast<char>('0' + static_cast<int>(m.code_class));
    key += m.code;
    key += '\x02';
    key += m.meaning;
  }
  return key;
}

uint32_t DnsblResultGrid::Intern(const DnsblResult& result) {
  // Runs of equal results are the rule (a clean address answers the same on
  // every list): compare with the latest one before building a key.
  if (last_ < results_.size()) {
    const DnsblResult& last = results_[last_];
    if (last.verdict == result.verdict && last.error == result.error &&
        last.error_detail == result.error_detail && last.matches == result.matches) {
      return last_;
    }
  }
  auto [it, inserted] = index_.try_emplace(KeyOf(result), static_cast<uint32_t>(results_.size()));
  if (inserted) {
    DnsblResult& stored = results_.emplace_back(result);
    stored.ttl = 0;
  }
  last_ = it->second;
  return last_;
}

void DnsblResultGrid::Set(size_t target, size_t list, const DnsblResult& result) {
  cells_[target * lists_ + list] = Intern(result);
}

void DnsblResultGrid::CopyCell(size_t target, size_t list, const DnsblResultGrid& other,
                               size_t other_target, size_t other_list) {
  const DnsblResult* r = other.Get(other_target, other_list);
  if (r == nullptr) {
    Clear(target, list);
  } else {
    Set(target, list, *r);
  }
}

void DnsblResultGrid::Compact() {
  last_ = kNone;  // indexes change below
  std::vector<uint32_t> remap(results_.size(), kNone);
  for (uint32_t c : cells_) {
    if (c != kNone) remap[c] = 0;
  }
  std::vector<DnsblResult> kept;
  for (size_t i = 0; i < results_.size(); ++i) {
    if (remap[i] == kNone) continue;
    remap[i] = static_cast<uint32_t>(kept.size());
    kept.push_back(std::move(results_[i]));
  }
  if (kept.size() == results_.size()) {
    results_ = std::move(kept);
    return;
  }
  for (uint32_t& c : cells_) {
    if (c != kNone) c = remap[c];
  }
  results_ = std::move(kept);
  index_.clear();
  for (size_t i = 0; i < results_.size(); ++i) {
    index_.emplace(KeyOf(results_[i]), static_cast<uint32_t>(i));
  }
}

}  // namespace mailrep
