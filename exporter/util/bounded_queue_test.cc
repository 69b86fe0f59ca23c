#include "exporter/util/bounded_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <stop_token>
#include <thread>
#include <vector>

namespace mailrep {
namespace {

TEST(BoundedQueueTest, FifoThenEndsWhenClosedAndDrained) {
  BoundedQueue<int> queue(4);
  EXPECT_TRUE(queue.Push(1, {}));
  EXPECT_TRUE(queue.Push(2, {}));
  queue.Close();
  int item = 0;
  ASSERT_TRUE(queue.Pop(&item, {}));
  EXPECT_EQ(item, 1);
  ASSERT_TRUE(queue.Pop(&item, {}));
  EXPECT_EQ(item, 2);
  EXPECT_FALSE(queue.Pop(&item, {}));
}

TEST(BoundedQueueTest, MovesItemsWithoutCopying) {
  BoundedQueue<std::unique_ptr<int>> queue(1);
  EXPECT_TRUE(queue.Push(std::make_unique<int>(7), {}));
  std::unique_ptr<int> item;
  ASSERT_TRUE(queue.Pop(&item, {}));
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(*item, 7);
}

TEST(BoundedQueueTest, PushOnAFullQueueGivesUpWhenStopped) {
  BoundedQueue<int> queue(1);
  ASSERT_TRUE(queue.Push(1, {}));
  std::stop_source stop;
  std::jthread stopper([&] { stop.request_stop(); });
  EXPECT_FALSE(queue.Push(2, stop.get_token()));  // blocks until the stop
}

TEST(BoundedQueueTest, PopOnAnEmptyQueueGivesUpWhenStopped) {
  BoundedQueue<int> queue(1);
  std::stop_source stop;
  std::jthread stopper([&] { stop.request_stop(); });
  int item = 0;
  EXPECT_FALSE(queue.Pop(&item, stop.get_token()));
}

TEST(BoundedQueueTest, ProducersAndConsumersPassEveryItemOnce) {
  constexpr int kProducers = 3;
  constexpr int kItemsEach = 1000;
  BoundedQueue<int> queue(2);  // small, so that both sides block often
  std::atomic<long> sum{0};
  std::atomic<int> count{0};
  {
    std::vector<std::jthread> consumers;
    for (int c = 0; c < 2; ++c) {
      consumers.emplace_back([&] {
        int item = 0;
        while (queue.Pop(&item, {})) {
          sum += item;
          ++count;
        }
      });
    }
    {
      std::vector<std::jthread> producers;
      for (int p = 0; p < kProducers; ++p) {
        producers.emplace_back([&] {
          for (int i = 1; i <= kItemsEach; ++i) EXPECT_TRUE(queue.Push(int{i}, {}));
        });
      }
    }  // producers joined
    queue.Close();
  }  // consumers drained and joined
  EXPECT_EQ(count.load(), kProducers * kItemsEach);
  EXPECT_EQ(sum.load(), long{kProducers} * kItemsEach * (kItemsEach + 1) / 2);
}

}  // namespace
}  // namespace mailrep
