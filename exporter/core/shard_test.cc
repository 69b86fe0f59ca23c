#include "exporter/core/shard.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

// Expected values: Python's hashlib.md5, last 8 bytes big-endian, modulo N,
// which is Prometheus' relabel `hashmod`.
TEST(ShardTest, HashModIsPrometheusHashmod) {
  EXPECT_EQ(HashMod("192.0.2.1", 3), 2u);
  EXPECT_EQ(HashMod("192.0.2.2", 3), 0u);
  EXPECT_EQ(HashMod("example.com", 4), 2u);
  EXPECT_EQ(HashMod("2001:db8::1", 7), 4u);
  EXPECT_EQ(HashMod("", 2), 0u);
  EXPECT_EQ(HashMod("192.0.2.1", uint64_t{1} << 63), 13442844487978899332u % (uint64_t{1} << 63));
}

TEST(ShardTest, EveryTargetHasExactlyOneOwner) {
  const uint64_t total = 5;
  std::set<std::string> owned;
  for (uint64_t i = 0; i < total; ++i) {
    Shard shard{i, total};
    for (int a = 0; a < 256; ++a) {
      std::string ip = "198.51.100." + std::to_string(a);
      if (shard.Owns(ip)) {
        EXPECT_TRUE(owned.insert(ip).second) << ip << " owned twice";
      }
    }
  }
  EXPECT_EQ(owned.size(), 256u);
}

TEST(ShardTest, DefaultOwnsEverything) {
  EXPECT_TRUE(Shard{}.Owns("192.0.2.1"));
  EXPECT_TRUE(Shard{}.Owns(""));
}

TEST(ShardTest, ParsesIndexAndTotal) {
  StatusOr<Shard> shard = Shard::Parse("2/3");
  ASSERT_OK(shard);
  EXPECT_EQ(*shard, (Shard{2, 3}));
  ASSERT_OK(Shard::Parse("0/1"));
}

TEST(ShardTest, RejectsWhatIsNotAShard) {
  for (const char* bad :
       {"", "3", "3/3", "4/3", "-1/3", "1/0", "a/3", "1/b", "1/3/4", " 1/3", "1/100001", "0x1/3"}) {
    EXPECT_FALSE(Shard::Parse(bad).ok()) << bad;
  }
  EXPECT_NE(Shard::Parse("3/3").status().message().find("below the total"), std::string::npos);
}

}  // namespace
}  // namespace mailrep
