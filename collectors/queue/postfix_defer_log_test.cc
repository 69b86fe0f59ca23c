#include "collectors/queue/postfix_defer_log.h"

#include <gtest/gtest.h>

#include "collectors/queue/queue_test_util.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

TEST(PostfixDeferLogTest, RealLogWithTwoRecipients) {
  StatusOr<PostfixDeferLog> log =
      ParsePostfixDeferLog(ReadQueueFixture("postfix/defer_B99EEA720AC"));
  ASSERT_OK(log);
  ASSERT_EQ(log->entries.size(), 2u);
  EXPECT_EQ(log->malformed_lines, 0u);
  const PostfixDeferEntry& first = log->entries[0];
  EXPECT_EQ(first.recipient, "b@soft.example.test");
  EXPECT_EQ(first.offset, 253u);
  EXPECT_EQ(first.status, "4.2.2");
  EXPECT_EQ(first.action, "delayed");
  EXPECT_EQ(first.reason,
            "host 127.0.0.1[127.0.0.1] said: 452 4.2.2 <user> Mailbox full, try again later (in "
            "reply to RCPT TO command)");
  EXPECT_EQ(log->entries[1].recipient, "c@soft2.example.test");
  EXPECT_EQ(log->entries[1].offset, 339u);
}

struct LogCase {
  const char* what;
  std::string text;
  size_t entries;
  uint64_t malformed;
  const char* first_reason;
};

TEST(PostfixDeferLogTest, Table) {
  const LogCase cases[] = {
      {"empty", "", 0, 0, ""},
      {"only blank lines", "\n\n\n", 0, 0, ""},
      {"no trailing blank line", "recipient=a@x\nreason=boom", 1, 0, "boom"},
      {"crlf", "recipient=a@x\r\nreason=boom\r\n\r\n", 1, 0, "boom"},
      {"old-style line only", "<a@x>: something\n\n", 0, 0, ""},
      {"malformed lines", "garbage\nrecipient=a@x\n=x\nreason=r\n", 1, 2, "r"},
      {"bad offset", "recipient=a@x\noffset=12x\nreason=r\n", 1, 1, "r"},
      {"unknown keys", "recipient=a@x\nfuture_key=1\nreason=r\n", 1, 0, "r"},
      {"value with =", "recipient=a@x\nreason=a=b=c\n", 1, 0, "a=b=c"},
      {"two entries", "recipient=a@x\nreason=one\n\nrecipient=b@x\nreason=two\n", 2, 0, "one"},
  };
  for (const LogCase& c : cases) {
    SCOPED_TRACE(c.what);
    StatusOr<PostfixDeferLog> log = ParsePostfixDeferLog(c.text);
    ASSERT_OK(log);
    EXPECT_EQ(log->entries.size(), c.entries);
    EXPECT_EQ(log->malformed_lines, c.malformed);
    if (c.entries > 0) {
      EXPECT_EQ(log->entries[0].reason, c.first_reason);
    }
  }
}

TEST(PostfixDeferLogTest, BinaryIsAnError) {
  EXPECT_FALSE(ParsePostfixDeferLog(std::string("recipient=a\0b\n", 14)).ok());
}

TEST(PostfixDeferLogTest, BoundsEntriesAndReasonLength) {
  std::string text;
  for (int i = 0; i < 20; ++i) text += "recipient=a@x\nreason=" + std::string(5000, 'r') + "\n\n";
  StatusOr<PostfixDeferLog> log = ParsePostfixDeferLog(text, 5);
  ASSERT_OK(log);
  EXPECT_EQ(log->entries.size(), 5u);
  EXPECT_EQ(log->dropped_entries, 15u);
  EXPECT_EQ(log->entries[0].reason.size(), kMaxDeferReasonLength);
}

}  // namespace
}  // namespace mailrep
