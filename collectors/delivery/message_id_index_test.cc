#include "collectors/delivery/message_id_index.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace mailrep {
namespace {

TEST(NormalizeMessageIdTest, BracketsSpaceAndTheDomainsCase) {
  EXPECT_EQ(NormalizeMessageId("<Abc.Def@Mail.EXAMPLE.com>"), "Abc.Def@mail.example.com");
  EXPECT_EQ(NormalizeMessageId("  <x@y> \r\n"), "x@y");
  EXPECT_EQ(NormalizeMessageId("x@Y"), "x@y");  // Exim logs it without brackets
  EXPECT_EQ(NormalizeMessageId("<x@y> (a comment)"), "x@y");
  EXPECT_EQ(NormalizeMessageId("<a@b@C>"), "a@b@c");  // the domain follows the last '@'
  EXPECT_EQ(NormalizeMessageId("no-at-sign"), "no-at-sign");
  EXPECT_EQ(NormalizeMessageId(""), std::nullopt);
  EXPECT_EQ(NormalizeMessageId("<>"), std::nullopt);
  EXPECT_EQ(NormalizeMessageId("<x@y"), std::nullopt);
  EXPECT_EQ(NormalizeMessageId("two words@y"), std::nullopt);
  EXPECT_EQ(NormalizeMessageId("<<x@y>>"), std::nullopt);
  EXPECT_EQ(NormalizeMessageId(std::string(999, 'a')), std::nullopt);
}

TEST(NormalizeMessageIdTest, TheLocalPartIsCaseSensitive) {
  EXPECT_NE(MessageIdKey("<ABC@example.com>"), MessageIdKey("<abc@example.com>"));
  EXPECT_EQ(MessageIdKey("<abc@EXAMPLE.com>"), MessageIdKey("abc@example.COM"));
  EXPECT_EQ(MessageIdKey("<>"), 0u);
}

TEST(MessageIdIndexTest, FindsWhatWasAdded) {
  MessageIdIndex index;
  index.Add(MessageIdKey("<m1@lab.example>"), "192.0.2.10", "4Nv1qT4w3Zz1", "alice", 1000);
  std::optional<MessageIdIndex::Entry> e = index.Find("<m1@LAB.example>", 1001);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->sending_ip, "192.0.2.10");
  EXPECT_EQ(e->queue_id, "4Nv1qT4w3Zz1");
  EXPECT_EQ(e->submitter, "alice");
  EXPECT_EQ(e->added, 1000);
  EXPECT_FALSE(index.Find("<M1@lab.example>", 1001));
  EXPECT_FALSE(index.Find("garbage text", 1001));
  EXPECT_EQ(index.Size(1001), 1u);
}

TEST(MessageIdIndexTest, FindKeyFindsByTheHash) {
  MessageIdIndex index;
  index.Add(MessageIdKey("<k@Lab.Example>"), "192.0.2.9", "Q9", "", 1000);
  std::optional<MessageIdIndex::Entry> e = index.FindKey(MessageIdKey("k@lab.example"), 1001);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->sending_ip, "192.0.2.9");
  EXPECT_FALSE(index.FindKey(0, 1001));
  EXPECT_FALSE(index.FindKey(MessageIdKey("<other@lab.example>"), 1001));
}

TEST(MessageIdIndexTest, AddedAgainKeepsItsAgeAndTakesTheNewestFields) {
  MessageIdIndex index;
  uint64_t key = MessageIdKey("<m@x>");
  index.Add(key, "192.0.2.1", "Q1", "", 100);
  index.Add(key, "192.0.2.2", "Q2", "bob", 200);
  std::optional<MessageIdIndex::Entry> e = index.Find("<m@x>", 200);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->sending_ip, "192.0.2.2");
  EXPECT_EQ(e->queue_id, "Q2");
  EXPECT_EQ(e->submitter, "bob");
  EXPECT_EQ(e->added, 100);
  EXPECT_EQ(index.Size(200), 1u);
}

TEST(MessageIdIndexTest, FullDropsTheOldestAndCountsIt) {
  MessageIdIndex index(3, std::chrono::hours(1));
  for (int i = 0; i < 5; ++i) {
    index.Add(MessageIdKey("<m" + std::to_string(i) + "@x>"), "192.0.2.1", "Q", "", 100 + i);
  }
  EXPECT_EQ(index.Size(104), 3u);
  EXPECT_EQ(index.evicted(), 2u);
  EXPECT_FALSE(index.Find("<m0@x>", 104));
  EXPECT_FALSE(index.Find("<m1@x>", 104));
  EXPECT_TRUE(index.Find("<m2@x>", 104));
  EXPECT_TRUE(index.Find("<m4@x>", 104));
}

TEST(MessageIdIndexTest, OlderThanMaxAgeIsGoneAndNotCountedAsEvicted) {
  MessageIdIndex index(10, std::chrono::seconds(100));
  index.Add(MessageIdKey("<old@x>"), "192.0.2.1", "Q", "", 1000);
  index.Add(MessageIdKey("<new@x>"), "192.0.2.1", "Q", "", 1050);
  EXPECT_TRUE(index.Find("<old@x>", 1100));
  EXPECT_FALSE(index.Find("<old@x>", 1101));  // not yet trimmed, but too old
  EXPECT_EQ(index.Size(1101), 1u);
  EXPECT_TRUE(index.Find("<new@x>", 1101));
  EXPECT_EQ(index.evicted(), 0u);
}

TEST(MessageIdIndexTest, SetLimitsShrinksOldestFirstAndZeroKeepsNothing) {
  MessageIdIndex index(10, std::chrono::hours(1));
  for (int i = 0; i < 4; ++i)
    index.Add(MessageIdKey("<m" + std::to_string(i) + "@x>"), "", "", "", i);
  index.SetLimits(2, std::chrono::hours(1));
  EXPECT_EQ(index.Size(4), 2u);
  EXPECT_TRUE(index.Find("<m3@x>", 4));
  index.SetLimits(0, std::chrono::hours(1));
  index.Add(MessageIdKey("<m9@x>"), "", "", "", 5);
  EXPECT_EQ(index.Size(5), 0u);
}

TEST(MessageIdIndexTest, LongFieldsAreCutAndInternedStringsFreed) {
  MessageIdIndex index(1, std::chrono::hours(1));
  std::string long_id(40, 'Q');
  index.Add(MessageIdKey("<a@x>"), "192.0.2.1", long_id, std::string(300, 's'), 1);
  std::optional<MessageIdIndex::Entry> e = index.Find("<a@x>", 1);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->queue_id, long_id.substr(0, MessageIdIndex::kMaxQueueIdBytes));
  EXPECT_EQ(e->submitter.size(), MessageIdIndex::kMaxSubmitterBytes);
  size_t with_strings = index.ApproximateBytes();
  index.Add(MessageIdKey("<b@x>"), "", "Q", "", 2);  // evicts a@x and its strings
  EXPECT_LT(index.ApproximateBytes(), with_strings);
  EXPECT_EQ(index.Find("<b@x>", 2)->sending_ip, "");
}

TEST(MessageIdIndexTest, ManyThreadsAtOnce) {
  MessageIdIndex index(1000, std::chrono::hours(1));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&index, t] {
      for (int i = 0; i < 2000; ++i) {
        std::string id = "<" + std::to_string(t) + "-" + std::to_string(i) + "@x>";
        index.Add(MessageIdKey(id), "192.0.2." + std::to_string(t), "Q", "u", i);
        (void)index.Find(id, i);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(index.Size(2000), 1000u);
  EXPECT_EQ(index.evicted(), 7000u);
}

}  // namespace
}  // namespace mailrep
