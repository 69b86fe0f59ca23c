// SpaceSaving: the heavy hitters of a stream of weighted string keys in
// bounded memory (Metwally, Agrawal, El Abbadi, "Efficient computation of
// frequent and top-k elements in data streams", 2005, with weighted updates).
//
// It monitors at most `capacity` (m) keys, each with a count and an error.
// A key already monitored gains its weight. A new key takes a free counter, or
// when all m are in use it takes over the counter with the smallest count c:
// its count becomes c + weight and its error c (it may have been seen up to c
// times before, unmonitored). For N = total() (the sum of all weights):
//   - a monitored key's true weight lies in [count - error, count];
//   - error <= absent_bound() <= N / m, and absent_bound() bounds the true
//     weight of every key not monitored (0 until a counter was taken over,
//     i.e. while the counts are exact);
//   - so every key whose true weight exceeds N / m is monitored.
// On skewed streams (Zipf) the top keys are met early, while the counters are
// still exact, and are never taken over: their error stays near 0. A heavy key
// that arrives late starts with an error up to absent_bound() at that time.
//
// Keys are bytes, compared exactly. A key longer than max_key_bytes is cut to
// that length (keys sharing that prefix count as one). Keys up to 15 bytes live
// inside the counter; longer ones take one allocation of their length.
//
// Cost: Add is O(1) expected for a monitored key plus O(log m) to restore the
// min-heap of counts (an indexed binary heap; weights make the O(1) stream
// summary of the paper inapplicable). Memory: at most about 80 bytes per
// counter (key, hash, error, count, heap and index entries) plus the bytes of
// keys over 15 bytes (MemoryBytes() reports it: 115 KiB for m = 1024 and keys
// of ~30 bytes); an empty sketch holds nothing but itself. Top(k) is
// O(m log k); merging n counters in all is O(n) expected.
//
// Not thread-safe: callers serialize access (const methods may run together).
#ifndef MAILREP_COLLECTORS_SKETCH_SPACE_SAVING_H_
#define MAILREP_COLLECTORS_SKETCH_SPACE_SAVING_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/util/status.h"

namespace mailrep {

// One reported key. Its true weight lies in [count - error, count].
struct HeavyHitter {
  std::string key;
  uint64_t count = 0;  // an upper bound of the key's true weight
  uint64_t error = 0;  // count - error is a lower bound
  // The key certainly belongs to the top k asked for: its lower bound is at
  // least the upper bound of every key not among the k (ties may rank either
  // way). When all k are, the set is the exact top k.
  bool in_top_guaranteed = false;
  // Its rank too is certain: every key above has a lower bound >= its count,
  // and its lower bound is >= the count of every key below and of every key
  // not monitored.
  bool rank_guaranteed = false;

  uint64_t lower_bound() const { return count - error; }
};

class SpaceSaving {
 public:
  // Sized for the exporter's goal: the top 20 of 10,000 Zipf-distributed
  // submitters (s = 1.0 or more) exact in rank and within 1 % in count over
  // 1,000,000 updates (sketch_benchmark measures it; see the tests).
  static constexpr size_t kDefaultCapacity = 1024;
  static constexpr size_t kDefaultMaxKeyBytes = 128;
  static constexpr size_t kMaxCapacity = size_t{1} << 24;

  // InvalidArgument unless 1 <= capacity <= kMaxCapacity and max_key_bytes >= 1:
  // for callers that take the sizes from config.
  static Status CheckOptions(size_t capacity, size_t max_key_bytes);

  // The arguments must pass CheckOptions (out-of-range values are clamped).
  explicit SpaceSaving(size_t capacity = kDefaultCapacity,
                       size_t max_key_bytes = kDefaultMaxKeyBytes);

  // Adds `weight` (messages, recipients) to `key`. A zero weight is ignored.
  void Add(std::string_view key, uint64_t weight = 1);

  // What the sketch knows about one key: monitored, or not (then its true
  // weight is at most absent_bound(), reported as count = absent_bound(),
  // error = absent_bound()).
  struct Estimate {
    uint64_t count = 0;
    uint64_t error = 0;
    bool monitored = false;
  };
  Estimate Find(std::string_view key) const;

  // The k monitored keys with the largest counts, largest first; ties by
  // smaller error, then by key. Fewer when fewer are monitored.
  std::vector<HeavyHitter> Top(size_t k) const;

  // Folds `other` in, as if this sketch had seen both streams, keeping the
  // capacity of this one: each key's count and error are the sums of what
  // each side says of it (absent_bound() for a side that does not monitor
  // it), then the m largest counts stay and absent_bound() becomes the larger
  // of the sum of both bounds and the largest count dropped. When the other
  // sketch's capacity is at least this one's, every bound above keeps holding
  // with N the sum of both totals, over any number of merges (the invariant:
  // for any m' <= m counted keys, their counts plus (m - m') x absent_bound()
  // sum to at most N; it holds for one stream and survives each merge).
  // Merging sketches that never took a counter over, within capacity, is
  // exact. Merging a sketch into itself doubles it. Keys of `other` longer
  // than this sketch's max_key_bytes are cut first (and those that become one
  // key add up).
  void Merge(const SpaceSaving& other);
  // Merge with each of `others` at once: the same bounds, with keys dropped
  // once at the end rather than after each merge; one pass over all counters
  // (what Windowed uses to read a window).
  void MergeAll(std::span<const SpaceSaving* const> others);

  // Forgets every key and releases the counters' memory.
  void Clear();

  uint64_t total() const { return total_; }
  size_t size() const { return slots_.size(); }
  size_t capacity() const { return capacity_; }
  size_t max_key_bytes() const { return max_key_bytes_; }
  uint64_t absent_bound() const { return absent_bound_; }
  // Heap bytes held plus the object itself.
  size_t MemoryBytes() const;

 private:
  struct Slot {
    std::string key;
    uint64_t hash = 0;
    uint64_t error = 0;
    uint32_t heap_pos = 0;  // where its count is in heap_
  };
  // The counts live in the heap, beside the slot numbers, so that restoring
  // the heap reads one array.
  struct HeapEntry {
    uint64_t count;
    uint32_t slot;
  };
  struct Candidate;
  static constexpr uint32_t kEmpty = 0xffffffffu;

  // Index: open addressing with linear probing over slot numbers; a power-of-two
  // size at least twice the number of slots.
  uint32_t* FindIndexEntry(std::string_view key, uint64_t hash);
  size_t FindSlot(std::string_view key, uint64_t hash) const;  // slots_.size() if absent
  void IndexInsert(uint32_t slot);
  void IndexErase(uint32_t slot);
  void RebuildIndex(size_t size);
  // Heap: heap_[0] holds the smallest count.
  void SiftUp(uint32_t pos);
  void SiftDown(uint32_t pos);
  void Place(uint32_t pos, HeapEntry entry) {
    heap_[pos] = entry;
    slots_[entry.slot].heap_pos = pos;
  }
  uint64_t CountOf(const Slot& slot) const { return heap_[slot.heap_pos].count; }
  // Replaces the contents with `candidates` (at most capacity()).
  void Rebuild(const std::vector<Candidate>& candidates, uint64_t total, uint64_t bound);

  size_t capacity_;
  size_t max_key_bytes_;
  uint64_t total_ = 0;
  uint64_t absent_bound_ = 0;
  std::vector<Slot> slots_;
  std::vector<HeapEntry> heap_;
  std::vector<uint32_t> index_;  // slot numbers or kEmpty
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_SKETCH_SPACE_SAVING_H_
