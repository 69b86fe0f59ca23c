// HyperLogLog: how many distinct items a stream holds (client IPs per login,
// recipient domains per submitter), in bounded memory (Flajolet, Fusy,
// Gandouet, Meunier, 2007).
//
// Each item is hashed to 64 bits (Hash64, or the caller's own 64-bit hash
// through AddHash). The top p bits pick one of m = 2^p registers; the register
// keeps the largest "rank" seen, 1 + the number of leading zeros of the other
// 64 - p bits. The estimate is Ertl's improved estimator over the histogram
// of register values (O. Ertl, "New cardinality estimation algorithms for
// HyperLogLog sketches", 2017): unbiased from 0 to far beyond 10^9 items with
// no empirical bias tables and no switch to linear counting. Its relative
// standard error is about 1.04 / sqrt(m): p = 12 (the default) gives 1.6 %,
// p = 14 0.8 %, p = 10 3.3 %; RelativeStandardError() says it. Small counts
// err less: only items sharing a register blur them (about 1 % at m / 10
// items, a fraction of an item below m / 100).
//
// Representation: sparse while few registers are set, a sorted list of
// (register, value) pairs of 4 bytes each; dense, one byte per register
// (2^p bytes: 4 KiB at p = 12), once the list would pass 2^p / 8 bytes.
// Both give the same estimate for the same registers. A login seen from 3
// addresses costs 12 bytes of registers.
//
// Merge is the register-wise maximum: merging sketches of two streams equals
// the sketch of the concatenated stream, register for register, whatever the
// order. Sketches of different precisions merge at the lower one (a register
// of the finer sketch folds exactly into the coarser one).
//
// Cost: Add is O(1) dense and O(2^p / 32) at worst while sparse (a sorted
// insert); Estimate is O(m) dense, O(set registers) sparse, plus a few dozen
// floating-point steps.
//
// Not thread-safe: callers serialize access (const methods may run together).
#ifndef MAILREP_COLLECTORS_SKETCH_HYPERLOGLOG_H_
#define MAILREP_COLLECTORS_SKETCH_HYPERLOGLOG_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "exporter/util/status.h"

namespace mailrep {

class HyperLogLog {
 public:
  static constexpr int kDefaultPrecision = 12;
  static constexpr int kMinPrecision = 4;
  static constexpr int kMaxPrecision = 18;

  // InvalidArgument unless kMinPrecision <= precision <= kMaxPrecision: for
  // callers that take it from config.
  static Status CheckPrecision(int precision);

  // `precision` must pass CheckPrecision (an out-of-range value is clamped).
  explicit HyperLogLog(int precision = kDefaultPrecision);

  // Adds one item: its bytes are hashed with Hash64 (seed 0).
  void Add(std::string_view item);
  // Adds one item by its 64-bit hash, which must be well mixed in all bits.
  void AddHash(uint64_t hash);

  // The estimated number of distinct items added (and merged).
  double Estimate() const;

  // Folds `other` in: afterwards this sketch is what one sketch would hold
  // after both streams. When the precisions differ, the result has the lower.
  void Merge(const HyperLogLog& other);

  // Forgets everything; back to an empty sparse list.
  void Clear();

  int precision() const { return precision_; }
  // 1.04 / sqrt(2^precision).
  double RelativeStandardError() const;
  bool sparse() const { return dense_.empty(); }
  // The value of register `index` (< 2^precision); for tests.
  uint8_t Register(uint32_t index) const;
  // Heap bytes held plus the object itself.
  size_t MemoryBytes() const;

 private:
  // A sparse entry: register index << 8 | value; sorted by index.
  static uint32_t Entry(uint32_t index, uint8_t value) { return index << 8 | value; }
  void SetMax(uint32_t index, uint8_t value);
  void ToDense();
  // This sketch's registers folded to a lower precision.
  HyperLogLog ReducedTo(int precision) const;

  int precision_;
  std::vector<uint32_t> sparse_;
  std::vector<uint8_t> dense_;  // empty while sparse
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_SKETCH_HYPERLOGLOG_H_
