#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include "collectors/queue/qmail_envelope.h"
#include "collectors/queue/qmail_fixture.h"
#include "collectors/queue/qmail_queue_source.h"
#include "collectors/queue/queue_collector.h"
#include "collectors/queue/queue_test_util.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kNow = 1795791200;

struct EnvelopeCase {
  std::string bytes;
  const char* sender;  // nullptr: no F record
  std::vector<std::string> pending;
  uint64_t done, unknown;
  bool truncated;
};

TEST(QmailQueueEnvelopeTest, Records) {
  using namespace std::string_literals;
  const EnvelopeCase cases[] = {
      {"u0\0p1234\0Fs@ok.example.test\0Tr1@a.test\0Tr2@b.test\0"s,
       "s@ok.example.test",
       {"r1@a.test", "r2@b.test"},
       0,
       0,
       false},
      {"Df@ok.test\0Tg@soft.test\0Dh@hard.test\0"s, nullptr, {"g@soft.test"}, 2, 0, false},
      {"F\0"s, "", {}, 0, 0, false},                           // bounce: empty sender
      {"F#@[]\0"s, "#@[]", {}, 0, 0, false},                   // double bounce
      {"Ta@x.test\0\0"s, nullptr, {"a@x.test"}, 0, 0, false},  // empty terminator record
      {"Ta@x.test\0Xjunk\0Tb@x"s, nullptr, {"a@x.test"}, 0, 1, true},
      {""s, nullptr, {}, 0, 0, false},
      {"T"s, nullptr, {}, 0, 0, true},
      {"Fa\0Fb\0"s, "a", {}, 0, 0, false},  // the first F wins
  };
  for (const EnvelopeCase& c : cases) {
    SCOPED_TRACE(testing::PrintToString(c.bytes));
    QmailEnvelope e = ParseQmailEnvelope(c.bytes);
    EXPECT_EQ(e.has_sender, c.sender != nullptr);
    if (c.sender != nullptr) {
      EXPECT_EQ(e.sender, c.sender);
    }
    EXPECT_EQ(e.pending, c.pending);
    EXPECT_EQ(e.done, c.done);
    EXPECT_EQ(e.unknown_records, c.unknown);
    EXPECT_EQ(e.truncated, c.truncated);
  }
}

TEST(QmailQueueEnvelopeTest, UidRecord) {
  using namespace std::string_literals;
  EXPECT_EQ(ParseQmailEnvelope("u1000\0p12\0Fs@x\0"s).uid, 1000u);
  EXPECT_EQ(ParseQmailEnvelope("uabc\0Fs@x\0"s).uid, std::nullopt);
  EXPECT_EQ(ParseQmailEnvelope("Fs@x\0"s).uid, std::nullopt);
}

TEST(QmailSubmissionTest, ReceivedFields) {
  QmailSubmission local = ParseQmailSubmission(
      "Received: (qmail 1234 invoked by uid 1000); 27 Nov 2026 13:52:16 -0000\nSubject: x\n");
  EXPECT_EQ(local.uid, 1000u);
  EXPECT_FALSE(local.from_network);
  QmailSubmission net = ParseQmailSubmission(
      "Received: (qmail 7 invoked from network); 27 Nov 2026 13:52:16 -0000\n"
      "Received: from unknown (HELO [192.0.2.1]) (postmaster@192.0.2.25)\n"
      "  by mx.example.test with SMTP; 27 Nov 2026 13:52:16 -0000\n");
  EXPECT_TRUE(net.from_network);
  EXPECT_EQ(net.client_address, "192.0.2.25");
  QmailSubmission v6 = ParseQmailSubmission(
      "Received: (qmail 7 invoked from network); x\nReceived: from h (HELO h) (::1)\n by m; x\n");
  EXPECT_EQ(v6.client_address, "::1");
  for (const char* other : {"", "Subject: x\n", "Received: (qmail 7 invoked by alias); x\n",
                            "Received: (qmail 7 invoked by uid ); x\n",
                            "Received: (qmail 7 invoked from network); x\nSubject: y\n"}) {
    SCOPED_TRACE(other);
    QmailSubmission s = ParseQmailSubmission(other);
    EXPECT_EQ(s.uid, std::nullopt);
    EXPECT_TRUE(s.client_address.empty());
  }
}

void BuildFixtureQueue(const std::string& queue) { BuildQmailFixtureQueue(queue, kNow); }

// What qmail's own tools print for the fixture:
//   qmail-qstat: "messages in queue: 9" (mess files 2300-2308),
//                "messages in queue but not yet preprocessed: 1" (todo/2303)
//   qmHandle -s: local 2 (2301, 2307), remote 5 (2300, 2301, 2302, 2304, 2308),
//                bounces 1 (2304), in preprocess 1
//   qmail-qread: sizes are the mess files'; recipients without "done" are the
//                pending ones: remote 2+2+1+1+1 = 7, local 1+1 = 2.
TEST(QmailQueueTest, FixtureMatchesQmailTools) {
  ScopedTempDir tmp;
  BuildFixtureQueue(tmp.path());
  StatusOr<QueueScan> scan = ScanQmailQueue(tmp.path(), {}, kNow, {});
  ASSERT_OK(scan);
  ASSERT_EQ(scan->queues.size(), kQmailQueueNames.size());

  struct Want {
    const char* queue;
    uint64_t messages, bytes, recipients;
    int64_t age;
  };
  const Want wants[] = {
      {"queue", 9, 300 + 450 + 200 + 250 + 320 + 100 + 150 + 500 + 180, 7 + 2 + 2, 200000},
      {"todo", 1, 250, 2, 5},
      {"local", 2, 450 + 500, 2, 7200},
      {"remote", 5, 300 + 450 + 200 + 320 + 180, 7, 7200},
      {"bounce", 1, 320, 0, 1800},
  };
  for (size_t q = 0; q < kQmailQueueNames.size(); ++q) {
    const Want& w = wants[q];
    SCOPED_TRACE(w.queue);
    ASSERT_EQ(kQmailQueueNames[q], w.queue);
    const QueueStats& s = scan->queues[q];
    EXPECT_EQ(s.messages, w.messages);
    EXPECT_EQ(s.bytes, w.bytes);
    EXPECT_EQ(s.recipients, w.recipients);
    EXPECT_EQ(s.oldest_arrival, kNow - w.age);
  }
  // Deferred: pending remote recipients on messages born >= 400 s ago
  // (2302, 60 s old, is still on its first attempt).
  const std::unordered_map<std::string, uint64_t> destinations = {{"soft.example.test", 2},
                                                                  {"block.example.test", 1},
                                                                  {"soft2.example.test", 1},
                                                                  {"x.example.test", 1}};
  EXPECT_EQ(scan->deferred_by_destination, destinations);
  for (uint64_t n : scan->deferred_by_reason) EXPECT_EQ(n, 0u);  // qmail does not store them
  EXPECT_EQ(scan->problems.Get(SpoolProblem::kUnknownRecord), 1u);
  EXPECT_EQ(scan->problems.Get(SpoolProblem::kIncomplete), 1u);
  EXPECT_EQ(scan->problems.Get(SpoolProblem::kUnexpectedEntry), 1u);  // mess/0/README
  EXPECT_EQ(scan->problems.Total(), 3u);
  EXPECT_EQ(scan->source, "spool");
}

// Composition of the fixture: 2301 was sent by uid 1000, 2302 through
// qmail-smtpd from 192.0.2.25, the rest by uid 0; 2305 (intd) and 2306 have
// no envelope to name their sender.
TEST(QmailQueueTest, Composition) {
  ScopedTempDir tmp;
  BuildFixtureQueue(tmp.path() + "/queue");
  QueueScanOptions options;
  options.composition = true;
  StatusOr<QueueScan> scan = ScanQmailQueue(tmp.path() + "/queue", options, kNow, {});
  ASSERT_OK(scan);
  const auto& all = scan->composition.queues.at(QueueIndex(QmailQueue::kQueue));
  EXPECT_EQ(all.submitters.at("local:uid=0").messages, 7u);
  EXPECT_EQ(all.submitters.at("local:uid=1000").messages, 1u);
  EXPECT_EQ(all.submitters.at("local:uid=1000").recipients, 3u);
  EXPECT_EQ(all.submitters.at("client:192.0.2.25").messages, 1u);
  EXPECT_EQ(all.senders.at("sender@ok.example.test").messages, 5u);
  EXPECT_EQ(all.senders.at("s@ok.example.test").messages, 1u);  // todo/'s F record
  EXPECT_EQ(all.senders.at("<>").messages, 1u);                 // 2307, a bounce
  EXPECT_EQ(all.senders.at("(unknown)").messages, 2u);
  uint64_t recipients = 0;
  for (const auto& [key, t] : all.senders) recipients += t.recipients;
  EXPECT_EQ(recipients, scan->queue(QmailQueue::kQueue).recipients);
  const auto& remote = scan->composition.queues.at(QueueIndex(QmailQueue::kRemote));
  EXPECT_EQ(remote.submitters.at("local:uid=0").messages, 3u);
  EXPECT_EQ(remote.destinations.at("soft.example.test").messages, 3u);
}

TEST(QmailQueueTest, CountOnlyListsWithoutReading) {
  ScopedTempDir tmp;
  BuildFixtureQueue(tmp.path());
  QueueScanOptions options;
  options.count_only = true;
  StatusOr<QueueScan> scan = ScanQmailQueue(tmp.path(), options, kNow, {});
  ASSERT_OK(scan);
  const uint64_t messages[] = {9, 1, 2, 5, 1};
  for (size_t q = 0; q < kQmailQueueNames.size(); ++q) {
    EXPECT_EQ(scan->queues[q].messages, messages[q]) << kQmailQueueNames[q];
    EXPECT_EQ(scan->queues[q].bytes, 0u);
    EXPECT_FALSE(scan->queues[q].oldest_arrival.has_value());
  }
  EXPECT_TRUE(scan->deferred_by_destination.empty());
}

// big-todo splits todo/ like mess/; a message whose files vanish mid-scan is skipped.
TEST(QmailQueueTest, BigTodoAndVanishedMess) {
  ScopedTempDir tmp;
  BuildFixtureQueue(tmp.path());
  fs::create_directories(tmp.path() + "/todo/0");
  fs::rename(tmp.path() + "/todo/2303", tmp.path() + "/todo/0/2303");
  fs::remove(tmp.path() + "/mess/2/2302");
  StatusOr<QueueScan> scan = ScanQmailQueue(tmp.path(), {}, kNow, {});
  ASSERT_OK(scan);
  EXPECT_EQ(scan->queue(QmailQueue::kTodo).messages, 1u);
  EXPECT_EQ(scan->queue(QmailQueue::kTodo).recipients, 2u);
  EXPECT_EQ(scan->queue(QmailQueue::kQueue).messages, 8u);
  EXPECT_EQ(scan->queue(QmailQueue::kRemote).messages, 5u);
  EXPECT_EQ(scan->queue(QmailQueue::kRemote).bytes, 300u + 450 + 320 + 180);
  EXPECT_EQ(scan->problems.Get(SpoolProblem::kVanished), 1u);
}

TEST(QmailQueueTest, MissingDirectories) {
  ScopedTempDir tmp;
  StatusOr<QueueScan> none = ScanQmailQueue(tmp.path() + "/var/qmail/queue", {}, kNow, {});
  EXPECT_EQ(none.status().code(), Status::Code::kNotFound);
  EXPECT_NE(none.status().message().find("var/qmail/queue"), std::string::npos);

  fs::create_directories(tmp.path() + "/mess/0");
  StatusOr<QueueScan> partial = ScanQmailQueue(tmp.path(), {}, kNow, {});
  EXPECT_EQ(partial.status().code(), Status::Code::kNotFound);
  EXPECT_NE(partial.status().message().find("todo"), std::string::npos)
      << partial.status().message();
}

// An exporter outside uid qmails cannot list remote/ (0700): a clear error.
TEST(QmailQueueTest, UnreadableChannelIsPermissionDenied) {
  ScopedTempDir tmp;
  BuildFixtureQueue(tmp.path());
  ASSERT_EQ(chmod(tmp.path().c_str(), 0755), 0);
  for (const char* d : {"mess", "todo", "local", "bounce"}) {
    ASSERT_EQ(chmod((tmp.path() + "/" + d).c_str(), 0755), 0);
  }
  ASSERT_EQ(chmod((tmp.path() + "/remote").c_str(), 0700), 0);
  uid_t old = static_cast<uid_t>(setfsuid(65534));
  StatusOr<QueueScan> scan = ScanQmailQueue(tmp.path(), {}, kNow, {});
  setfsuid(old);
  if (geteuid() != 0) GTEST_SKIP() << "needs root to own the test tree";
  EXPECT_EQ(scan.status().code(), Status::Code::kPermissionDenied);
  EXPECT_NE(scan.status().message().find("/remote"), std::string::npos) << scan.status().message();
  EXPECT_NE(scan.status().message().find("qmails"), std::string::npos) << scan.status().message();
}

TEST(QmailQueueTest, StopRequestCancels) {
  ScopedTempDir tmp;
  BuildFixtureQueue(tmp.path());
  for (int i = 0; i < 100; ++i) {
    WriteTestFile(tmp.path() + "/mess/1/" + std::to_string(23000 + i * 23 + 1), "x", 0644);
  }
  std::stop_source stop;
  stop.request_stop();
  EXPECT_EQ(ScanQmailQueue(tmp.path(), {}, kNow, stop.get_token()).status().code(),
            Status::Code::kCancelled);
}

TEST(QmailQueueTest, CollectorExportsEveryQueue) {
  ScopedTempDir tmp;
  BuildFixtureQueue(tmp.path());
  QueueCollectorOptions options;
  options.instances = {{"default", tmp.path()}};
  QueueCollector collector(*FindQueueMta("qmail"), options);
  MetricSet out;
  ASSERT_OK(collector.Collect({}, &out));
  size_t messages = 0;
  for (const auto& family : out.families()) {
    if (family.name == "mailrep_queue_messages") messages = family.metric.size();
    if (family.name == "mailrep_queue_scan_source_info") {
      ASSERT_EQ(family.metric.size(), 1u);
      bool qmail = false;
      for (const auto& l : family.metric[0].label) qmail = qmail || l.value == "qmail";
      EXPECT_TRUE(qmail);
    }
  }
  EXPECT_EQ(messages, kQmailQueueNames.size());
}

}  // namespace
}  // namespace mailrep
