#include "collectors/sketch/hyperloglog.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using ::testing::Not;

// Item i of trial t: 16 bytes, hashed by Add like any string.
void AddItem(HyperLogLog* hll, uint64_t trial, uint64_t i) {
  char bytes[16];
  std::memcpy(bytes, &trial, 8);
  std::memcpy(bytes + 8, &i, 8);
  hll->Add(std::string_view(bytes, sizeof(bytes)));
}

HyperLogLog Sketch(int precision, uint64_t trial, uint64_t from, uint64_t to) {
  HyperLogLog hll(precision);
  for (uint64_t i = from; i < to; ++i) AddItem(&hll, trial, i);
  return hll;
}

void ExpectSameRegisters(const HyperLogLog& a, const HyperLogLog& b) {
  ASSERT_EQ(a.precision(), b.precision());
  for (uint32_t i = 0; i < (uint32_t{1} << a.precision()); ++i) {
    ASSERT_EQ(a.Register(i), b.Register(i)) << "register " << i;
  }
  EXPECT_EQ(a.Estimate(), b.Estimate());
}

TEST(HyperLogLogTest, Empty) {
  HyperLogLog hll;
  EXPECT_EQ(hll.Estimate(), 0.0);
  EXPECT_TRUE(hll.sparse());
  EXPECT_EQ(hll.precision(), 12);
  EXPECT_NEAR(hll.RelativeStandardError(), 0.01625, 1e-5);
}

TEST(HyperLogLogTest, CheckPrecision) {
  EXPECT_OK(HyperLogLog::CheckPrecision(4));
  EXPECT_OK(HyperLogLog::CheckPrecision(18));
  EXPECT_THAT(HyperLogLog::CheckPrecision(3), Not(IsOk()));
  EXPECT_THAT(HyperLogLog::CheckPrecision(19), Not(IsOk()));
  EXPECT_EQ(HyperLogLog(30).precision(), HyperLogLog::kMaxPrecision);
}

// Small counts (a login from a handful of addresses) are near exact, on both
// sides of the switch from the sparse list to the dense array: what error
// there is comes from items sharing a register (about n^2 / 2m of them, which
// the estimator expects; 3 standard deviations of that is within 3 + 3.5 %).
TEST(HyperLogLogTest, SmallCountsNearExact) {
  for (uint64_t trial = 1; trial <= 10; ++trial) {
    HyperLogLog hll;
    for (uint64_t n = 1; n <= 400; ++n) {
      AddItem(&hll, trial, n - 1);
      AddItem(&hll, trial, n - 1);  // duplicates change nothing
      double estimate = hll.Estimate();
      ASSERT_NEAR(estimate, static_cast<double>(n), 3 + 0.035 * static_cast<double>(n))
          << "trial " << trial;
      if (n <= 100) {
        ASSERT_TRUE(hll.sparse()) << n;
      }
    }
    EXPECT_FALSE(hll.sparse());
  }
}

TEST(HyperLogLogTest, SparseIsSmallDenseIsFourKiB) {
  HyperLogLog few = Sketch(12, 2, 0, 3);
  EXPECT_TRUE(few.sparse());
  EXPECT_LE(few.MemoryBytes(), sizeof(HyperLogLog) + 64);
  HyperLogLog many = Sketch(12, 2, 0, 100000);
  EXPECT_FALSE(many.sparse());
  EXPECT_EQ(many.MemoryBytes(), sizeof(HyperLogLog) + 4096);
  many.Clear();
  EXPECT_TRUE(many.sparse());
  EXPECT_EQ(many.Estimate(), 0.0);
  EXPECT_EQ(many.MemoryBytes(), sizeof(HyperLogLog));
}

// The relative error over many cardinalities, 300 to 2,000,000, stays within
// the estimator's bound: each trial within 4 standard errors, and the root
// mean square over the trials of one cardinality within 1.5 (the estimator is
// unbiased across the range: no bump where raw HyperLogLog switches from
// linear counting). Below 300 one shared register is already several
// percent of the count: SmallCountsNearExact bounds those absolutely.
TEST(HyperLogLogTest, RelativeErrorWithinBound) {
  const int precision = 12;
  const double sigma = 1.04 / std::sqrt(4096.0);
  for (uint64_t n : {300u, 1000u, 3000u, 7000u, 10000u, 12000u, 15000u, 20000u, 30000u, 60000u,
                     150000u, 500000u, 2000000u}) {
    const int trials = n <= 60000 ? 24 : n <= 500000 ? 6 : 2;
    double sum_squares = 0, sum = 0;
    for (int t = 0; t < trials; ++t) {
      HyperLogLog hll = Sketch(precision, 1000 + static_cast<uint64_t>(t), 0, n);
      double error = (hll.Estimate() - static_cast<double>(n)) / static_cast<double>(n);
      EXPECT_LT(std::fabs(error), 4 * sigma) << "n = " << n << " trial " << t;
      sum_squares += error * error;
      sum += error;
    }
    double rms = std::sqrt(sum_squares / trials);
    if (trials >= 6) {
      EXPECT_LT(rms, 1.5 * sigma) << "n = " << n;
    }
    if (trials >= 24) {
      EXPECT_LT(std::fabs(sum / trials), 1.5 * sigma) << "bias, n = " << n;
    }
  }
}

TEST(HyperLogLogTest, ErrorFollowsPrecision) {
  for (int precision : {4, 8, 10, 14, 16}) {
    const double sigma = 1.04 / std::sqrt(static_cast<double>(1 << precision));
    const int trials = 12;
    double sum_squares = 0;
    for (int t = 0; t < trials; ++t) {
      HyperLogLog hll = Sketch(precision, 5000 + static_cast<uint64_t>(t), 0, 50000);
      double error = (hll.Estimate() - 50000) / 50000;
      sum_squares += error * error;
    }
    double rms = std::sqrt(sum_squares / trials);
    EXPECT_LT(rms, 1.6 * sigma) << "precision " << precision;
    EXPECT_NEAR(HyperLogLog(precision).RelativeStandardError(), sigma, 1e-12);
  }
}

// Merging the sketches of two overlapping streams gives, register for
// register, the sketch of the whole stream, for each pair of sparse and dense
// forms and in either order.
TEST(HyperLogLogTest, MergeEqualsSingleStream) {
  struct Case {
    uint64_t a_to, b_from, b_to;  // a holds [0, a_to), b holds [b_from, b_to)
  };
  for (Case c :
       {Case{20, 10, 40}, Case{20, 10, 5000}, Case{5000, 4000, 4030}, Case{5000, 2000, 9000}}) {
    HyperLogLog a = Sketch(12, 7, 0, c.a_to), b = Sketch(12, 7, c.b_from, c.b_to);
    HyperLogLog whole = Sketch(12, 7, 0, std::max(c.a_to, c.b_to));
    HyperLogLog ab = a, ba = b;
    ab.Merge(b);
    ba.Merge(a);
    SCOPED_TRACE(std::to_string(c.a_to) + " " + std::to_string(c.b_to));
    ExpectSameRegisters(ab, whole);
    ExpectSameRegisters(ba, whole);
  }
}

TEST(HyperLogLogTest, MergeWithItselfChangesNothing) {
  HyperLogLog hll = Sketch(12, 8, 0, 3000);
  HyperLogLog copy = hll;
  hll.Merge(hll);
  ExpectSameRegisters(hll, copy);
}

// Sketches of different precisions merge at the lower one, exactly as a
// sketch of that precision over both streams.
TEST(HyperLogLogTest, MergeAcrossPrecisions) {
  for (uint64_t n : {50u, 20000u}) {
    HyperLogLog fine = Sketch(14, 9, 0, n), coarse = Sketch(10, 9, n / 2, 2 * n);
    HyperLogLog want = Sketch(10, 9, 0, 2 * n);
    HyperLogLog a = coarse, b = fine;
    a.Merge(fine);
    b.Merge(coarse);
    SCOPED_TRACE(n);
    ExpectSameRegisters(a, want);
    ExpectSameRegisters(b, want);
  }
}

// AddHash takes the caller's hash: the top bits pick the register, the rank
// counts the leading zeros after them.
TEST(HyperLogLogTest, RegisterLayout) {
  HyperLogLog hll(4);
  hll.AddHash(0x3000000000000000ULL | (uint64_t{1} << 50));  // register 3, 9 zeros after it
  EXPECT_EQ(hll.Register(3), 10);
  hll.AddHash(0x5000000000000000ULL);  // register 5, no bit after it: 60 + 1
  EXPECT_EQ(hll.Register(5), 61);
  hll.AddHash(0x3800000000000000ULL);  // register 3, rank 1 is lower: kept 10
  EXPECT_EQ(hll.Register(3), 10);
}

}  // namespace
}  // namespace mailrep
