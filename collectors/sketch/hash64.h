// Hash64: the 64-bit string hash of the sketches (HyperLogLog registers,
// Space-Saving's index). Not cryptographic and not keyed against an adversary
// who picks inputs to collide; its job is well-spread bits for random-looking
// inputs, fast on short keys (logins, addresses, domains).
//
// Construction (ours; no external code): the state starts from the seed and
// the length. Each 16-byte block (two little-endian words w0, w1) is absorbed
// as state = fold(w0 ^ A ^ state, w1 ^ B), where fold(x, y) xors the two
// halves of the 128-bit product x * y (one multiply per 16 bytes). The last
// 1..16 bytes are read as two words with overlapping loads (every byte lands
// in one; the length absorbed first tells the cases apart) and absorbed the
// same way. One Mix64 ends it: the bijective 64-bit finalizer of SplitMix64
// (two xor-shift-multiply rounds with the constants of David Stafford's
// "Mix13" variant of MurmurHash3's fmix64), so that every input bit flips each
// output bit with probability about 1/2, which the tests check. A block whose
// second word equals B loses what came before it: an input built to collide
// can, which is why this is no defence against chosen keys. Cost for a
// 35-byte key: three multiplies in a chain plus Mix64.
//
// Pure functions; thread-safe. The values are stable across runs and
// machines (nothing is seeded at random), so tests can pin them.
#ifndef MAILREP_COLLECTORS_SKETCH_HASH64_H_
#define MAILREP_COLLECTORS_SKETCH_HASH64_H_

#include <cstdint>
#include <string_view>

namespace mailrep {

// A bijection on 64-bit words with full avalanche (SplitMix64's finalizer).
// Mix64(0) == 0, so callers add a constant first when 0 is a likely input.
constexpr uint64_t Mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// The hash of `bytes` under `seed`; different seeds give independent-looking
// hashes of the same input.
uint64_t Hash64(std::string_view bytes, uint64_t seed = 0);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_SKETCH_HASH64_H_
