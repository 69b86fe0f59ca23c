// libFuzzer target: the input is a program of sketch operations (add a key
// with a weight, merge one side into the other, clear, check), run on two
// small SpaceSavings and two HyperLogLogs (precisions 4..12, so merges cross
// precisions) beside exact counts and item sets. Any broken bound of
// space_saving.h, a broken index or heap (a key just added and not found), or
// HyperLogLog registers that differ from one sketch of every item seen aborts.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "collectors/sketch/hyperloglog.h"
#include "collectors/sketch/space_saving.h"

namespace mailrep {
namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

// Each side: a sketch and the exact weights of the keys it has seen.
struct Side {
  explicit Side(size_t capacity, size_t max_key) : sketch(capacity, max_key) {}
  SpaceSaving sketch;
  std::map<std::string, uint64_t> exact;
};

void CheckContract(const Side& side) {
  const SpaceSaving& s = side.sketch;
  uint64_t total = 0;
  for (const auto& [key, weight] : side.exact) total += weight;
  Check(s.total() == total);
  Check(s.size() <= s.capacity());
  Check(s.absent_bound() * s.capacity() <= total);
  for (const auto& [key, weight] : side.exact) {
    SpaceSaving::Estimate e = s.Find(key);
    if (e.monitored) {
      Check(weight <= e.count && e.count - e.error <= weight);
      Check(e.error <= s.absent_bound());
    } else {
      Check(weight <= s.absent_bound());
    }
  }
  for (const HeavyHitter& h : s.Top(s.capacity())) {
    Check(s.Find(h.key).monitored);
    auto it = side.exact.find(h.key);
    Check(it != side.exact.end() || h.count == h.error);
  }
}

}  // namespace
}  // namespace mailrep

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using mailrep::Check;
  using mailrep::HyperLogLog;
  if (size < 2) return 0;
  const size_t capacity = 1 + data[0] % 16;
  const size_t max_key = 1 + data[1] % 8;
  mailrep::Side sides[2] = {mailrep::Side(capacity, max_key), mailrep::Side(capacity, max_key)};
  HyperLogLog hll[2] = {HyperLogLog(4 + data[0] % 9), HyperLogLog(4 + data[1] % 9)};
  std::set<std::string> items[2];  // what each HyperLogLog has seen
  size_t i = 2;
  while (i < size) {
    uint8_t op = data[i++];
    size_t side = op & 1, other = 1 - side;
    switch ((op >> 1) % 4) {
      case 0: {  // add: a length byte, the key, a weight byte
        size_t length = 0;
        if (i < size) {
          length = data[i] % 12;
          ++i;
          length = std::min(length, size - i);
        }
        std::string key(reinterpret_cast<const char*>(data + i), length);
        i += length;
        uint64_t weight = i < size ? data[i++] % 8 : 1;
        sides[side].sketch.Add(key, weight);
        if (weight > 0) {
          sides[side].exact[key.substr(0, max_key)] += weight;
          Check(sides[side].sketch.Find(key).monitored);
        }
        hll[side].Add(key);
        items[side].insert(key);
        break;
      }
      case 1:  // merge the other side into this one
        sides[side].sketch.Merge(sides[other].sketch);
        for (const auto& [key, weight] : sides[other].exact) sides[side].exact[key] += weight;
        hll[side].Merge(hll[other]);
        items[side].insert(items[other].begin(), items[other].end());
        break;
      case 2:
        sides[side].sketch.Clear();
        sides[side].exact.clear();
        hll[side].Clear();
        items[side].clear();
        break;
      default:
        mailrep::CheckContract(sides[side]);
        break;
    }
  }
  for (size_t side = 0; side < 2; ++side) {
    mailrep::CheckContract(sides[side]);
    // Merged or not, the registers are those of one sketch of every item seen.
    HyperLogLog want(hll[side].precision());
    for (const std::string& item : items[side]) want.Add(item);
    for (uint32_t r = 0; r < (uint32_t{1} << want.precision()); ++r) {
      Check(hll[side].Register(r) == want.Register(r));
    }
    double estimate = hll[side].Estimate();
    Check(estimate >= 0 && estimate <= 1e20);
  }
  return 0;
}
