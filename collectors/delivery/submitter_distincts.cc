#include "collectors/delivery/submitter_distincts.h"

#include <algorithm>
#include <bit>
#include <utility>

namespace mailrep {

bool SubmitterDistincts::Touch(uint64_t key, uint64_t messages) {
  if (Entry* e = Find(key)) {
    e->messages += messages;
    return true;
  }
  if (entries_.size() >= kMaxKeys) {
    if (messages < floor_) return false;
    Prune();
  }
  // Doubling would pass kMaxKeys by far: one step to it.
  if (entries_.size() == entries_.capacity() && entries_.size() >= kKeep) {
    entries_.reserve(kMaxKeys);
  }
  entries_.emplace_back();
  Entry& e = entries_.back();
  e.key = key;
  e.messages = messages;
  if (entries_.size() * 2 > index_.size()) {
    Reindex();
  } else {
    size_t mask = index_.size() - 1;
    size_t i = key & mask;
    while (index_[i] != 0) i = (i + 1) & mask;
    index_[i] = static_cast<uint32_t>(entries_.size());
  }
  return true;
}

SubmitterDistincts::Entry* SubmitterDistincts::Find(uint64_t key) {
  return const_cast<Entry*>(std::as_const(*this).Find(key));
}

const SubmitterDistincts::Entry* SubmitterDistincts::Find(uint64_t key) const {
  if (index_.empty()) return nullptr;
  size_t mask = index_.size() - 1;
  for (size_t i = key & mask; index_[i] != 0; i = (i + 1) & mask) {
    const Entry& e = entries_[index_[i] - 1];
    if (e.key == key) return &e;
  }
  return nullptr;
}

void SubmitterDistincts::Prune() {
  auto keep = entries_.begin() + static_cast<ptrdiff_t>(kKeep);
  std::nth_element(entries_.begin(), keep, entries_.end(), [](const Entry& a, const Entry& b) {
    return a.messages != b.messages ? a.messages > b.messages : a.key < b.key;
  });
  floor_ = UINT64_MAX;
  for (auto it = entries_.begin(); it != keep; ++it) floor_ = std::min(floor_, it->messages);
  entries_.erase(keep, entries_.end());
  Reindex();
}

void SubmitterDistincts::Reindex() {
  index_.assign(std::bit_ceil(std::max<size_t>(16, entries_.size() * 2 + 2)), 0);
  size_t mask = index_.size() - 1;
  for (size_t e = 0; e < entries_.size(); ++e) {
    size_t i = entries_[e].key & mask;
    while (index_[i] != 0) i = (i + 1) & mask;
    index_[i] = static_cast<uint32_t>(e + 1);
  }
}

void SubmitterDistincts::Clear() {
  floor_ = 0;
  std::vector<Entry>().swap(entries_);
  std::vector<uint32_t>().swap(index_);
}

size_t SubmitterDistincts::MemoryBytes() const {
  size_t bytes = sizeof(*this) + index_.capacity() * sizeof(uint32_t) +
                 (entries_.capacity() - entries_.size()) * sizeof(Entry);
  for (const Entry& e : entries_) {
    bytes += sizeof(Entry) - 2 * sizeof(HyperLogLog) + e.client_ips.MemoryBytes() +
             e.recipient_domains.MemoryBytes();
  }
  return bytes;
}

}  // namespace mailrep
