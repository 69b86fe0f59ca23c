#include "collectors/dnsbl/rbldnsd_ip4set.h"

#include <algorithm>

namespace mailrep {
namespace {

// Exclusions (value 0xFFFFFFFF) sort before any listing of the same key.
uint32_t SortValue(uint32_t value) { return value + 1; }

}  // namespace

void RbldnsdIp4Set::AddBlocks(int level, uint32_t key, uint32_t count, uint32_t value) {
  std::vector<Entry>& entries = levels_[level];
  for (uint32_t i = 0; i < count; ++i) entries.push_back({key + i, value});
}

void RbldnsdIp4Set::Add(uint32_t first, uint32_t last, uint32_t value) {
  // `a` and `b` count units of the current level (addresses, then /24s, ...).
  uint32_t a = first;
  uint32_t b = last;
  for (int level = 0; level < 3; ++level) {
    if ((a | 255u) >= b) {  // what is left lies inside one block of the next level
      if (b - a == 255u) {
        AddBlocks(level + 1, a >> 8, 1, value);  // all of it
      } else {
        AddBlocks(level, a, b - a + 1, value);
      }
      return;
    }
    if (a & 255u) {  // a partial block at the start
      AddBlocks(level, a, 256u - (a & 255u), value);
      a = (a >> 8) + 1;
    } else {
      a >>= 8;
    }
    if ((b & 255u) != 255u) {  // a partial block at the end
      AddBlocks(level, b & ~255u, (b & 255u) + 1, value);
      b = (b >> 8) - 1;
    } else {
      b >>= 8;
    }
  }
  AddBlocks(3, a, b - a + 1, value);
}

void RbldnsdIp4Set::Finish() {
  for (std::vector<Entry>& entries : levels_) {
    std::sort(entries.begin(), entries.end(), [](const Entry& x, const Entry& y) {
      return x.key != y.key ? x.key < y.key : SortValue(x.value) < SortValue(y.value);
    });
    entries.erase(std::unique(entries.begin(), entries.end(),
                              [](const Entry& x, const Entry& y) {
                                return x.key == y.key && x.value == y.value;
                              }),
                  entries.end());
    entries.shrink_to_fit();
  }
}

void RbldnsdIp4Set::Find(uint32_t address, std::vector<uint32_t>* values) const {
  for (int level = 0; level < 4; ++level) {
    const std::vector<Entry>& entries = levels_[level];
    if (entries.empty()) continue;
    uint32_t key = address >> (8 * level);
    auto it = std::lower_bound(entries.begin(), entries.end(), key,
                               [](const Entry& e, uint32_t k) { return e.key < k; });
    if (it == entries.end() || it->key != key) continue;
    if (it->value == 0xFFFFFFFFu) return;  // excluded at the deciding level
    for (; it != entries.end() && it->key == key; ++it) values->push_back(it->value);
    return;
  }
}

size_t RbldnsdIp4Set::stored() const {
  size_t n = 0;
  for (const std::vector<Entry>& entries : levels_) n += entries.size();
  return n;
}

size_t RbldnsdIp4Set::MemoryBytes() const {
  size_t n = 0;
  for (const std::vector<Entry>& entries : levels_) n += entries.capacity() * sizeof(Entry);
  return n;
}

void RbldnsdIp4TSet::Finish() {
  std::sort(addresses_.begin(), addresses_.end());
  addresses_.erase(std::unique(addresses_.begin(), addresses_.end()), addresses_.end());
  addresses_.shrink_to_fit();
}

bool RbldnsdIp4TSet::Contains(uint32_t address) const {
  return std::binary_search(addresses_.begin(), addresses_.end(), address);
}

}  // namespace mailrep
