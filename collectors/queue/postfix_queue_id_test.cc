#include "collectors/queue/postfix_queue_id.h"

#include <gtest/gtest.h>

#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

struct IdCase {
  const char* name;
  bool ok;
  bool is_long;
  int64_t seconds;  // -1: none
  uint32_t microseconds;
  uint64_t inode;
  const char* hash1;
};

TEST(PostfixQueueIdTest, Table) {
  const IdCase cases[] = {
      // Long ids from mta-formats.md: seconds, usec and inode checked against the lab.
      {"4jbYzv0xhDz25p6w", true, true, 1795785883, 134380, 14303253, "2"},
      {"4jbYzt6TyKz25p6r", true, true, -1, 0, 0, "D"},
      // Short ids from the lab: 5 hex digits of microseconds, then the inode.
      {"B99EEA720AC", true, false, -1, 0xB99EE, 0xA720AC, "B"},
      {"07E08A722A7", true, false, -1, 0x07E08, 0xA722A7, "0"},
      {"0AAAAAAAAAA", true, false, -1, 0x0AAAA, 0xAAAAAA, "0"},
      {"", false, false, -1, 0, 0, ""},
      {"B99EE", false, false, -1, 0, 0, ""},             // no inode
      {"FFFFF1", false, false, -1, 0, 0, ""},            // usec > 999999
      {"b99eea720ac", false, false, -1, 0, 0, ""},       // lower case: neither form
      {"12345.6789", false, false, -1, 0, 0, ""},        // a temporary file
      {"4jbYzv0xhDz", false, false, -1, 0, 0, ""},       // no inode
      {"jbYzv0xhDz25p6w", false, false, -1, 0, 0, ""},   // 5 second digits: too short
      {"4jbYzv0xhDz25p6a", false, false, -1, 0, 0, ""},  // 'a' is not in the alphabet
      {"4jbYzvzzzzz25p6w", false, false, -1, 0, 0, ""},  // usec "zzzz" > 999999
      {"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", false, false, -1, 0, 0, ""},
  };
  for (const IdCase& c : cases) {
    SCOPED_TRACE(c.name);
    StatusOr<PostfixQueueId> id = ParsePostfixQueueId(c.name);
    ASSERT_EQ(id.ok(), c.ok) << id.status().ToString();
    if (!c.ok) continue;
    EXPECT_EQ(id->is_long, c.is_long);
    if (c.seconds >= 0) {
      ASSERT_TRUE(id->seconds.has_value());
      EXPECT_EQ(*id->seconds, c.seconds);
      EXPECT_EQ(id->microseconds, c.microseconds);
      EXPECT_EQ(id->inode, c.inode);
    } else if (!c.is_long) {
      EXPECT_FALSE(id->seconds.has_value());
      EXPECT_EQ(id->microseconds, c.microseconds);
      EXPECT_EQ(id->inode, c.inode);
    }
    EXPECT_EQ(PostfixQueueHashPrefix(*id, 1), c.hash1);
  }
}

TEST(PostfixQueueIdTest, HashPrefixDepths) {
  StatusOr<PostfixQueueId> id = ParsePostfixQueueId("4jbYzv0xhDz25p6w");
  ASSERT_OK(id);
  EXPECT_EQ(PostfixQueueHashPrefix(*id, 0), "");
  EXPECT_EQ(PostfixQueueHashPrefix(*id, 2), "20");
  EXPECT_EQ(PostfixQueueHashPrefix(*id, 5), "20CEC");
  EXPECT_EQ(PostfixQueueHashPrefix(*id, 9), "20CEC");
}

}  // namespace
}  // namespace mailrep
