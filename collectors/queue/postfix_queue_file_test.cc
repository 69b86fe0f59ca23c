#include "collectors/queue/postfix_queue_file.h"

#include <gtest/gtest.h>

#include "collectors/queue/postfix_queue_file_writer.h"
#include "collectors/queue/postfix_queue_scan.h"
#include "collectors/queue/queue_test_util.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

std::vector<std::string> Addresses(const PostfixQueueFileInfo& info) {
  std::vector<std::string> out;
  for (const PostfixRecipient& r : info.pending) out.push_back(r.address);
  return out;
}

// Queue files written by a real Postfix 3.7.11 (tests/queue/postfix_lab.sh);
// expectations from postcat and postqueue -j on the same files.
struct RealCase {
  const char* fixture;
  bool has_size_record;
  uint64_t size;
  int64_t arrival;
  bool null_sender;
  std::vector<std::string> pending;
  std::vector<uint64_t> offsets;  // from the matching defer log; empty: not checked
};

TEST(PostfixQueueFileTest, RealPostfixFiles) {
  const RealCase cases[] = {
      {"deferred_two_domains_B99EEA720AC",
       true,
       332,
       1795789080,
       false,
       {"b@soft.example.test", "c@soft2.example.test"},
       {253, 339}},
      {"deferred_two_reasons_BF991A720B7",
       true,
       332,
       1795789080,
       false,
       {"f@block.example.test", "g@soft.example.test"},
       {255, 340}},
      {"deferred_extracted_rcpts_D6386A72114",
       true,
       312,
       1795789080,
       false,
       {"q@soft.example.test", "r@block.example.test"},
       {570, 656}},
      {"deferred_null_sender_D2306A72104",
       true,
       292,
       1795789080,
       true,
       {"o@soft.example.test"},
       {}},
      {"incoming_E81BAA72173", true, 312, 1795789081, false, {"t1@soft.example.test"}, {}},
      {"maildrop_07E08A722A7", false, 0, 1795789084, false, {"u@soft.example.test"}, {}},
  };
  for (const RealCase& c : cases) {
    SCOPED_TRACE(c.fixture);
    std::string data = ReadQueueFixture(std::string("postfix/") + c.fixture);
    StatusOr<PostfixQueueFileInfo> info = ParsePostfixQueueFile(data);
    ASSERT_OK(info);
    EXPECT_EQ(info->has_size_record, c.has_size_record);
    EXPECT_EQ(info->content_size, c.size);
    ASSERT_TRUE(info->arrival_time.has_value());
    EXPECT_EQ(*info->arrival_time, c.arrival);
    EXPECT_TRUE(info->has_sender);
    EXPECT_EQ(info->null_sender, c.null_sender);
    EXPECT_EQ(info->pending_recipients, c.pending.size());
    EXPECT_EQ(Addresses(*info), c.pending);
    EXPECT_EQ(info->done_recipients, 0u);
    EXPECT_EQ(info->unknown_records, 0u);
    for (size_t i = 0; i < c.offsets.size() && i < info->pending.size(); ++i) {
      EXPECT_EQ(info->pending[i].offset, c.offsets[i]);
    }
  }
}

TEST(PostfixQueueFileTest, SyntheticFileRoundTrip) {
  SyntheticPostfixMessage m;
  m.arrival = 1700000000;
  m.sender = "a@example.org";
  m.recipients = {{"x@one.example", 'D'}, {"y@two.example", 'R'}, {"z@two.example", '/'}};
  m.extracted_recipients = {{"w@three.example", 'R'}};
  BuiltQueueFile built = BuildPostfixQueueFile(m);
  StatusOr<PostfixQueueFileInfo> info = ParsePostfixQueueFile(built.bytes);
  ASSERT_OK(info);
  EXPECT_EQ(info->content_size, built.content_size);
  EXPECT_EQ(info->recipient_count, 4u);
  EXPECT_EQ(info->pending_recipients, 2u);
  EXPECT_EQ(info->done_recipients, 1u);
  EXPECT_EQ(info->cancelled_recipients, 1u);
  EXPECT_EQ(Addresses(*info), (std::vector<std::string>{"y@two.example", "w@three.example"}));
  EXPECT_EQ(info->pending[0].offset, built.recipient_offsets[1]);
}

// read_origin: the sender, the attributes naming the submitter, and the uid
// in cleanup's Received field; without it none of them is read.
TEST(PostfixQueueFileTest, ReadsTheOriginWhenAsked) {
  SyntheticPostfixMessage m;
  m.sender = "alice@auth.example";
  m.recipients = {{"y@two.example", 'R'}};
  m.attributes = {"log_client_address=192.0.2.9", "client_address=127.0.0.1", "sasl_method=PLAIN",
                  "sasl_username=alice"};
  m.body_lines = {"Received: by lab.example.test (Postfix, from userid 1001)",
                  "\tid ABC; Tue, 1 Dec 2026 00:00:00 +0000 (UTC)", "Subject: t", "", "hi"};
  std::string bytes = BuildPostfixQueueFile(m).bytes;
  StatusOr<PostfixQueueFileInfo> plain = ParsePostfixQueueFile(bytes);
  ASSERT_OK(plain);
  EXPECT_EQ(plain->sender, "");
  EXPECT_EQ(plain->sasl_username, "");
  StatusOr<PostfixQueueFileInfo> info = ParsePostfixQueueFile(bytes, {.read_origin = true});
  ASSERT_OK(info);
  EXPECT_EQ(info->sender, "alice@auth.example");
  EXPECT_EQ(info->sasl_username, "alice");
  EXPECT_EQ(info->client_address, "192.0.2.9");  // the original client, not the filter's
  EXPECT_EQ(info->rewrite_context, "local");
  EXPECT_EQ(info->userid, 1001u);
  EXPECT_EQ(info->pending_recipients, 1u);

  // Real lab files of root's `sendmail`: cleanup's Received field names uid
  // 0; the maildrop file (before cleanup) has none.
  StatusOr<PostfixQueueFileInfo> real = ParsePostfixQueueFile(
      ReadQueueFixture("postfix/deferred_two_domains_B99EEA720AC"), {.read_origin = true});
  ASSERT_OK(real);
  EXPECT_EQ(real->sender, "s1@lab.example.test");
  EXPECT_EQ(real->rewrite_context, "local");
  EXPECT_EQ(real->userid, 0u);
  EXPECT_EQ(PostfixOrigin(*real).submitter, "uid=0");
  StatusOr<PostfixQueueFileInfo> maildrop = ParsePostfixQueueFile(
      ReadQueueFixture("postfix/maildrop_07E08A722A7"), {.read_origin = true});
  ASSERT_OK(maildrop);
  EXPECT_EQ(maildrop->sender, "s5@lab.example.test");
  EXPECT_EQ(maildrop->userid, std::nullopt);
  QueueOrigin owner = PostfixOrigin(*maildrop, 1000);
  EXPECT_EQ(SubmitterKey(owner.kind, owner.submitter), "local:uid=1000");
  QueueOrigin sasl = PostfixOrigin(*info);
  EXPECT_EQ(SubmitterKey(sasl.kind, sasl.submitter), "sasl:alice");
}

TEST(PostfixQueueFileTest, WalksContentWhenSizeRecordIsWrong) {
  SyntheticPostfixMessage m;
  m.recipients = {{"a@x.example"}};
  m.extracted_recipients = {{"b@y.example"}};
  std::string bytes = BuildPostfixQueueFile(m).bytes;
  // Make the content size point into the middle of the content.
  size_t field = bytes.find_first_not_of(' ', 2);
  bytes[field] = '1';
  StatusOr<PostfixQueueFileInfo> info = ParsePostfixQueueFile(bytes);
  ASSERT_OK(info);
  EXPECT_EQ(info->pending_recipients, 2u);
}

TEST(PostfixQueueFileTest, FollowsPointerRecords) {
  // Envelope: T S p(->appended) ; appended: R p(->back) ; then M N X E.
  std::string head = PostfixRecord('T', "1700000000 0") + PostfixRecord('S', "s@x.example");
  std::string back_ptr_target;  // filled below
  char ptr[32];
  std::string tail_start = PostfixRecord('M', "") + PostfixRecord('N', "hi") +
                           PostfixRecord('X', "") + PostfixRecord('E', "");
  // Layout: head | p(A) | M N X E | R | p(B) where A = offset of R, B = offset of M.
  size_t p1_len = PostfixRecord('p', std::string(15, '0')).size();
  size_t m_offset = head.size() + p1_len;
  size_t r_offset = m_offset + tail_start.size();
  std::snprintf(ptr, sizeof(ptr), "%15zu", r_offset);
  std::string file = head + PostfixRecord('p', ptr) + tail_start;
  file += PostfixRecord('R', "late@added.example");
  std::snprintf(ptr, sizeof(ptr), "%15zu", m_offset);
  file += PostfixRecord('p', ptr);
  StatusOr<PostfixQueueFileInfo> info = ParsePostfixQueueFile(file);
  ASSERT_OK(info);
  EXPECT_EQ(Addresses(*info), std::vector<std::string>{"late@added.example"});
  EXPECT_EQ(info->pending[0].offset, r_offset);
}

TEST(PostfixQueueFileTest, PointerLoopIsCorrupt) {
  char ptr[32];
  std::snprintf(ptr, sizeof(ptr), "%15d", 0 + 0);
  std::string file = PostfixRecord('T', "1 0");
  size_t p_offset = file.size();
  std::snprintf(ptr, sizeof(ptr), "%15zu", p_offset);
  file += PostfixRecord('p', ptr);
  StatusOr<PostfixQueueFileInfo> info = ParsePostfixQueueFile(file);
  ASSERT_FALSE(info.ok());
  EXPECT_NE(info.status().message().find("pointer loop"), std::string::npos);
}

TEST(PostfixQueueFileTest, CountsUnknownRecords) {
  std::string file = PostfixRecord('T', "5 0") + PostfixRecord('#', "future") +
                     PostfixRecord('S', "") + PostfixRecord('M', "") + PostfixRecord('N', "x") +
                     PostfixRecord('X', "") + PostfixRecord('E', "");
  StatusOr<PostfixQueueFileInfo> info = ParsePostfixQueueFile(file);
  ASSERT_OK(info);
  EXPECT_EQ(info->unknown_records, 1u);
  EXPECT_TRUE(info->null_sender);
}

TEST(PostfixQueueFileTest, KeepsAtMostMaxRecipients) {
  SyntheticPostfixMessage m;
  for (int i = 0; i < 50; ++i) m.recipients.push_back({"r" + std::to_string(i) + "@x.example"});
  PostfixQueueFileOptions options;
  options.max_kept_recipients = 10;
  StatusOr<PostfixQueueFileInfo> info =
      ParsePostfixQueueFile(BuildPostfixQueueFile(m).bytes, options);
  ASSERT_OK(info);
  EXPECT_EQ(info->pending_recipients, 50u);
  EXPECT_EQ(info->pending.size(), 10u);
}

struct CorruptCase {
  const char* what;
  std::string bytes;
  const char* message;
};

TEST(PostfixQueueFileTest, CorruptInputIsAClearError) {
  const CorruptCase cases[] = {
      {"empty", "", "no end record"},
      {"only a type byte", "T", "truncated record length"},
      {"5-byte length", std::string("T\x80\x80\x80\x80\x01", 6), "record length too long"},
      {"short payload", std::string("T\x10", 2) + "12", "truncated"},
      {"bad time", PostfixRecord('T', "soon"), "bad time record"},
      {"bad size", PostfixRecord('C', "12 x 1"), "bad size record"},
      {"end before content", PostfixRecord('E', ""), "end record before content"},
      {"end inside content", PostfixRecord('M', "") + PostfixRecord('E', ""),
       "end record inside the message content"},
      {"no end", PostfixRecord('M', "") + PostfixRecord('X', ""), "no end record"},
      {"huge address", PostfixRecord('R', std::string(70000, 'a')), "record too long"},
  };
  for (const CorruptCase& c : cases) {
    SCOPED_TRACE(c.what);
    StatusOr<PostfixQueueFileInfo> info = ParsePostfixQueueFile(c.bytes);
    ASSERT_FALSE(info.ok());
    EXPECT_EQ(info.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(info.status().message().find(c.message), std::string::npos)
        << info.status().message();
  }
}

// Every prefix of a real file (a half-written or truncated file) is an error,
// never a crash; only the whole file parses.
TEST(PostfixQueueFileTest, EveryTruncationIsAnError) {
  std::string data = ReadQueueFixture("postfix/deferred_extracted_rcpts_D6386A72114");
  ASSERT_FALSE(data.empty());
  for (size_t n = 0; n < data.size(); ++n) {
    EXPECT_FALSE(ParsePostfixQueueFile(std::string_view(data).substr(0, n)).ok()) << n;
  }
  EXPECT_OK(ParsePostfixQueueFile(data));
}

}  // namespace
}  // namespace mailrep
