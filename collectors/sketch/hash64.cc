#include "collectors/sketch/hash64.h"

#include <bit>
#include <cstring>

namespace mailrep {
namespace {

// Odd constants with well-mixed bits: the 64-bit golden ratio, MurmurHash3's
// second lane constant and the two multipliers of Mix64.
constexpr uint64_t kGolden = 0x9e3779b97f4a7c15ULL;
constexpr uint64_t kLengthMul = 0xc2b2ae3d27d4eb4fULL;
constexpr uint64_t kLaneA = 0xbf58476d1ce4e5b9ULL;
constexpr uint64_t kLaneB = 0x94d049bb133111ebULL;

uint64_t Load64(const char* p) {
  uint64_t word;
  std::memcpy(&word, p, 8);
  if constexpr (std::endian::native == std::endian::big) word = __builtin_bswap64(word);
  return word;
}

uint64_t Load32(const char* p) {
  uint32_t word;
  std::memcpy(&word, p, 4);
  if constexpr (std::endian::native == std::endian::big) word = __builtin_bswap32(word);
  return word;
}

// The 128-bit product of a and b, its two halves xor-ed together.
uint64_t FoldedMultiply(uint64_t a, uint64_t b) {
  unsigned __int128 product = static_cast<unsigned __int128>(a) * b;
  return static_cast<uint64_t>(product) ^ static_cast<uint64_t>(product >> 64);
}

}  // namespace

uint64_t Hash64(std::string_view bytes, uint64_t seed) {
  const char* p = bytes.data();
  size_t left = bytes.size();
  uint64_t state = seed ^ kGolden ^ (static_cast<uint64_t>(left) * kLengthMul);
  for (; left > 16; p += 16, left -= 16) {
    state = FoldedMultiply(Load64(p) ^ kLaneA ^ state, Load64(p + 8) ^ kLaneB);
  }
  // The last 1..16 bytes as two words, read so that every byte lands in one
  // (the reads overlap when there are fewer than 16; the length, absorbed
  // above, tells the cases apart).
  uint64_t a = 0, b = 0;
  if (left > 8) {
    a = Load64(p);
    b = Load64(p + left - 8);
  } else if (left >= 4) {
    a = Load32(p) << 32 | Load32(p + left - 4);
  } else if (left > 0) {
    a = static_cast<uint64_t>(static_cast<unsigned char>(p[0])) << 16 |
        static_cast<uint64_t>(static_cast<unsigned char>(p[left / 2])) << 8 |
        static_cast<unsigned char>(p[left - 1]);
  }
  state = FoldedMultiply(a ^ kLaneA ^ state, b ^ kLaneB);
  return Mix64(state + kGolden);
}

}  // namespace mailrep
