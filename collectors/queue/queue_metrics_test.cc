#include "collectors/queue/queue_metrics.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace mailrep {
namespace {

using ByDestination = std::unordered_map<std::string, uint64_t>;

TEST(QueueMetricsTest, CountDestinationsAddsOnePerDomainUpToTheLimit) {
  ByDestination by;
  CountDestinations({"a.example", "b.example"}, 3, &by);
  CountDestinations({"a.example", "c.example"}, 3, &by);
  EXPECT_EQ(by, (ByDestination{{"a.example", 2}, {"b.example", 1}, {"c.example", 1}}));
  // Full: known domains still count, new ones go to "other".
  CountDestinations({"a.example", "d.example", "e.example"}, 3, &by);
  EXPECT_EQ(by,
            (ByDestination{{"a.example", 3}, {"b.example", 1}, {"c.example", 1}, {"other", 2}}));
}

TEST(QueueMetricsTest, CountRecipientDestinationsCountsEachDomainOnce) {
  ByDestination by;
  std::vector<std::string> rcpts = {"x@A.example", "y@a.example", "z@b.example", "nodomain"};
  CountRecipientDestinations(rcpts, 100, &by);
  EXPECT_EQ(by, (ByDestination{{"a.example", 1}, {"b.example", 1}, {"(none)", 1}}));
}

TEST(QueueMetricsTest, KeepOldest) {
  std::optional<int64_t> oldest;
  KeepOldest(&oldest, 50);
  EXPECT_EQ(oldest, 50);
  KeepOldest(&oldest, 70);
  EXPECT_EQ(oldest, 50);
  KeepOldest(&oldest, 10);
  EXPECT_EQ(oldest, 10);
}

}  // namespace
}  // namespace mailrep
