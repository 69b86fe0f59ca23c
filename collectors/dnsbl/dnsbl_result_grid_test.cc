#include "collectors/dnsbl/dnsbl_result_grid.h"

#include <gtest/gtest.h>

namespace mailrep {
namespace {

DnsblResult Listed(const std::string& code, uint32_t ttl = 300) {
  DnsblResult r;
  r.verdict = DnsblVerdict::kListed;
  r.matches.push_back({code, "meaning of " + code, DnsblCodeClass::kListed});
  r.ttl = ttl;
  return r;
}

DnsblResult Clean() {
  DnsblResult r;
  r.verdict = DnsblVerdict::kClean;
  return r;
}

TEST(ResultGridTest, CellsStartEmptyAndKeepWhatIsSet) {
  DnsblResultGrid grid(3, 2);
  EXPECT_EQ(grid.targets(), 3u);
  EXPECT_EQ(grid.lists(), 2u);
  EXPECT_EQ(grid.Get(2, 1), nullptr);
  grid.Set(2, 1, Listed("127.0.0.2"));
  ASSERT_NE(grid.Get(2, 1), nullptr);
  EXPECT_EQ(grid.Get(2, 1)->verdict, DnsblVerdict::kListed);
  EXPECT_EQ(grid.Get(2, 1)->matches[0].code, "127.0.0.2");
  EXPECT_EQ(grid.Get(2, 1)->ttl, 0u);  // not kept
  EXPECT_FALSE(grid.Has(2, 0));
  grid.Clear(2, 1);
  EXPECT_FALSE(grid.Has(2, 1));
}

TEST(ResultGridTest, EqualResultsAreStoredOnce) {
  DnsblResultGrid grid(1000, 3);
  for (size_t t = 0; t < 1000; ++t) {
    for (size_t l = 0; l < 3; ++l) grid.Set(t, l, t % 100 == 0 ? Listed("127.0.0.2", t) : Clean());
  }
  EXPECT_EQ(grid.distinct_results(), 2u);
  grid.Set(5, 0, Listed("127.0.0.3"));
  EXPECT_EQ(grid.distinct_results(), 3u);
  EXPECT_EQ(grid.Get(0, 0)->matches[0].code, "127.0.0.2");
}

TEST(ResultGridTest, CompactDropsUnusedResultsAndKeepsCells) {
  DnsblResultGrid grid(2, 1);
  grid.Set(0, 0, Listed("127.0.0.2"));
  grid.Set(1, 0, Listed("127.0.0.3"));
  grid.Set(0, 0, Clean());  // 127.0.0.2 is unused now
  grid.Compact();
  EXPECT_EQ(grid.distinct_results(), 2u);
  EXPECT_EQ(grid.Get(0, 0)->verdict, DnsblVerdict::kClean);
  EXPECT_EQ(grid.Get(1, 0)->matches[0].code, "127.0.0.3");
  grid.Set(0, 0, Listed("127.0.0.3"));  // found again after Compact
  EXPECT_EQ(grid.distinct_results(), 2u);
}

TEST(ResultGridTest, CopyCellCopiesResultsAndEmptiness) {
  DnsblResultGrid a(1, 2);
  a.Set(0, 1, Listed("127.0.0.4"));
  DnsblResultGrid b(2, 2);
  b.Set(1, 0, Clean());
  b.CopyCell(1, 0, a, 0, 0);
  b.CopyCell(0, 1, a, 0, 1);
  EXPECT_FALSE(b.Has(1, 0));
  EXPECT_EQ(b.Get(0, 1)->matches[0].code, "127.0.0.4");
}

}  // namespace
}  // namespace mailrep
