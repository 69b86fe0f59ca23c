#include "collectors/queue/queued_message_lookup.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "collectors/queue/queue_test_util.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using ::testing::ElementsAre;

TEST(QueuedMessageLookupTest, PostfixFlatAndHashedQueues) {
  ScopedTempDir t;
  std::string root = t.path();
  std::string file = ReadQueueFixture("postfix/deferred_two_domains_B99EEA720AC");
  WriteTestFile(root + "/deferred/B/B99EEA720AC", file);
  WriteTestFile(root + "/defer/B/B99EEA720AC", ReadQueueFixture("postfix/defer_B99EEA720AC"));
  WriteTestFile(root + "/hold/BF991A720B7",
                ReadQueueFixture("postfix/deferred_two_reasons_BF991A720B7"));
  WriteTestFile(root + "/incoming/E81BAA72173", ReadQueueFixture("postfix/incoming_E81BAA72173"));
  WriteTestFile(root + "/active/D/6/D6386A72114",
                ReadQueueFixture("postfix/deferred_extracted_rcpts_D6386A72114"));

  StatusOr<std::optional<QueuedMessage>> deferred = FindPostfixQueuedMessage(root, "B99EEA720AC");
  ASSERT_OK(deferred);
  ASSERT_TRUE(deferred->has_value());
  EXPECT_EQ((*deferred)->queue, "deferred");
  EXPECT_TRUE((*deferred)->since.has_value());
  EXPECT_TRUE((*deferred)->arrival.has_value());
  ASSERT_EQ((*deferred)->recipients.size(), 2u);
  const QueuedRecipient& b = (*deferred)->recipients[0];
  EXPECT_EQ(b.address, "b@soft.example.test");
  EXPECT_EQ(b.dsn, "4.2.2");
  EXPECT_THAT(b.reason, ::testing::HasSubstr("Mailbox full"));

  for (auto [id, queue] : {std::pair{"BF991A720B7", "hold"}, std::pair{"E81BAA72173", "incoming"},
                           std::pair{"D6386A72114", "active"}}) {
    SCOPED_TRACE(id);
    StatusOr<std::optional<QueuedMessage>> m = FindPostfixQueuedMessage(root, id);
    ASSERT_OK(m);
    ASSERT_TRUE(m->has_value());
    EXPECT_EQ((*m)->queue, queue);
  }

  StatusOr<std::optional<QueuedMessage>> gone = FindPostfixQueuedMessage(root, "C1234A7FFFF");
  ASSERT_OK(gone);
  EXPECT_FALSE(gone->has_value());
  // Not a queue id: nothing is opened.
  StatusOr<std::optional<QueuedMessage>> odd = FindPostfixQueuedMessage(root, "../../etc/passwd");
  ASSERT_OK(odd);
  EXPECT_FALSE(odd->has_value());
  EXPECT_FALSE(FindPostfixQueuedMessage(root + "/absent", "B99EEA720AC").ok());
}

TEST(QueuedMessageLookupTest, PostfixCorruptFileIsAnError) {
  ScopedTempDir t;
  WriteTestFile(t.path() + "/deferred/C/C1234A7FFFF", "not a queue file");
  EXPECT_FALSE(FindPostfixQueuedMessage(t.path(), "C1234A7FFFF").ok());
}

TEST(QueuedMessageLookupTest, EximFrozenAndDeferred) {
  ScopedTempDir t;
  std::string spool = t.path();
  WriteTestFile(spool + "/input/1xWxJK-0008VF-0u-H",
                ReadQueueFixture("exim/frozen_1xWxJK-0008VF-0u-H"));
  // split_spool_directory: input/<sixth character>/
  WriteTestFile(spool + "/input/J/1xWxJJ-0008Uw-1r-H",
                ReadQueueFixture("exim/refused_1xWxJJ-0008Uw-1r-H"));
  WriteTestFile(spool + "/msglog/J/1xWxJJ-0008Uw-1r",
                ReadQueueFixture("exim/msglog_1xWxJJ-0008Uw-1r"));

  StatusOr<std::optional<QueuedMessage>> frozen = FindEximQueuedMessage(spool, "1xWxJK-0008VF-0u");
  ASSERT_OK(frozen);
  ASSERT_TRUE(frozen->has_value());
  EXPECT_EQ((*frozen)->queue, "hold");
  EXPECT_EQ((*frozen)->since, (*frozen)->arrival);

  StatusOr<std::optional<QueuedMessage>> refused = FindEximQueuedMessage(spool, "1xWxJJ-0008Uw-1r");
  ASSERT_OK(refused);
  ASSERT_TRUE(refused->has_value());
  EXPECT_EQ((*refused)->queue, "deferred");
  ASSERT_EQ((*refused)->recipients.size(), 1u);
  EXPECT_EQ((*refused)->recipients[0].address, "e@down.example.test");
  EXPECT_EQ((*refused)->recipients[0].reason, "Connection refused");

  StatusOr<std::optional<QueuedMessage>> none = FindEximQueuedMessage(spool, "1xWxJK-0000AA-00");
  ASSERT_OK(none);
  EXPECT_FALSE(none->has_value());
  EXPECT_FALSE(FindEximQueuedMessage(spool + "/absent", "1xWxJK-0008VF-0u").ok());
}

}  // namespace
}  // namespace mailrep
