#include "collectors/reports/imap_responses.h"

#include <gtest/gtest.h>

namespace mailrep {
namespace {

TEST(ImapResponsesTest, UidValidity) {
  EXPECT_EQ(ParseUidValidity("* OK [UIDVALIDITY 3857529045] UIDs valid\r\n"), 3857529045u);
  EXPECT_EQ(ParseUidValidity("* ok [uidvalidity 7]"), 7u);
  EXPECT_EQ(ParseUidValidity("* OK [UIDNEXT 4392] Predicted next UID"), std::nullopt);
  EXPECT_EQ(ParseUidValidity("* OK [UIDVALIDITY 0]"), std::nullopt);
  EXPECT_EQ(ParseUidValidity("* OK [UIDVALIDITY 4294967296]"), std::nullopt);
  EXPECT_EQ(ParseUidValidity("* OK [UIDVALIDITY 12"), std::nullopt);
  EXPECT_EQ(ParseUidValidity("A1 OK [UIDVALIDITY 12]"), std::nullopt);
}

TEST(ImapResponsesTest, SearchUidsSortedUniqueCapped) {
  EXPECT_EQ(ParseSearchUids("* SEARCH 9 2 84 2\r\n", 10), (std::vector<uint32_t>{2, 9, 84}));
  EXPECT_EQ(ParseSearchUids("* SEARCH\r\n", 10), std::vector<uint32_t>{});
  EXPECT_EQ(ParseSearchUids("* 3 EXISTS\r\n* SEARCH 5 6\r\n* SEARCH 1\r\n", 2),
            (std::vector<uint32_t>{1, 5}));
  EXPECT_EQ(ParseSearchUids("* search 4 5", 10), (std::vector<uint32_t>{4, 5}));
}

TEST(ImapResponsesTest, SearchStopsAtACutOrJunk) {
  // A line cut inside a number keeps the numbers before the cut whole.
  EXPECT_EQ(ParseSearchUids("* SEARCH 7 8 1x\r\n", 10), (std::vector<uint32_t>{7, 8}));
  EXPECT_EQ(ParseSearchUids("* SEARCH 7 0 9\r\n", 10), (std::vector<uint32_t>{7}));
  EXPECT_EQ(ParseSearchUids("* SEARCH 7 99999999999\r\n", 10), (std::vector<uint32_t>{7}));
  EXPECT_EQ(ParseSearchUids("* SEARCHING 7\r\n", 10), std::vector<uint32_t>{});
}

TEST(ImapResponsesTest, FetchInfoInAnyItemOrder) {
  std::vector<ImapMessageInfo> info = ParseFetchInfo(
      "* 1 FETCH (UID 2 FLAGS (\\Recent) RFC822.SIZE 4410)\r\n"
      "* 2 FETCH (FLAGS (\\Seen $Forwarded) UID 3 RFC822.SIZE 812)\r\n"
      "* 3 FETCH (FLAGS (\\Seen))\r\n"  // unsolicited: no UID, size
      "* 4 FETCH (RFC822.SIZE 10 UID 12 MODSEQ (5))\r\n"
      "* 5 FETCH (UID 13 BODY[] {12}\r\n"  // a literal: not ours
      "* SEARCH 1\r\n");
  ASSERT_EQ(info.size(), 3u);
  EXPECT_EQ(info[0].uid, 2u);
  EXPECT_EQ(info[0].size, 4410u);
  EXPECT_FALSE(info[0].seen);
  EXPECT_EQ(info[1].uid, 3u);
  EXPECT_EQ(info[1].size, 812u);
  EXPECT_TRUE(info[1].seen);
  EXPECT_EQ(info[2].uid, 12u);
  EXPECT_FALSE(info[2].seen);
}

TEST(ImapResponsesTest, FetchInfoRefusesJunk) {
  EXPECT_TRUE(ParseFetchInfo("* 1 FETCH (UID 0 RFC822.SIZE 1)").empty());
  EXPECT_TRUE(ParseFetchInfo("* 1 FETCH (UID x RFC822.SIZE 1)").empty());
  EXPECT_TRUE(ParseFetchInfo("* 1 FETCH (UID 5 RFC822.SIZE").empty());
  EXPECT_TRUE(ParseFetchInfo("* 1 FETCH (UID 5 FLAGS (\\Seen").empty());
  EXPECT_TRUE(ParseFetchInfo("* x FETCH (UID 5 RFC822.SIZE 1)").empty());
}

TEST(ImapResponsesTest, UidSetRanges) {
  EXPECT_EQ(UidSet(std::vector<uint32_t>{}), "");
  EXPECT_EQ(UidSet(std::vector<uint32_t>{5}), "5");
  EXPECT_EQ(UidSet(std::vector<uint32_t>{1, 2, 3, 7, 9, 10, 10, 11}), "1:3,7,9:11");
}

}  // namespace
}  // namespace mailrep
