#include "collectors/dns/query_budget.h"

#include <gtest/gtest.h>

#include "exporter/core/fake_clock.h"

namespace mailrep {
namespace {

using std::chrono::seconds;

// 2023-11-14 22:13:20 UTC; midnight UTC comes 6400 s later.
constexpr int64_t kStart = 1700000000;

TEST(QueryBudgetTest, KeysWithoutBudgetAreUnlimitedAndUncounted) {
  auto clock = std::make_shared<FakeClock>(kStart);
  QueryBudget budget(clock);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(budget.TrySpend("zen.example"));
  EXPECT_FALSE(budget.UsageOf("zen.example").has_value());
}

TEST(QueryBudgetTest, RefusesOverTheBudgetUntilMidnightUtc) {
  auto clock = std::make_shared<FakeClock>(kStart);
  QueryBudget budget(clock);
  budget.SetBudget("zen.example", 3);
  EXPECT_TRUE(budget.TrySpend("zen.example"));
  EXPECT_TRUE(budget.TrySpend("zen.example"));
  EXPECT_TRUE(budget.TrySpend("zen.example"));
  EXPECT_FALSE(budget.TrySpend("zen.example"));
  EXPECT_TRUE(budget.TrySpend("other.example"));
  ASSERT_TRUE(budget.UsageOf("zen.example").has_value());
  EXPECT_EQ(budget.UsageOf("zen.example")->budget, 3u);
  EXPECT_EQ(budget.UsageOf("zen.example")->spent, 3u);

  clock->Advance(seconds(6399));  // 23:59:59 UTC, same day
  EXPECT_FALSE(budget.TrySpend("zen.example"));
  clock->Advance(seconds(1));  // 00:00:00 UTC: a new day
  EXPECT_EQ(budget.UsageOf("zen.example")->spent, 0u);
  EXPECT_TRUE(budget.TrySpend("zen.example"));
  EXPECT_EQ(budget.UsageOf("zen.example")->spent, 1u);
}

TEST(QueryBudgetTest, SettingAgainKeepsTodaysSpendAndZeroRemoves) {
  auto clock = std::make_shared<FakeClock>(kStart);
  QueryBudget budget(clock);
  budget.SetBudget("zen.example", 2);
  EXPECT_TRUE(budget.TrySpend("zen.example"));
  EXPECT_TRUE(budget.TrySpend("zen.example"));
  budget.SetBudget("zen.example", 2);  // a reload with the same config
  EXPECT_FALSE(budget.TrySpend("zen.example"));
  budget.SetBudget("zen.example", 5);  // raised: 3 more today
  EXPECT_EQ(budget.UsageOf("zen.example")->spent, 2u);
  EXPECT_TRUE(budget.TrySpend("zen.example"));
  budget.SetBudget("zen.example", 0);
  EXPECT_FALSE(budget.UsageOf("zen.example").has_value());
  EXPECT_TRUE(budget.TrySpend("zen.example"));
}

}  // namespace
}  // namespace mailrep
