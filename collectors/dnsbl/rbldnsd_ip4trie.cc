#include "collectors/dnsbl/rbldnsd_ip4trie.h"

#include <algorithm>

#include "collectors/dnsbl/rbldnsd_ip4.h"

namespace mailrep {

void RbldnsdIp4Trie::Add(uint32_t network, int bits, uint32_t value, uint64_t line) {
  pending_[bits].push_back({network, value, line});
}

void RbldnsdIp4Trie::Finish(
    const std::function<void(uint64_t line, uint32_t network, int bits)>& duplicate) {
  lengths_.clear();
  for (int bits = 32; bits >= 0; --bits) {
    std::vector<Pending>& pending = pending_[bits];
    if (pending.empty()) continue;
    std::stable_sort(pending.begin(), pending.end(),
                     [](const Pending& x, const Pending& y) { return x.network < y.network; });
    std::vector<Entry>& entries = by_length_[bits];
    entries.reserve(pending.size());
    for (const Pending& p : pending) {
      if (!entries.empty() && entries.back().network == p.network) {
        if (duplicate) duplicate(p.line, p.network, bits);
        continue;
      }
      entries.push_back({p.network, p.value});
    }
    entries.shrink_to_fit();
    std::vector<Pending>().swap(pending);
    lengths_.push_back(bits);
  }
}

std::optional<uint32_t> RbldnsdIp4Trie::Find(uint32_t address) const {
  for (int bits : lengths_) {
    const std::vector<Entry>& entries = by_length_[bits];
    uint32_t network = address & Ip4Mask(bits);
    auto it = std::lower_bound(entries.begin(), entries.end(), network,
                               [](const Entry& e, uint32_t n) { return e.network < n; });
    if (it == entries.end() || it->network != network) continue;
    if (it->value == 0xFFFFFFFFu) return std::nullopt;
    return it->value;
  }
  return std::nullopt;
}

size_t RbldnsdIp4Trie::stored() const {
  size_t n = 0;
  for (const std::vector<Entry>& entries : by_length_) n += entries.size();
  return n;
}

size_t RbldnsdIp4Trie::MemoryBytes() const {
  size_t n = 0;
  for (const std::vector<Entry>& entries : by_length_) n += entries.capacity() * sizeof(Entry);
  return n;
}

}  // namespace mailrep
