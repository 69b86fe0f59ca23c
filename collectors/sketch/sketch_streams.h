// Generated streams for the sketch tests and sketch_benchmark: Zipf-distributed
// key indices from a fixed seed, submitter-shaped key names, and the exact
// counts to compare a sketch with. Deterministic: the same arguments give the
// same stream on every machine (std::mt19937_64 is specified bit for bit, and
// the Zipf draw is ours, not a library distribution).
//
// Test and benchmark code only; not thread-safe (each user owns its objects).
#ifndef MAILREP_COLLECTORS_SKETCH_SKETCH_STREAMS_H_
#define MAILREP_COLLECTORS_SKETCH_SKETCH_STREAMS_H_

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "collectors/sketch/space_saving.h"

namespace mailrep {

// Draws key indices 0..n-1 with P(i) proportional to 1 / (i + 1)^s: index 0
// is the heaviest.
class ZipfKeys {
 public:
  ZipfKeys(size_t keys, double s);
  size_t Draw(std::mt19937_64& rng) const;
  // The expected share of index i.
  double Probability(size_t i) const;

 private:
  std::vector<double> cdf_;
};

// `length` draws from ZipfKeys(keys, s) with std::mt19937_64(seed).
std::vector<uint32_t> ZipfStream(size_t keys, double s, size_t length, uint64_t seed);

// A key name of a submitter's shape ("sasl:mailbox0042@customer17.example"
// and a few other forms), distinct for each index.
std::string SubmitterName(size_t index);

// Exact weights per key: the anchor a sketch is compared with.
class ExactCounter {
 public:
  void Add(std::string_view key, uint64_t weight = 1);
  uint64_t Count(std::string_view key) const;
  // The k largest, largest first; ties by key.
  std::vector<std::pair<std::string, uint64_t>> Top(size_t k) const;
  size_t size() const { return counts_.size(); }

 private:
  std::unordered_map<std::string, uint64_t> counts_;
};

// How a sketch's top k compares with the exact top k.
struct TopComparison {
  size_t k = 0;                  // how many were compared (min of k and both sizes)
  size_t rank_mismatches = 0;    // positions whose key's true count differs from the exact
                                 // count at that position (ties may swap freely)
  size_t set_misses = 0;         // exact top-k keys absent from the sketch's top k (not
                                 // counting those tied with the (k+1)-th)
  double max_count_error = 0;    // max |count - true| / true over the sketch's top k
  uint64_t max_error_bound = 0;  // the largest `error` the sketch reported among them
  bool bounds_hold = true;       // every reported key had count - error <= true <= count
};
TopComparison CompareTop(const std::vector<HeavyHitter>& sketch, const ExactCounter& exact,
                         size_t k);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_SKETCH_SKETCH_STREAMS_H_
