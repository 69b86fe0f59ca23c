#include "collectors/sketch/space_saving.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "collectors/sketch/sketch_streams.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using ::testing::Not;

// The contract of space_saving.h, checked against exact counts of every key
// ever added: bounds for monitored keys, absent_bound() for the others, and
// the meaning of both guarantee flags in Top(k).
void ExpectContract(const SpaceSaving& sketch, const ExactCounter& exact,
                    const std::vector<std::string>& keys, size_t k) {
  double n_over_m = static_cast<double>(sketch.total()) / static_cast<double>(sketch.capacity());
  EXPECT_LE(static_cast<double>(sketch.absent_bound()), n_over_m);
  for (const std::string& key : keys) {
    uint64_t real = exact.Count(key);
    SpaceSaving::Estimate e = sketch.Find(key);
    if (e.monitored) {
      EXPECT_LE(real, e.count) << key;
      EXPECT_GE(real, e.count - e.error) << key;
      EXPECT_LE(e.error, sketch.absent_bound()) << key;
    } else {
      EXPECT_LE(real, sketch.absent_bound()) << key;
      EXPECT_LE(static_cast<double>(real), n_over_m) << key;
    }
  }
  std::vector<HeavyHitter> top = sketch.Top(k);
  std::vector<uint64_t> reported_truth;
  for (const HeavyHitter& h : top) reported_truth.push_back(exact.Count(h.key));
  // The largest true count among keys not reported.
  uint64_t best_outside = 0;
  for (const std::string& key : keys) {
    bool reported =
        std::any_of(top.begin(), top.end(), [&](const HeavyHitter& h) { return h.key == key; });
    if (!reported) best_outside = std::max(best_outside, exact.Count(key));
  }
  for (size_t i = 0; i < top.size(); ++i) {
    if (top[i].in_top_guaranteed) {
      EXPECT_GE(reported_truth[i], best_outside) << top[i].key;
    }
    if (top[i].rank_guaranteed) {
      for (size_t j = 0; j < top.size(); ++j) {
        if (j < i) {
          EXPECT_GE(reported_truth[j], reported_truth[i]) << top[i].key;
        }
        if (j > i) {
          EXPECT_LE(reported_truth[j], reported_truth[i]) << top[i].key;
        }
      }
      EXPECT_GE(reported_truth[i], best_outside) << top[i].key;
    }
  }
}

TEST(SpaceSavingTest, ExactWithinCapacity) {
  SpaceSaving sketch(100);
  ExactCounter exact;
  for (int key = 0; key < 50; ++key) {
    for (int n = 0; n <= key; ++n) {
      sketch.Add("k" + std::to_string(key));
      exact.Add("k" + std::to_string(key));
    }
  }
  EXPECT_EQ(sketch.size(), 50u);
  EXPECT_EQ(sketch.total(), 50u * 51 / 2);
  EXPECT_EQ(sketch.absent_bound(), 0u);
  std::vector<HeavyHitter> top = sketch.Top(5);
  ASSERT_EQ(top.size(), 5u);
  for (size_t i = 0; i < top.size(); ++i) {
    EXPECT_EQ(top[i].key, "k" + std::to_string(49 - i));
    EXPECT_EQ(top[i].count, 50 - i);
    EXPECT_EQ(top[i].error, 0u);
    EXPECT_TRUE(top[i].in_top_guaranteed);
    EXPECT_TRUE(top[i].rank_guaranteed);
  }
  EXPECT_EQ(sketch.Top(1000).size(), 50u);
  SpaceSaving::Estimate absent = sketch.Find("nobody");
  EXPECT_FALSE(absent.monitored);
  EXPECT_EQ(absent.count, 0u);
}

TEST(SpaceSavingTest, TakesOverTheSmallestCounter) {
  SpaceSaving sketch(2);
  sketch.Add("a", 3);
  sketch.Add("b");
  sketch.Add("c");  // takes b's counter: count 2, error 1
  EXPECT_EQ(sketch.absent_bound(), 1u);
  SpaceSaving::Estimate c = sketch.Find("c");
  EXPECT_TRUE(c.monitored);
  EXPECT_EQ(c.count, 2u);
  EXPECT_EQ(c.error, 1u);
  SpaceSaving::Estimate b = sketch.Find("b");
  EXPECT_FALSE(b.monitored);
  EXPECT_EQ(b.count, 1u);  // at most absent_bound()
  std::vector<HeavyHitter> top = sketch.Top(1);
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0].key, "a");
  EXPECT_EQ(top[0].lower_bound(), 3u);
  // a's 3 is at least c's 2 and anything unmonitored (1).
  EXPECT_TRUE(top[0].in_top_guaranteed);
  EXPECT_TRUE(top[0].rank_guaranteed);
  // c (1..2) against b (0..1): c is in a top 2, tied with b at worst.
  std::vector<HeavyHitter> both = sketch.Top(2);
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[1].key, "c");
  EXPECT_TRUE(both[1].in_top_guaranteed);
  // d takes over c's counter (the smallest, 2): count 3, error 2; now c and b
  // may have 2 and d as little as 1.
  sketch.Add("d");
  EXPECT_EQ(sketch.absent_bound(), 2u);
  both = sketch.Top(2);
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[0].key, "a");  // ties on count go to the smaller error
  EXPECT_TRUE(both[0].rank_guaranteed);
  EXPECT_EQ(both[1].key, "d");
  EXPECT_EQ(both[1].count, 3u);
  EXPECT_EQ(both[1].error, 2u);
  EXPECT_FALSE(both[1].in_top_guaranteed);
  EXPECT_FALSE(both[1].rank_guaranteed);
}

TEST(SpaceSavingTest, WeightsAndZeroWeights) {
  SpaceSaving sketch(4);
  sketch.Add("alice", 10);
  sketch.Add("alice", 0);
  sketch.Add("bob", 0);
  sketch.Add("bob", 7);
  EXPECT_EQ(sketch.total(), 17u);
  EXPECT_EQ(sketch.size(), 2u);
  EXPECT_EQ(sketch.Find("alice").count, 10u);
  EXPECT_EQ(sketch.Find("bob").count, 7u);
}

TEST(SpaceSavingTest, LongKeysAreCut) {
  SpaceSaving sketch(8, 4);
  sketch.Add("abcdef");
  sketch.Add("abcdxyz");
  sketch.Add("abc");
  EXPECT_EQ(sketch.size(), 2u);
  EXPECT_EQ(sketch.Find("abcd").count, 2u);
  EXPECT_EQ(sketch.Find("abcdanything").count, 2u);
  ASSERT_EQ(sketch.Top(1).size(), 1u);
  EXPECT_EQ(sketch.Top(1)[0].key, "abcd");
  // Keys past the inline size of a string are stored too.
  SpaceSaving wide(8);
  std::string long_key(300, 'x');
  wide.Add(long_key);
  EXPECT_EQ(wide.Top(1)[0].key.size(), SpaceSaving::kDefaultMaxKeyBytes);
}

TEST(SpaceSavingTest, CheckOptions) {
  EXPECT_OK(SpaceSaving::CheckOptions(1, 1));
  EXPECT_OK(SpaceSaving::CheckOptions(SpaceSaving::kDefaultCapacity, 128));
  EXPECT_THAT(SpaceSaving::CheckOptions(0, 128), Not(IsOk()));
  EXPECT_THAT(SpaceSaving::CheckOptions(SpaceSaving::kMaxCapacity + 1, 128), Not(IsOk()));
  EXPECT_THAT(SpaceSaving::CheckOptions(10, 0), Not(IsOk()));
}

TEST(SpaceSavingTest, ClearReleasesMemory) {
  SpaceSaving sketch(64);
  for (int i = 0; i < 1000; ++i) sketch.Add("a rather long key number " + std::to_string(i));
  EXPECT_GT(sketch.MemoryBytes(), 64 * 64u);
  sketch.Clear();
  EXPECT_EQ(sketch.MemoryBytes(), sizeof(SpaceSaving));
  EXPECT_EQ(sketch.total(), 0u);
  EXPECT_EQ(sketch.absent_bound(), 0u);
  EXPECT_TRUE(sketch.Top(5).empty());
  sketch.Add("again");
  EXPECT_EQ(sketch.Find("again").count, 1u);
}

// Random weighted streams over small capacities, where counters are taken
// over all the time: every bound of the contract holds.
TEST(SpaceSavingTest, ContractHoldsOnRandomStreams) {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 40; ++round) {
    size_t capacity = 1 + rng() % 40;
    size_t keys = 1 + rng() % 200;
    SpaceSaving sketch(capacity);
    ExactCounter exact;
    std::vector<std::string> names;
    for (size_t i = 0; i < keys; ++i) names.push_back(SubmitterName(i));
    ZipfKeys zipf(keys, 0.5 + static_cast<double>(rng() % 100) / 100);
    for (int n = 0; n < 3000; ++n) {
      const std::string& key = names[zipf.Draw(rng)];
      uint64_t weight = 1 + (rng() % 4 == 0 ? rng() % 20 : 0);
      sketch.Add(key, weight);
      exact.Add(key, weight);
    }
    SCOPED_TRACE("round " + std::to_string(round) + ", capacity " + std::to_string(capacity));
    ExpectContract(sketch, exact, names, 1 + rng() % 10);
  }
}

// Measures a sketch of default capacity on `stream` against exact counts.
TopComparison RunZipf(const std::vector<uint32_t>& stream, size_t keys, SpaceSaving* sketch,
                      ExactCounter* exact) {
  std::vector<std::string> names;
  for (size_t i = 0; i < keys; ++i) names.push_back(SubmitterName(i));
  for (uint32_t i : stream) {
    sketch->Add(names[i]);
    exact->Add(names[i]);
  }
  return CompareTop(sketch->Top(20), *exact, 20);
}

// The goal: 1,000,000 updates over 10,000 Zipf keys, top 20 exact in rank and
// within 1 % in count, with the default capacity.
TEST(SpaceSavingTest, ZipfTop20) {
  for (double s : {1.0, 1.2}) {
    SpaceSaving sketch;
    ExactCounter exact;
    TopComparison c = RunZipf(ZipfStream(10000, s, 1000000, 42), 10000, &sketch, &exact);
    SCOPED_TRACE("s = " + std::to_string(s));
    EXPECT_EQ(c.k, 20u);
    EXPECT_EQ(c.rank_mismatches, 0u);
    EXPECT_EQ(c.set_misses, 0u);
    EXPECT_LE(c.max_count_error, 0.01);
    EXPECT_TRUE(c.bounds_hold);
    for (const HeavyHitter& h : sketch.Top(20)) EXPECT_TRUE(h.in_top_guaranteed) << h.key;
    // Bounded memory: about 120 KiB for 1,024 counters of these keys.
    EXPECT_LE(sketch.MemoryBytes(), 160u * 1024);
  }
}

// Several seeds, smaller streams: the same accuracy is no accident of one seed.
TEST(SpaceSavingTest, ZipfTop20ManySeeds) {
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    SpaceSaving sketch;
    ExactCounter exact;
    TopComparison c = RunZipf(ZipfStream(10000, 1.0, 200000, seed), 10000, &sketch, &exact);
    SCOPED_TRACE("seed " + std::to_string(seed));
    EXPECT_EQ(c.rank_mismatches, 0u);
    EXPECT_EQ(c.set_misses, 0u);
    EXPECT_LE(c.max_count_error, 0.01);
  }
}

// Every key seen the same number of times: nothing to rank. Within capacity
// the counts are exact and ties go by key; beyond it no key may claim a
// guaranteed place it does not have.
TEST(SpaceSavingTest, Ties) {
  std::vector<std::string> names;
  for (int i = 0; i < 100; ++i) names.push_back(SubmitterName(static_cast<size_t>(i)));
  SpaceSaving roomy(128), tight(50);
  ExactCounter exact;
  for (int round = 0; round < 30; ++round) {
    for (const std::string& name : names) {
      roomy.Add(name);
      tight.Add(name);
      exact.Add(name);
    }
  }
  std::vector<HeavyHitter> top = roomy.Top(10);
  ASSERT_EQ(top.size(), 10u);
  std::vector<std::string> sorted = names;
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < top.size(); ++i) {
    EXPECT_EQ(top[i].key, sorted[i]);
    EXPECT_EQ(top[i].count, 30u);
    EXPECT_EQ(top[i].error, 0u);
  }
  ExpectContract(roomy, exact, names, 10);
  ExpectContract(tight, exact, names, 10);
  for (const HeavyHitter& h : tight.Top(10)) EXPECT_FALSE(h.in_top_guaranteed) << h.key;
}

// Adversarial orders of the same Zipf multiset (10,000 keys, 1,000,000
// updates), each key's updates in one block: ascending by weight (the heavy
// keys come last, after the counters are full of light ones) and descending.
TEST(SpaceSavingTest, BlocksAscendingAndDescending) {
  const size_t keys = 10000;
  std::vector<uint32_t> stream = ZipfStream(keys, 1.0, 1000000, 5);
  std::vector<uint32_t> counts(keys, 0);
  for (uint32_t i : stream) ++counts[i];
  std::vector<uint32_t> order(keys);
  for (uint32_t i = 0; i < keys; ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return counts[a] != counts[b] ? counts[a] < counts[b] : a < b;
  });
  for (bool ascending : {true, false}) {
    std::vector<uint32_t> blocks;
    blocks.reserve(stream.size());
    for (size_t j = 0; j < keys; ++j) {
      uint32_t key = ascending ? order[j] : order[keys - 1 - j];
      blocks.insert(blocks.end(), counts[key], key);
    }
    SpaceSaving sketch;
    ExactCounter exact;
    TopComparison c = RunZipf(blocks, keys, &sketch, &exact);
    SCOPED_TRACE(ascending ? "ascending" : "descending");
    EXPECT_TRUE(c.bounds_hold);
    EXPECT_EQ(c.set_misses, 0u);
    // Later blocks take over larger minima, so the order of the heavy keys
    // survives; their counts are overestimated by up to N / m.
    EXPECT_EQ(c.rank_mismatches, 0u);
    EXPECT_LE(c.max_error_bound, 1000000u / sketch.capacity());
    if (!ascending) {
      EXPECT_EQ(c.max_error_bound, 0u);  // the heavy keys came first, while exact
    }
  }
}

// Heavy keys first, then 200,000 singletons churning through the other
// counters: the heavy counts stay exact.
TEST(SpaceSavingTest, SingletonsAfterHeavyHitters) {
  SpaceSaving sketch;
  ExactCounter exact;
  std::vector<std::string> heavy;
  for (int i = 0; i < 20; ++i) heavy.push_back("heavy" + std::to_string(i));
  std::mt19937_64 rng(3);
  std::vector<int> left;
  for (int i = 0; i < 20; ++i) left.insert(left.end(), 20000 - 900 * i, i);
  std::shuffle(left.begin(), left.end(), rng);
  for (int i : left) {
    sketch.Add(heavy[static_cast<size_t>(i)]);
    exact.Add(heavy[static_cast<size_t>(i)]);
  }
  for (int i = 0; i < 200000; ++i) {
    std::string once = "once" + std::to_string(i);
    sketch.Add(once);
    exact.Add(once);
  }
  TopComparison c = CompareTop(sketch.Top(20), exact, 20);
  EXPECT_EQ(c.rank_mismatches, 0u);
  EXPECT_EQ(c.set_misses, 0u);
  EXPECT_EQ(c.max_error_bound, 0u);
  EXPECT_EQ(c.max_count_error, 0.0);
  for (const HeavyHitter& h : sketch.Top(20)) EXPECT_TRUE(h.rank_guaranteed) << h.key;
}

// 200,000 singletons first, then the heavy keys: they start from the
// minimum counter (about N1 / m) and keep that error, so the counts are high by
// up to N / m, but the set and the order are right.
TEST(SpaceSavingTest, HeavyHittersArrivingLate) {
  SpaceSaving sketch;
  ExactCounter exact;
  for (int i = 0; i < 200000; ++i) {
    std::string once = "once" + std::to_string(i);
    sketch.Add(once);
    exact.Add(once);
  }
  std::mt19937_64 rng(4);
  std::vector<int> late;
  for (int i = 0; i < 20; ++i) late.insert(late.end(), 20000 - 900 * i, i);
  std::shuffle(late.begin(), late.end(), rng);
  for (int i : late) {
    std::string key = "late" + std::to_string(i);
    sketch.Add(key);
    exact.Add(key);
  }
  TopComparison c = CompareTop(sketch.Top(20), exact, 20);
  EXPECT_TRUE(c.bounds_hold);
  EXPECT_EQ(c.set_misses, 0u);
  EXPECT_EQ(c.rank_mismatches, 0u);
  EXPECT_GT(c.max_error_bound, 0u);
  EXPECT_LE(c.max_error_bound, sketch.total() / sketch.capacity());
  for (const HeavyHitter& h : sketch.Top(20)) EXPECT_TRUE(h.in_top_guaranteed) << h.key;
}

// Within capacity, merging the sketches of parts of a stream gives exactly the
// sketch of the whole, whichever way it is cut.
TEST(SpaceSavingTest, MergeWithinCapacityEqualsSingleStream) {
  std::vector<uint32_t> stream = ZipfStream(500, 1.0, 20000, 9);
  SpaceSaving whole(512);
  std::vector<SpaceSaving> parts(3, SpaceSaving(512));
  for (size_t j = 0; j < stream.size(); ++j) {
    std::string key = SubmitterName(stream[j]);
    whole.Add(key);
    parts[j % 3].Add(key);
  }
  SpaceSaving merged = parts[0];
  const SpaceSaving* rest[] = {&parts[1], &parts[2]};
  merged.MergeAll(rest);
  SpaceSaving pairwise = parts[2];
  pairwise.Merge(parts[0]);
  pairwise.Merge(parts[1]);
  for (const SpaceSaving* m : {&merged, &pairwise}) {
    EXPECT_EQ(m->total(), whole.total());
    EXPECT_EQ(m->absent_bound(), 0u);
    std::vector<HeavyHitter> got = m->Top(1000), want = whole.Top(1000);
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].key, want[i].key);
      EXPECT_EQ(got[i].count, want[i].count);
      EXPECT_EQ(got[i].error, 0u);
    }
  }
}

// Beyond capacity, merges keep the contract, and the top 20 of 10,000 Zipf
// keys stay exact in rank, for contiguous and interleaved cuts.
TEST(SpaceSavingTest, MergeBeyondCapacityKeepsContract) {
  const size_t keys = 10000;
  std::vector<std::string> names;
  for (size_t i = 0; i < keys; ++i) names.push_back(SubmitterName(i));
  std::vector<uint32_t> stream = ZipfStream(keys, 1.0, 400000, 21);
  for (bool interleaved : {false, true}) {
    std::vector<SpaceSaving> parts(4);
    ExactCounter exact;
    for (size_t j = 0; j < stream.size(); ++j) {
      size_t part = interleaved ? j % 4 : j * 4 / stream.size();
      parts[part].Add(names[stream[j]]);
      exact.Add(names[stream[j]]);
    }
    SpaceSaving merged = parts[0];
    const SpaceSaving* rest[] = {&parts[1], &parts[2], &parts[3]};
    merged.MergeAll(rest);
    SpaceSaving pairwise = parts[0];
    for (const SpaceSaving* part : rest) pairwise.Merge(*part);
    for (const SpaceSaving* m : {&merged, &pairwise}) {
      SCOPED_TRACE(std::string(interleaved ? "interleaved" : "contiguous") +
                   (m == &merged ? ", MergeAll" : ", pairwise"));
      EXPECT_EQ(m->total(), stream.size());
      ExpectContract(*m, exact, names, 20);
      TopComparison c = CompareTop(m->Top(20), exact, 20);
      EXPECT_EQ(c.rank_mismatches, 0u);
      EXPECT_EQ(c.set_misses, 0u);
      EXPECT_LE(c.max_count_error, 0.01);
    }
  }
}

TEST(SpaceSavingTest, MergeWithItselfDoubles) {
  SpaceSaving sketch(4);
  for (int i = 0; i < 10; ++i) sketch.Add("k" + std::to_string(i % 6), 1 + i % 3);
  SpaceSaving twice = sketch;
  twice.Merge(twice);
  EXPECT_EQ(twice.total(), 2 * sketch.total());
  EXPECT_EQ(twice.absent_bound(), 2 * sketch.absent_bound());
  std::vector<HeavyHitter> once = sketch.Top(4), doubled = twice.Top(4);
  ASSERT_EQ(once.size(), doubled.size());
  for (size_t i = 0; i < once.size(); ++i) {
    EXPECT_EQ(doubled[i].key, once[i].key);
    EXPECT_EQ(doubled[i].count, 2 * once[i].count);
    EXPECT_EQ(doubled[i].error, 2 * once[i].error);
  }
}

// A sketch keeping shorter keys cuts the other's keys, and adds those that
// become one.
TEST(SpaceSavingTest, MergeCutsLongerKeys) {
  SpaceSaving short_keys(16, 3), long_keys(16, 10);
  short_keys.Add("abcdef", 2);
  long_keys.Add("abcdef", 5);
  long_keys.Add("abcxyz", 7);
  long_keys.Add("q", 1);
  short_keys.Merge(long_keys);
  EXPECT_EQ(short_keys.Find("abc").count, 14u);
  EXPECT_EQ(short_keys.Find("q").count, 1u);
  EXPECT_EQ(short_keys.size(), 2u);
  EXPECT_EQ(short_keys.total(), 15u);
}

}  // namespace
}  // namespace mailrep
