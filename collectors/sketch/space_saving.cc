#include "collectors/sketch/space_saving.h"

#include <algorithm>
#include <bit>
#include <string>
#include <utility>

#include "collectors/sketch/hash64.h"

namespace mailrep {
namespace {

constexpr size_t kMinIndexSize = 16;

// Orders largest count first; ties by smaller error, then key, so that Top()
// and merges do not depend on the order of the counters.
template <typename T>
bool RanksBefore(const T& a, const T& b) {
  if (a.count != b.count) return a.count > b.count;
  if (a.error != b.error) return a.error < b.error;
  return a.key < b.key;
}

}  // namespace

// One key while merging: the sums over the parts that monitor it, and the sum
// of those parts' absent bounds (the others are added at the end).
struct SpaceSaving::Candidate {
  std::string_view key;
  uint64_t hash;
  uint64_t count;
  uint64_t error;
  uint64_t covered;    // sum of absent_bound() of the parts that monitor it
  uint32_t last_part;  // the last part counted in `covered`
};

Status SpaceSaving::CheckOptions(size_t capacity, size_t max_key_bytes) {
  if (capacity < 1 || capacity > kMaxCapacity) {
    return Status::InvalidArgument("heavy-hitters capacity must be between 1 and " +
                                   std::to_string(kMaxCapacity) + ", not " +
                                   std::to_string(capacity));
  }
  if (max_key_bytes < 1) {
    return Status::InvalidArgument("heavy-hitters key length cap must be at least 1");
  }
  return Status::OK();
}

SpaceSaving::SpaceSaving(size_t capacity, size_t max_key_bytes)
    : capacity_(std::clamp<size_t>(capacity, 1, kMaxCapacity)),
      max_key_bytes_(std::max<size_t>(max_key_bytes, 1)) {}

void SpaceSaving::Add(std::string_view key, uint64_t weight) {
  if (weight == 0) return;
  if (key.size() > max_key_bytes_) key = key.substr(0, max_key_bytes_);
  total_ += weight;
  uint64_t hash = Hash64(key);
  if (uint32_t* entry = FindIndexEntry(key, hash); *entry != kEmpty) {
    uint32_t pos = slots_[*entry].heap_pos;
    heap_[pos].count += weight;
    SiftDown(pos);
    return;
  }
  if (slots_.size() < capacity_) {
    uint32_t s = static_cast<uint32_t>(slots_.size());
    slots_.push_back({std::string(key), hash, 0, static_cast<uint32_t>(heap_.size())});
    heap_.push_back({weight, s});
    IndexInsert(s);
    SiftUp(static_cast<uint32_t>(heap_.size() - 1));
    return;
  }
  // Take over the counter with the smallest count.
  uint32_t victim = heap_[0].slot;
  IndexErase(victim);
  Slot& slot = slots_[victim];
  uint64_t smallest = heap_[0].count;
  absent_bound_ = std::max(absent_bound_, smallest);
  slot.error = smallest;
  slot.key.assign(key);
  slot.hash = hash;
  IndexInsert(victim);
  heap_[0].count = smallest + weight;
  SiftDown(0);
}

SpaceSaving::Estimate SpaceSaving::Find(std::string_view key) const {
  if (key.size() > max_key_bytes_) key = key.substr(0, max_key_bytes_);
  size_t slot = FindSlot(key, Hash64(key));
  if (slot == slots_.size()) return {absent_bound_, absent_bound_, false};
  return {CountOf(slots_[slot]), slots_[slot].error, true};
}

std::vector<HeavyHitter> SpaceSaving::Top(size_t k) const {
  struct Ranked {
    std::string_view key;
    uint64_t count;
    uint64_t error;
  };
  std::vector<Ranked> all;
  all.reserve(slots_.size());
  for (const Slot& slot : slots_) all.push_back({slot.key, CountOf(slot), slot.error});
  size_t n = std::min(k, all.size());
  std::partial_sort(all.begin(), all.begin() + static_cast<ptrdiff_t>(n), all.end(),
                    RanksBefore<Ranked>);
  // Everything outside the top n is at most `outside`.
  uint64_t outside = absent_bound_;
  for (size_t i = n; i < all.size(); ++i) outside = std::max(outside, all[i].count);
  std::vector<HeavyHitter> top;
  top.reserve(n);
  uint64_t min_lower_above = UINT64_MAX;
  for (size_t i = 0; i < n; ++i) {
    HeavyHitter h{std::string(all[i].key), all[i].count, all[i].error};
    uint64_t below = i + 1 < n ? std::max(all[i + 1].count, outside) : outside;
    h.in_top_guaranteed = h.lower_bound() >= outside;
    h.rank_guaranteed = min_lower_above >= h.count && h.lower_bound() >= below;
    min_lower_above = std::min(min_lower_above, h.lower_bound());
    top.push_back(std::move(h));
  }
  return top;
}

void SpaceSaving::Merge(const SpaceSaving& other) {
  const SpaceSaving* others[] = {&other};
  MergeAll(others);
}

void SpaceSaving::MergeAll(std::span<const SpaceSaving* const> others) {
  std::vector<const SpaceSaving*> parts = {this};
  parts.insert(parts.end(), others.begin(), others.end());
  size_t counters = 0;
  uint64_t total = 0, bounds = 0;
  for (const SpaceSaving* part : parts) {
    counters += part->slots_.size();
    total += part->total_;
    bounds += part->absent_bound_;
  }
  // The union of the keys, in a local open-addressing table.
  std::vector<Candidate> candidates;
  candidates.reserve(counters);
  std::vector<uint32_t> table(std::bit_ceil(std::max(kMinIndexSize, 2 * counters)), kEmpty);
  const size_t mask = table.size() - 1;
  for (uint32_t p = 0; p < parts.size(); ++p) {
    const SpaceSaving& part = *parts[p];
    for (const Slot& slot : part.slots_) {
      // A key longer than this sketch keeps is cut; several may become one.
      std::string_view key = std::string_view(slot.key).substr(0, max_key_bytes_);
      uint64_t hash = key.size() == slot.key.size() ? slot.hash : Hash64(key);
      size_t i = hash & mask;
      while (table[i] != kEmpty &&
             (candidates[table[i]].hash != hash || candidates[table[i]].key != key)) {
        i = (i + 1) & mask;
      }
      if (table[i] == kEmpty) {
        table[i] = static_cast<uint32_t>(candidates.size());
        candidates.push_back({key, hash, 0, 0, 0, UINT32_MAX});
      }
      Candidate& c = candidates[table[i]];
      c.count += part.CountOf(slot);
      c.error += slot.error;
      if (c.last_part != p) {
        c.covered += part.absent_bound_;
        c.last_part = p;
      }
    }
  }
  // Each part that does not monitor a key says it is at most its bound.
  for (Candidate& c : candidates) {
    c.count += bounds - c.covered;
    c.error += bounds - c.covered;
  }
  uint64_t bound = bounds;
  if (candidates.size() > capacity_) {
    auto nth = candidates.begin() + static_cast<ptrdiff_t>(capacity_);
    std::nth_element(candidates.begin(), nth, candidates.end(), RanksBefore<Candidate>);
    for (auto it = nth; it != candidates.end(); ++it) bound = std::max(bound, it->count);
    candidates.resize(capacity_);
  }
  Rebuild(candidates, total, bound);
}

void SpaceSaving::Rebuild(const std::vector<Candidate>& candidates, uint64_t total,
                          uint64_t bound) {
  // The candidates' keys may point into slots_: build aside, then swap.
  std::vector<Slot> slots;
  std::vector<HeapEntry> heap;
  slots.reserve(candidates.size());
  heap.reserve(candidates.size());
  for (const Candidate& c : candidates) {
    uint32_t s = static_cast<uint32_t>(slots.size());
    slots.push_back({std::string(c.key), c.hash, c.error, s});
    heap.push_back({c.count, s});
  }
  slots_.swap(slots);
  heap_.swap(heap);
  total_ = total;
  absent_bound_ = bound;
  for (size_t i = heap_.size() / 2; i-- > 0;) SiftDown(static_cast<uint32_t>(i));
  RebuildIndex(std::bit_ceil(std::max(kMinIndexSize, 2 * slots_.size())));
}

void SpaceSaving::Clear() {
  total_ = 0;
  absent_bound_ = 0;
  std::vector<Slot>().swap(slots_);
  std::vector<HeapEntry>().swap(heap_);
  std::vector<uint32_t>().swap(index_);
}

size_t SpaceSaving::MemoryBytes() const {
  size_t bytes = sizeof(*this) + slots_.capacity() * sizeof(Slot) +
                 heap_.capacity() * sizeof(HeapEntry) + index_.capacity() * sizeof(uint32_t);
  const size_t inline_capacity = std::string().capacity();
  for (const Slot& slot : slots_) {
    if (slot.key.capacity() > inline_capacity) bytes += slot.key.capacity() + 1;
  }
  return bytes;
}

uint32_t* SpaceSaving::FindIndexEntry(std::string_view key, uint64_t hash) {
  if (index_.empty()) RebuildIndex(kMinIndexSize);
  size_t mask = index_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    uint32_t s = index_[i];
    if (s == kEmpty || (slots_[s].hash == hash && slots_[s].key == key)) return &index_[i];
  }
}

size_t SpaceSaving::FindSlot(std::string_view key, uint64_t hash) const {
  if (index_.empty()) return slots_.size();
  size_t mask = index_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    uint32_t s = index_[i];
    if (s == kEmpty) return slots_.size();
    if (slots_[s].hash == hash && slots_[s].key == key) return s;
  }
}

void SpaceSaving::IndexInsert(uint32_t slot) {
  if (slots_.size() * 2 > index_.size()) {
    RebuildIndex(std::max(kMinIndexSize, index_.size() * 2));  // indexes this slot too
    return;
  }
  size_t mask = index_.size() - 1;
  size_t i = slots_[slot].hash & mask;
  while (index_[i] != kEmpty) i = (i + 1) & mask;
  index_[i] = slot;
}

void SpaceSaving::IndexErase(uint32_t slot) {
  size_t mask = index_.size() - 1;
  size_t hole = slots_[slot].hash & mask;
  while (index_[hole] != slot) hole = (hole + 1) & mask;
  // Backward-shift deletion: move up each later entry of the probe run whose
  // home position does not lie cyclically in (hole, j].
  for (size_t j = (hole + 1) & mask; index_[j] != kEmpty; j = (j + 1) & mask) {
    size_t home = slots_[index_[j]].hash & mask;
    bool stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
    if (!stays) {
      index_[hole] = index_[j];
      hole = j;
    }
  }
  index_[hole] = kEmpty;
}

void SpaceSaving::RebuildIndex(size_t size) {
  index_.assign(size, kEmpty);
  size_t mask = size - 1;
  for (uint32_t s = 0; s < slots_.size(); ++s) {
    size_t i = slots_[s].hash & mask;
    while (index_[i] != kEmpty) i = (i + 1) & mask;
    index_[i] = s;
  }
}

void SpaceSaving::SiftUp(uint32_t pos) {
  HeapEntry entry = heap_[pos];
  while (pos > 0) {
    uint32_t parent = (pos - 1) / 2;
    if (heap_[parent].count <= entry.count) break;
    Place(pos, heap_[parent]);
    pos = parent;
  }
  Place(pos, entry);
}

void SpaceSaving::SiftDown(uint32_t pos) {
  const uint32_t n = static_cast<uint32_t>(heap_.size());
  HeapEntry entry = heap_[pos];
  for (;;) {
    uint32_t child = 2 * pos + 1;
    if (child >= n) break;
    if (child + 1 < n && heap_[child + 1].count < heap_[child].count) ++child;
    if (heap_[child].count >= entry.count) break;
    Place(pos, heap_[child]);
    pos = child;
  }
  Place(pos, entry);
}

}  // namespace mailrep
