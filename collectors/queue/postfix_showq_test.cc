#include "collectors/queue/postfix_showq.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "collectors/queue/postfix_fake_showq.h"
#include "collectors/queue/postfix_queue_scan.h"
#include "collectors/queue/queue_test_util.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"
#include "gtest/gtest.h"

namespace mailrep {
namespace {

std::string Attr(std::string_view name, std::string_view value) {
  std::string out(name);
  out += '\0';
  out += value;
  out += '\0';
  return out;
}

const std::string kGroupEnd(1, '\0');
const std::string kGreeting = Attr("protocol", "mail_queue_list_protocol") + kGroupEnd;

std::string Message(std::string_view queue, std::string_view id, std::string_view time,
                    std::string_view size,
                    std::vector<std::pair<std::string, std::string>> recipients) {
  std::string out = Attr("queue_name", queue) + Attr("queue_id", id) + Attr("time", time) +
                    Attr("size", size) + Attr("forced_expire", "0") +
                    Attr("sender", "s@lab.example.test");
  for (const auto& [address, reason] : recipients) {
    out += Attr("recipient", address) + Attr("reason", reason);
  }
  return out + kGroupEnd;
}

// What Postfix 3.7's showq sends for a small queue.
std::string LabStream() {
  return kGreeting +
         Message("deferred", "32D4FA7836C", "1795786792", "315",
                 {{"d@soft.example.test",
                   "host 127.0.0.1[127.0.0.1] said: 452 4.2.2 Mailbox full, try later"}}) +
         Message(
             "deferred", "40619A78374", "1795786700", "400",
             {{"e@down.example.test", "connect to 127.0.0.1[127.0.0.1]:2599: Connection refused"},
              {"f@Down.Example.Test", ""},
              {"g@soft.example.test", "452 4.2.2 Mailbox full"}}) +
         Message("active", "4897BA78378", "1795786800", "100", {{"h@ok.example.test", ""}}) +
         Message("hold", "57A16A7837A", "1795786600", "50", {{"t1@soft.example.test", ""}}) +
         Message("maildrop", "0C9DAA7836C", "1795786900", "7", {{"u@ok.example.test", ""}}) +
         kGroupEnd;
}

void ExpectLabScan(const QueueScan& scan) {
  ASSERT_EQ(scan.queues.size(), kPostfixQueueNames.size());
  EXPECT_EQ(scan.source, "showq");
  const QueueStats& deferred = scan.queue(PostfixQueue::kDeferred);
  EXPECT_EQ(deferred.messages, 2u);
  EXPECT_EQ(deferred.bytes, 715u);
  EXPECT_EQ(deferred.recipients, 4u);
  EXPECT_EQ(deferred.oldest_arrival, 1795786700);
  EXPECT_EQ(scan.queue(PostfixQueue::kActive).messages, 1u);
  EXPECT_EQ(scan.queue(PostfixQueue::kHold).messages, 1u);
  EXPECT_EQ(scan.queue(PostfixQueue::kHold).oldest_arrival, 1795786600);
  EXPECT_EQ(scan.queue(PostfixQueue::kMaildrop).bytes, 7u);
  EXPECT_EQ(scan.queue(PostfixQueue::kIncoming).messages, 0u);
  EXPECT_FALSE(scan.queue(PostfixQueue::kIncoming).oldest_arrival);
  std::unordered_map<std::string, uint64_t> want = {{"soft.example.test", 2},
                                                    {"down.example.test", 1}};
  EXPECT_EQ(scan.deferred_by_destination, want);
  EXPECT_EQ(scan.deferred_by_reason[static_cast<size_t>(ReplyReason::kMailboxFull)], 2u);
  EXPECT_EQ(scan.deferred_by_reason[static_cast<size_t>(ReplyReason::kConnection)], 1u);
  EXPECT_EQ(scan.problems.Total(), 0u);
}

// The stream may arrive in any pieces.
TEST(PostfixShowqParserTest, AnyChunkingGivesTheSameScan) {
  std::string stream = LabStream();
  for (size_t piece : {stream.size(), size_t{1}, size_t{2}, size_t{7}, size_t{64}}) {
    SCOPED_TRACE(piece);
    PostfixShowqParser parser;
    for (size_t at = 0; at < stream.size(); at += piece) {
      ASSERT_OK(parser.Feed(std::string_view(stream).substr(at, piece)));
    }
    EXPECT_TRUE(parser.done());
    EXPECT_EQ(parser.messages(), 5u);
    ExpectLabScan(parser.TakeScan());
  }
}

TEST(PostfixShowqParserTest, VersionsAndExtraAttributes) {
  struct Case {
    const char* name;
    std::string stream;
    uint64_t deferred;
    uint64_t recipients;
  };
  // Postfix 3.1-3.5: no greeting. Newer: original_recipient and log_class.
  std::string newer = kGreeting + Attr("queue_name", "deferred") + Attr("queue_id", "A1") +
                      Attr("time", "10") + Attr("size", "5") + Attr("future_thing", "x") +
                      Attr("original_recipient", "o@x.test") + Attr("recipient", "r@x.test") +
                      Attr("log_class", "defer") + Attr("reason", "Connection timed out") +
                      kGroupEnd + kGroupEnd;
  const Case cases[] = {
      {"no greeting", Message("deferred", "A1", "10", "5", {{"a@x.test", ""}}) + kGroupEnd, 1, 1},
      {"newer", newer, 1, 1},
      {"empty queue", kGreeting + kGroupEnd, 0, 0},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    PostfixShowqParser parser;
    ASSERT_OK(parser.Feed(c.stream));
    EXPECT_TRUE(parser.done());
    QueueScan scan = parser.TakeScan();
    EXPECT_EQ(scan.queue(PostfixQueue::kDeferred).messages, c.deferred);
    EXPECT_EQ(scan.queue(PostfixQueue::kDeferred).recipients, c.recipients);
    EXPECT_EQ(scan.problems.Total(), 0u);
  }
}

TEST(PostfixShowqParserTest, BadMessagesAreCountedAndSkipped) {
  std::string stream =
      kGreeting + Message("deferred", "A1", "soon", "5", {}) +
      Message("deferred", "A2", "10", "-5", {}) + Message("nosuchqueue", "A3", "10", "5", {}) +
      Message("corrupt", "A4", "10", "5", {}) + Attr("queue_name", "deferred") + Attr("time", "1") +
      kGroupEnd + Message("deferred", "A5", "10", "5", {{"x@y.test", ""}}) + kGroupEnd;
  PostfixShowqParser parser;
  ASSERT_OK(parser.Feed(stream));
  EXPECT_TRUE(parser.done());
  QueueScan scan = parser.TakeScan();
  EXPECT_EQ(scan.queue(PostfixQueue::kDeferred).messages, 1u);
  EXPECT_EQ(scan.problems.Get(SpoolProblem::kCorrupt), 5u);
}

TEST(PostfixShowqParserTest, BrokenStreamsFail) {
  struct Case {
    const char* name;
    std::string stream;
  };
  const Case cases[] = {
      {"pre-3.1 text", std::string(200, '-') + "Queue ID"},
      {"long name", std::string(kMaxShowqName + 1, 'n')},
      {"long value", Attr("queue_id", std::string(kMaxShowqValue + 1, 'v'))},
      {"after the end", kGreeting + kGroupEnd + "x"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    PostfixShowqParser parser;
    Status s = parser.Feed(c.stream);
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
    EXPECT_EQ(parser.Feed("more").code(), Status::Code::kInvalidArgument);
  }
  PostfixShowqParser truncated;
  ASSERT_OK(truncated.Feed(kGreeting + Message("deferred", "A1", "1", "1", {})));
  EXPECT_FALSE(truncated.done());
}

TEST(ReadPostfixShowqTest, ReadsTheSocket) {
  ScopedTempDir tmp;
  std::string path = tmp.path() + "/showq";
  FakeShowq server(path, LabStream());
  StatusOr<QueueScan> scan = ReadPostfixShowq(path, 1000, {});
  ASSERT_OK(scan);
  ExpectLabScan(*scan);
}

TEST(ReadPostfixShowqTest, TruncatedStreamIsAnError) {
  ScopedTempDir tmp;
  std::string path = tmp.path() + "/showq";
  FakeShowq server(path, kGreeting + Message("deferred", "A1", "1", "1", {}));
  EXPECT_EQ(ReadPostfixShowq(path, 1000, {}).status().code(), Status::Code::kIoError);
}

TEST(ReadPostfixShowqTest, NoServiceIsUnavailable) {
  ScopedTempDir tmp;
  EXPECT_EQ(ReadPostfixShowq(tmp.path() + "/showq", 1000, {}).status().code(),
            Status::Code::kUnavailable);
}

}  // namespace
}  // namespace mailrep
