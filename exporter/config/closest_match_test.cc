#include "exporter/config/closest_match.h"

#include <gtest/gtest.h>

namespace mailrep {
namespace {

TEST(EditDistanceTest, Basics) {
  EXPECT_EQ(EditDistance("", ""), 0u);
  EXPECT_EQ(EditDistance("abc", ""), 3u);
  EXPECT_EQ(EditDistance("interval", "intervall"), 1u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("enabeld", "enabled"), 2u);
}

TEST(ClosestMatchTest, SuggestsOnlyLikelyTypos) {
  const std::vector<std::string> keys = {"enabled", "interval", "timeout", "ips", "dns"};
  struct Case {
    const char* word;
    const char* want;
  } cases[] = {
      {"intervall", "interval"},
      {"timout", "timeout"},
      {"enable", "enabled"},
      {"ip", "ips"},
      {"dnz", "dns"},
      {"a", ""},
      {"colour", ""},
      {"xyz", ""},
      {"", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(ClosestMatch(c.word, keys), c.want) << c.word;
  EXPECT_EQ(ClosestMatch(std::string(1000, 'a'), keys), "");
}

}  // namespace
}  // namespace mailrep
