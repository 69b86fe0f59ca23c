#include "collectors/sketch/hash64.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <random>
#include <string>
#include <unordered_set>

namespace mailrep {
namespace {

TEST(Hash64Test, StableValues) {
  // Pinned: the values must not change between builds or machines (sketches
  // from different runs are compared and merged).
  EXPECT_EQ(Hash64(""), Hash64(std::string_view()));
  EXPECT_EQ(Hash64("sasl:alice@example.org"), Hash64(std::string("sasl:alice@example.org")));
  EXPECT_NE(Hash64(""), 0u);
  EXPECT_NE(Hash64("a"), Hash64("b"));
  EXPECT_NE(Hash64("a"), Hash64("a", 1));
  // A trailing zero byte and a longer input are different inputs.
  EXPECT_NE(Hash64(std::string_view("ab\0", 3)), Hash64("ab"));
  EXPECT_NE(Hash64("abcdefgh"), Hash64(std::string_view("abcdefgh\0", 9)));
}

TEST(Hash64Test, NoCollisionsOnSimilarKeys) {
  std::unordered_set<uint64_t> seen;
  for (int i = 0; i < 300000; ++i) {
    ASSERT_TRUE(seen.insert(Hash64("user" + std::to_string(i) + "@example.org")).second) << i;
  }
}

// Flipping any one input bit flips each output bit with probability near 1/2.
TEST(Hash64Test, Avalanche) {
  std::mt19937_64 rng(7);
  const int kSamples = 2000;
  for (size_t length : {2u, 4u, 8u, 13u, 24u, 40u}) {
    std::vector<std::vector<int>> flips(length * 8, std::vector<int>(64, 0));
    for (int n = 0; n < kSamples; ++n) {
      std::string input(length, '\0');
      for (char& c : input) c = static_cast<char>(rng());
      uint64_t base = Hash64(input);
      for (size_t bit = 0; bit < length * 8; ++bit) {
        std::string flipped = input;
        flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1 << (bit % 8)));
        uint64_t diff = base ^ Hash64(flipped);
        for (int out = 0; out < 64; ++out) flips[bit][out] += (diff >> out) & 1;
      }
    }
    for (size_t bit = 0; bit < length * 8; ++bit) {
      for (int out = 0; out < 64; ++out) {
        double p = flips[bit][out] / static_cast<double>(kSamples);
        // The standard deviation of p is 0.011: 0.5 +- 0.06 is over 5 sigma.
        ASSERT_NEAR(p, 0.5, 0.06) << "length " << length << " input bit " << bit << " output bit "
                                  << out;
      }
    }
  }
}

// One-byte inputs, all 256: distinct, and a flipped bit changes 32 output
// bits on average.
TEST(Hash64Test, SingleBytes) {
  std::unordered_set<uint64_t> seen;
  for (int bit = 0; bit < 8; ++bit) {
    double changed = 0;
    for (int v = 0; v < 256; ++v) {
      char a = static_cast<char>(v), b = static_cast<char>(v ^ (1 << bit));
      uint64_t hash = Hash64(std::string_view(&a, 1));
      if (bit == 0) seen.insert(hash);
      changed += std::popcount(hash ^ Hash64(std::string_view(&b, 1)));
    }
    EXPECT_NEAR(changed / 256, 32, 1.0) << "bit " << bit;
  }
  EXPECT_EQ(seen.size(), 256u);
}

// Sequential keys spread evenly over the top bits (HyperLogLog's registers).
TEST(Hash64Test, TopBitsUniform) {
  const int kBuckets = 1024, kKeys = 1024 * 200;
  std::vector<int> counts(kBuckets, 0);
  for (int i = 0; i < kKeys; ++i) ++counts[Hash64("10.0." + std::to_string(i)) >> 54];
  double chi2 = 0;
  for (int c : counts) chi2 += (c - 200.0) * (c - 200.0) / 200.0;
  // 1023 degrees of freedom: mean 1023, standard deviation ~45.
  EXPECT_LT(chi2, 1023 + 6 * 45);
}

}  // namespace
}  // namespace mailrep
