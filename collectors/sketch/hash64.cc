#include "collectors/sketch/hash64.h"

#include <bit>
#include <cstring>

namespace mailrep {
namespace {

// Odd constants with well-mixed bits (the 64-bit golden ratio, and the one
// MurmurHash3 uses for its second lane); they spread the seed and the length.
constexpr uint64_t kGolden = 0x9e3779b97f4a7c15ULL;
constexpr uint64_t kLengthMul = 0xc2b2ae3d27d4eb4fULL;

// The n <= 8 bytes at p as a little-endian word, zero-padded above.
uint64_t LoadLittleEndian(const char* p, size_t n) {
  uint64_t word = 0;
  std::memcpy(&word, p, n);
  if constexpr (std::endian::native == std::endian::big) word = __builtin_bswap64(word);
  return word;
}

}  // namespace

uint64_t Hash64(std::string_view bytes, uint64_t seed) {
  const char* p = bytes.data();
  size_t left = bytes.size();
  uint64_t state = seed ^ kGolden ^ (static_cast<uint64_t>(bytes.size()) * kLengthMul);
  for (; left >= 8; p += 8, left -= 8) state = Mix64(state ^ LoadLittleEndian(p, 8));
  if (left > 0) state = Mix64(state ^ LoadLittleEndian(p, left));
  return Mix64(state + kGolden);
}

}  // namespace mailrep
