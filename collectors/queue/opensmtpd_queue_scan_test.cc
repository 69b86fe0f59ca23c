#include "collectors/queue/opensmtpd_queue_scan.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <map>
#include <string>

#include "collectors/queue/queue_test_util.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

std::string FixtureSpool() {
  const char* src = std::getenv("MAILREP_SOURCE_DIR");
  std::string base = src != nullptr ? std::string(src) + "/tests/queue/fixtures"
                                    : std::string(MAILREP_QUEUE_FIXTURES);
  return base + "/opensmtpd/spool";
}

std::string Envelope(const std::string& rcpt, int64_t ctime, int retry,
                     const std::string& errorline = "") {
  std::string text = "version: 3\ndispatcher: relay\ntype: mta\n";
  if (!errorline.empty()) text += "errorline: " + errorline + "\n";
  text += "sender: s@lab.example.test\nrcpt: " + rcpt + "\ndest: " + rcpt +
          "\nctime: " + std::to_string(ctime) + "\nlast-try: 0\nretry: " + std::to_string(retry) +
          "\n";
  return text;
}

uint64_t Reason(const QueueScan& scan, ReplyReason r) {
  return scan.deferred_by_reason[static_cast<size_t>(r)];
}

std::map<std::string, uint64_t> Destinations(const QueueScan& scan) {
  return {scan.deferred_by_destination.begin(), scan.deferred_by_destination.end()};
}

// A spool written by OpenSMTPD 6.8.0p2 (see tests/queue/fixtures/README.md);
// expectations from `smtpctl show queue` and the sizes smtpd logged.
TEST(OpensmtpdQueueScanTest, RealSpool) {
  StatusOr<QueueScan> scan = ScanOpensmtpdSpool(FixtureSpool(), {}, {});
  ASSERT_OK(scan);
  ASSERT_EQ(scan->queues.size(), kOpensmtpdQueueNames.size());
  const QueueStats& deferred = scan->queue(OpensmtpdQueue::kDeferred);
  EXPECT_EQ(deferred.messages, 4u);
  EXPECT_EQ(deferred.recipients, 6u);
  EXPECT_EQ(deferred.bytes, 231u + 316u + 327u + 1472u);
  EXPECT_EQ(deferred.oldest_arrival, 1795800375);
  EXPECT_EQ(scan->queue(OpensmtpdQueue::kQueued).messages, 0u);
  EXPECT_EQ(scan->queue(OpensmtpdQueue::kQueued).oldest_arrival, std::nullopt);
  const QueueStats& incoming = scan->queue(OpensmtpdQueue::kIncoming);
  EXPECT_EQ(incoming.messages, 1u);
  EXPECT_EQ(incoming.recipients, 2u);
  EXPECT_EQ(incoming.bytes, 0u);  // temporary/<msgid>: the body was not flushed yet
  EXPECT_EQ(incoming.oldest_arrival, 1795800606);
  EXPECT_EQ(scan->queue(OpensmtpdQueue::kCorrupt).messages, 0u);
  const QueueStats& offline = scan->queue(OpensmtpdQueue::kOffline);
  EXPECT_EQ(offline.messages, 1u);
  EXPECT_EQ(offline.bytes, 45u);
  EXPECT_EQ(offline.recipients, 0u);
  EXPECT_EQ(offline.oldest_arrival, 1795800453);
  std::map<std::string, uint64_t> want = {{"b.test", 1},
                                          {"d.test", 1},
                                          {"busy.example.test", 1},
                                          {"soft.example.test", 1},
                                          {"lab.example.test", 1}};
  EXPECT_EQ(Destinations(*scan), want);
  EXPECT_EQ(Reason(*scan, ReplyReason::kConnection), 3u);   // "Network error on destination MXs"
  EXPECT_EQ(Reason(*scan, ReplyReason::kMailboxFull), 1u);  // 452 4.2.2 Mailbox full
  EXPECT_EQ(Reason(*scan, ReplyReason::kOther), 0u);
  EXPECT_EQ(scan->problems.Total(), 0u);
  EXPECT_EQ(scan->source, "spool");
}

// The lab's deferred mail came through `sendmail` (the local socket); the
// incoming message from an SMTP client at 127.0.0.1.
TEST(OpensmtpdQueueScanTest, Composition) {
  OpensmtpdScanOptions options;
  options.composition = true;
  StatusOr<QueueScan> scan = ScanOpensmtpdSpool(FixtureSpool(), options, {});
  ASSERT_OK(scan);
  const auto& deferred = scan->composition.queues.at(QueueIndex(OpensmtpdQueue::kDeferred));
  EXPECT_EQ(deferred.submitters.at("local:local").messages, 4u);
  EXPECT_EQ(deferred.submitters.at("local:local").recipients, 6u);
  const auto& incoming = scan->composition.queues.at(QueueIndex(OpensmtpdQueue::kIncoming));
  EXPECT_EQ(incoming.submitters.at("client:127.0.0.1").messages, 1u);
  uint64_t senders = 0;
  for (const auto& [key, t] : deferred.senders) senders += t.messages;
  EXPECT_EQ(senders, 4u);
}

TEST(OpensmtpdQueueScanTest, ThroughTheQueueScannerInterface) {
  QueueScanOptions options;
  options.read_reasons = false;
  std::unique_ptr<QueueScanner> scanner = NewOpensmtpdQueueScanner(FixtureSpool(), options);
  StatusOr<QueueScan> scan = scanner->Scan({});
  ASSERT_OK(scan);
  EXPECT_EQ(scan->queue(OpensmtpdQueue::kDeferred).messages, 4u);
  EXPECT_EQ(scan->deferred_by_destination.size(), 5u);
  for (uint64_t n : scan->deferred_by_reason) EXPECT_EQ(n, 0u);
}

TEST(OpensmtpdQueueScanTest, MissingDirectories) {
  ScopedTempDir dir;
  EXPECT_EQ(ScanOpensmtpdSpool(dir.path() + "/nope", {}, {}).status().code(),
            Status::Code::kNotFound);
  // A spool without queue/ is not an OpenSMTPD spool.
  EXPECT_EQ(ScanOpensmtpdSpool(dir.path(), {}, {}).status().code(), Status::Code::kNotFound);
  // queue/ alone is enough: incoming/, corrupt/, offline/ are optional.
  ASSERT_EQ(mkdir((dir.path() + "/queue").c_str(), 0700), 0);
  StatusOr<QueueScan> scan = ScanOpensmtpdSpool(dir.path(), {}, {});
  ASSERT_OK(scan);
  for (const QueueStats& q : scan->queues) EXPECT_EQ(q.messages, 0u);
  EXPECT_EQ(scan->problems.Total(), 0u);
}

TEST(OpensmtpdQueueScanTest, QueuedAndDeferredSplit) {
  ScopedTempDir dir;
  std::string q = dir.path() + "/queue";
  // Never tried: queued.
  WriteTestFile(q + "/11/11111111/message", std::string(100, 'x'), 0600);
  WriteTestFile(q + "/11/11111111/1111111100000001", Envelope("a@new.test", 500, 0), 0600);
  WriteTestFile(q + "/11/11111111/1111111100000002", Envelope("b@new.test", 400, 0), 0600);
  // One envelope failed, one not yet: deferred, destination of the failed one only.
  WriteTestFile(q + "/22/22222222/message", std::string(10, 'x'), 0600);
  WriteTestFile(q + "/22/22222222/2222222200000001",
                Envelope("c@slow.test", 300, 2, "421 4.7.0 Too many connections"), 0600);
  WriteTestFile(q + "/22/22222222/2222222200000002", Envelope("d@fine.test", 300, 0), 0600);
  // Two failed envelopes with the same domain and class: counted once.
  WriteTestFile(q + "/33/33333333/message", std::string(1, 'x'), 0600);
  WriteTestFile(q + "/33/33333333/3333333300000001",
                Envelope("e@full.test", 200, 1, "452 4.2.2 Mailbox full"), 0600);
  WriteTestFile(q + "/33/33333333/3333333300000002",
                Envelope("f@full.test", 250, 3, "552 5.2.2 Over quota"), 0600);
  // The last envelope was just delivered: not a queued message any more.
  WriteTestFile(q + "/44/44444444/message", "x", 0600);
  StatusOr<QueueScan> scan = ScanOpensmtpdSpool(dir.path(), {}, {});
  ASSERT_OK(scan);
  EXPECT_EQ(scan->queue(OpensmtpdQueue::kQueued).messages, 1u);
  EXPECT_EQ(scan->queue(OpensmtpdQueue::kQueued).recipients, 2u);
  EXPECT_EQ(scan->queue(OpensmtpdQueue::kQueued).bytes, 100u);
  EXPECT_EQ(scan->queue(OpensmtpdQueue::kQueued).oldest_arrival, 400);
  EXPECT_EQ(scan->queue(OpensmtpdQueue::kDeferred).messages, 2u);
  EXPECT_EQ(scan->queue(OpensmtpdQueue::kDeferred).recipients, 4u);
  EXPECT_EQ(scan->queue(OpensmtpdQueue::kDeferred).bytes, 11u);
  EXPECT_EQ(scan->queue(OpensmtpdQueue::kDeferred).oldest_arrival, 200);
  std::map<std::string, uint64_t> want = {{"slow.test", 1}, {"full.test", 1}};
  EXPECT_EQ(Destinations(*scan), want);
  EXPECT_EQ(Reason(*scan, ReplyReason::kRateLimit), 1u);
  EXPECT_EQ(Reason(*scan, ReplyReason::kMailboxFull), 1u);
  EXPECT_EQ(scan->problems.Total(), 0u);
}

TEST(OpensmtpdQueueScanTest, BadFilesAreCountedAndSkipped) {
  ScopedTempDir dir;
  std::string q = dir.path() + "/queue";
  WriteTestFile(q + "/stray", "x", 0600);
  WriteTestFile(q + "/55/stray", "x", 0600);
  WriteTestFile(q + "/55/55555555/message", "hello", 0600);
  WriteTestFile(q + "/55/55555555/5555555500000001", Envelope("a@ok.test", 10, 0), 0600);
  WriteTestFile(q + "/55/55555555/5555555500000002", "garbage\n", 0600);  // smtpctl skips it
  WriteTestFile(q + "/55/55555555/notes.txt", "x", 0600);
  // Only a bad envelope: no message.
  WriteTestFile(q + "/66/66666666/message", "hello", 0600);
  WriteTestFile(q + "/66/66666666/6666666600000001", std::string("\x78\x9c\x01\x00", 4), 0600);
  StatusOr<QueueScan> scan = ScanOpensmtpdSpool(dir.path(), {}, {});
  ASSERT_OK(scan);
  EXPECT_EQ(scan->queue(OpensmtpdQueue::kQueued).messages, 1u);
  EXPECT_EQ(scan->queue(OpensmtpdQueue::kQueued).recipients, 1u);
  EXPECT_EQ(scan->problems.Get(SpoolProblem::kCorrupt), 2u);
  EXPECT_EQ(scan->problems.Get(SpoolProblem::kUnexpectedEntry), 3u);
}

TEST(OpensmtpdQueueScanTest, IncomingCorruptAndOffline) {
  ScopedTempDir dir;
  std::string s = dir.path();
  ASSERT_EQ(mkdir((s + "/queue").c_str(), 0700), 0);
  // Being received: envelopes (also in an envelopes/ subdirectory), the body in temporary/.
  WriteTestFile(s + "/incoming/77777777/7777777700000001", Envelope("a@x.test", 70, 0), 0600);
  WriteTestFile(s + "/incoming/77777777/envelopes/7777777700000002", Envelope("b@x.test", 60, 0),
                0600);
  WriteTestFile(s + "/temporary/77777777", std::string(42, 'x'), 0600);
  // Set aside by smtpd: its envelopes count even when unreadable as envelopes.
  WriteTestFile(s + "/corrupt/88888888/message", std::string(7, 'x'), 0600);
  WriteTestFile(s + "/corrupt/88888888/8888888800000001", "broken", 0600);
  WriteTestFile(s + "/corrupt/88888888/8888888800000002", Envelope("c@x.test", 80, 1, "x"), 0600);
  WriteTestFile(s + "/offline/1700000000.XXXXabcdef", "-f|a@b|c@d\nSubject: x\n\nhi\n", 0600);
  WriteTestFile(s + "/offline/other", "-t\n\n", 0600);
  StatusOr<QueueScan> scan = ScanOpensmtpdSpool(s, {}, {});
  ASSERT_OK(scan);
  EXPECT_EQ(scan->queue(OpensmtpdQueue::kIncoming).messages, 1u);
  EXPECT_EQ(scan->queue(OpensmtpdQueue::kIncoming).recipients, 2u);
  EXPECT_EQ(scan->queue(OpensmtpdQueue::kIncoming).bytes, 42u);
  EXPECT_EQ(scan->queue(OpensmtpdQueue::kIncoming).oldest_arrival, 60);
  EXPECT_EQ(scan->queue(OpensmtpdQueue::kCorrupt).messages, 1u);
  EXPECT_EQ(scan->queue(OpensmtpdQueue::kCorrupt).recipients, 2u);
  EXPECT_EQ(scan->queue(OpensmtpdQueue::kCorrupt).bytes, 7u);
  EXPECT_EQ(scan->queue(OpensmtpdQueue::kCorrupt).oldest_arrival, 80);
  EXPECT_EQ(scan->queue(OpensmtpdQueue::kOffline).messages, 2u);
  EXPECT_EQ(scan->queue(OpensmtpdQueue::kOffline).bytes, 26u + 4u);
  EXPECT_EQ(scan->queue(OpensmtpdQueue::kOffline).oldest_arrival,
            1700000000);  // older than "other"'s mtime
  EXPECT_TRUE(scan->deferred_by_destination.empty());
  EXPECT_EQ(scan->problems.Total(), 0u);
}

TEST(OpensmtpdQueueScanTest, ReasonsOfRouteFailuresAndReplies) {
  struct Case {
    const char* errorline;
    ReplyReason want;
  };
  const Case cases[] = {
      {"Network error on destination MXs", ReplyReason::kConnection},
      {"No valid route to remote MX", ReplyReason::kConnection},
      {"Temporary failure in MX lookup", ReplyReason::kDns},
      {"No MX found for domain", ReplyReason::kDns},
      {"Could not retrieve credentials", ReplyReason::kPolicy},
      {"452 4.2.2 Mailbox full, try later", ReplyReason::kMailboxFull},
      {"450 4.7.1 Rate limit exceeded, try again later", ReplyReason::kRateLimit},
  };
  for (const Case& c : cases) {
    ScopedTempDir dir;
    WriteTestFile(dir.path() + "/queue/ab/abababab/abababab00000001",
                  Envelope("a@x.test", 1, 1, c.errorline), 0600);
    StatusOr<QueueScan> scan = ScanOpensmtpdSpool(dir.path(), {}, {});
    ASSERT_OK(scan);
    for (ReplyReason r : kAllReplyReasons) {
      EXPECT_EQ(Reason(*scan, r), r == c.want ? 1u : 0u)
          << c.errorline << " " << ReplyReasonName(r);
    }
  }
}

TEST(OpensmtpdQueueScanTest, DestinationsAreBounded) {
  ScopedTempDir dir;
  for (int i = 0; i < 3; ++i) {
    std::string id = "9999999" + std::to_string(i);
    WriteTestFile(dir.path() + "/queue/99/" + id + "/" + id + "00000001",
                  Envelope("a@d" + std::to_string(i) + ".test", 1, 1, "timed out"), 0600);
  }
  OpensmtpdScanOptions options;
  options.max_destinations = 1;
  StatusOr<QueueScan> scan = ScanOpensmtpdSpool(dir.path(), options, {});
  ASSERT_OK(scan);
  EXPECT_EQ(scan->queue(OpensmtpdQueue::kDeferred).messages, 3u);
  EXPECT_EQ(scan->deferred_by_destination.size(), 2u);
  EXPECT_EQ(scan->deferred_by_destination.at("other"), 2u);
  EXPECT_EQ(Reason(*scan, ReplyReason::kConnection), 3u);
}

TEST(OpensmtpdQueueScanTest, StopsWhenAsked) {
  ScopedTempDir dir;
  for (int i = 0; i < 40; ++i) {
    char id[9];
    std::snprintf(id, sizeof(id), "aa%06d", i);
    WriteTestFile(dir.path() + "/queue/aa/" + id + "/" + id + "00000001",
                  Envelope("a@x.test", 1, 0), 0600);
  }
  std::stop_source stop;
  stop.request_stop();
  EXPECT_EQ(ScanOpensmtpdSpool(dir.path(), {}, stop.get_token()).status().code(),
            Status::Code::kCancelled);
}

}  // namespace
}  // namespace mailrep
