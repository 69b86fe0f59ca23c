#include <gtest/gtest.h>
#include <sys/fsuid.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <string>

#include "collectors/queue/postfix_queue_scan.h"
#include "collectors/queue/queue_collector.h"
#include "collectors/queue/queue_test_util.h"
#include "exporter/core/collector_testing.h"
#include "exporter/core/fake_clock.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

constexpr int64_t kNow = 1795789200;  // 2 minutes after the lab run

// A queue_directory made of files a real Postfix wrote (tests/queue/fixtures/postfix),
// plus the kinds of damage a live queue shows.
void BuildLabQueue(const std::string& root) {
  auto copy = [&](const std::string& fixture, const std::string& to, mode_t mode = 0700) {
    WriteTestFile(root + "/" + to, ReadQueueFixture("postfix/" + fixture), mode);
  };
  copy("maildrop_07E08A722A7", "maildrop/07E08A722A7", 0744);
  copy("incoming_E81BAA72173", "incoming/E81BAA72173");
  copy("incoming_E81BAA72173", "incoming/E9CD5A72174", 0600);     // still being written
  WriteTestFile(root + "/incoming/12345.6789", "partial", 0600);  // cleanup's temporary name
  std::filesystem::create_directories(root + "/active");
  copy("deferred_two_domains_B99EEA720AC", "deferred/B/B99EEA720AC");
  copy("deferred_two_reasons_BF991A720B7", "deferred/B/BF991A720B7");
  copy("deferred_extracted_rcpts_D6386A72114", "deferred/D/D6386A72114");
  copy("deferred_null_sender_D2306A72104", "deferred/D/D2306A72104");  // no defer log
  WriteTestFile(root + "/deferred/C/C1234A7FFFF", "not a queue file");
  copy("defer_B99EEA720AC", "defer/B/B99EEA720AC", 0600);
  copy("defer_BF991A720B7", "defer/B/BF991A720B7", 0600);
  copy("defer_D6386A72114", "defer/D/D6386A72114", 0600);
  copy("deferred_two_domains_B99EEA720AC", "hold/B99EEA720AD");
  WriteTestFile(root + "/corrupt/0AAAAAAAAAA", "junk", 0400);
}

QueueCollectorOptions Options(const std::string& root, int top = 10) {
  QueueCollectorOptions options;
  options.instances = {{"default", root}};
  options.top_destinations = top;
  options.clock = std::make_shared<FakeClock>(kNow);
  return options;
}

TEST(PostfixQueueCollectorTest, LabQueue) {
  ScopedTempDir tmp;
  BuildLabQueue(tmp.path());
  QueueCollector collector(*FindQueueMta("postfix"), Options(tmp.path(), 2));
  MetricSet out;
  ASSERT_OK(collector.Collect({}, &out));

  struct QueueWant {
    const char* queue;
    double messages, bytes, recipients, age;
  };
  const QueueWant wants[] = {
      {"maildrop", 1, 190, 1, kNow - 1795789084},
      {"incoming", 2, 312, 1, kNow - 1795789081},
      {"active", 0, 0, 0, 0},
      {"deferred", 5, 332 + 332 + 312 + 292, 7, kNow - 1795789080},
      {"hold", 1, 332, 2, kNow - 1795789080},
      {"corrupt", 1, 4, 0, -1},
  };
  for (const QueueWant& w : wants) {
    SCOPED_TRACE(w.queue);
    Labels l = {{"mta", "postfix"}, {"mta_instance", "default"}, {"queue", w.queue}};
    EXPECT_EQ(SampleValue(out, "mailrep_queue_messages", l), w.messages);
    EXPECT_EQ(SampleValue(out, "mailrep_queue_bytes", l), w.bytes);
    EXPECT_EQ(SampleValue(out, "mailrep_queue_recipients", l), w.recipients);
    if (w.age >= 0) {
      EXPECT_EQ(SampleValue(out, "mailrep_queue_oldest_message_age_seconds", l), w.age);
    }
  }

  auto dest = [&](const char* d) {
    return SampleValue(out, "mailrep_queue_deferred_messages_by_destination", {{"destination", d}});
  };
  EXPECT_EQ(dest("soft.example.test"), 4);
  EXPECT_EQ(dest("block.example.test"), 2);
  EXPECT_EQ(dest("other"), 1);  // soft2.example.test, beyond the top 2
  EXPECT_EQ(SampleCount(out, "mailrep_queue_deferred_messages_by_destination"), 3u);

  auto reason = [&](const char* r) {
    return SampleValue(out, "mailrep_queue_deferred_messages_by_reason", {{"reason", r}});
  };
  EXPECT_EQ(reason("mailbox_full"), 3);
  EXPECT_EQ(reason("blocklist"), 2);
  EXPECT_EQ(reason("connection"), 0);
  EXPECT_EQ(SampleCount(out, "mailrep_queue_deferred_messages_by_reason"), kAllReplyReasons.size());

  auto errors = [&](const char* kind) {
    return SampleValue(out, "mailrep_queue_scan_errors_total", {{"kind", kind}});
  };
  EXPECT_EQ(errors("incomplete"), 2);
  EXPECT_EQ(errors("corrupt"), 1);
  EXPECT_EQ(errors("vanished"), 0);

  EXPECT_EQ(SampleValue(out, "mailrep_queue_scan_source_info",
                        {{"mta", "postfix"}, {"mta_instance", "default"}, {"source", "spool"}}),
            1);

  // Counters accumulate over cycles.
  MetricSet again;
  ASSERT_OK(collector.Collect({}, &again));
  EXPECT_EQ(SampleValue(again, "mailrep_queue_scan_errors_total", {{"kind", "incomplete"}}), 4);
}

TEST(PostfixQueueCollectorTest, EmptyQueueExportsZeros) {
  ScopedTempDir tmp;
  for (std::string_view q : kPostfixQueueNames) {
    std::filesystem::create_directories(tmp.path() + "/" + std::string(q));
  }
  QueueCollector collector(*FindQueueMta("postfix"), Options(tmp.path()));
  MetricSet out;
  ASSERT_OK(collector.Collect({}, &out));
  for (std::string_view q : kPostfixQueueNames) {
    Labels l = {{"queue", std::string(q)}};
    EXPECT_EQ(SampleValue(out, "mailrep_queue_messages", l), 0) << q;
    EXPECT_EQ(SampleValue(out, "mailrep_queue_oldest_message_age_seconds", l), 0) << q;
  }
  EXPECT_EQ(SampleCount(out, "mailrep_queue_messages"), 6u);
  EXPECT_EQ(SampleCount(out, "mailrep_queue_deferred_messages_by_reason"), kAllReplyReasons.size());
  EXPECT_EQ(SampleCount(out, "mailrep_queue_scan_errors_total"), kNumSpoolProblems);
  EXPECT_EQ(SampleValue(out, "mailrep_queue_deferred_messages_by_destination",
                        {{"destination", "other"}}),
            0);
}

TEST(PostfixQueueCollectorTest, MissingQueueDirectoryIsAnError) {
  ScopedTempDir tmp;
  QueueCollector collector(*FindQueueMta("postfix"), Options(tmp.path() + "/spool/postfix"));
  MetricSet out;
  Status s = collector.Collect({}, &out);
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_NE(s.message().find("spool/postfix"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("default"), std::string::npos) << s.message();
}

TEST(PostfixQueueCollectorTest, NotAQueueDirectoryIsAnError) {
  ScopedTempDir tmp;
  QueueCollector collector(*FindQueueMta("postfix"), Options(tmp.path()));
  MetricSet out;
  EXPECT_EQ(collector.Collect({}, &out).code(), Status::Code::kInvalidArgument);
}

TEST(PostfixQueueCollectorTest, StopRequestCancels) {
  ScopedTempDir tmp;
  for (int i = 0; i < 600; ++i) {
    char name[32];
    std::snprintf(name, sizeof(name), "deferred/A/A0000%X", 0x100 + i);
    WriteTestFile(tmp.path() + "/" + name, "x");
  }
  QueueCollector collector(*FindQueueMta("postfix"), Options(tmp.path()));
  std::stop_source stop;
  stop.request_stop();
  CollectContext ctx{stop.get_token(), {}};
  MetricSet out;
  EXPECT_EQ(collector.Collect(ctx, &out).code(), Status::Code::kCancelled);
}

TEST(PostfixQueueScanTest, CountOnlyListsWithoutParsing) {
  ScopedTempDir tmp;
  BuildLabQueue(tmp.path());
  PostfixScanOptions options;
  options.count_only = true;
  StatusOr<PostfixQueueScan> scan = ScanPostfixQueue(tmp.path(), options, {});
  ASSERT_OK(scan);
  EXPECT_EQ(scan->queues[3].messages, 5u);
  EXPECT_EQ(scan->queues[3].bytes, 0u);
  EXPECT_EQ(scan->problems.Get(SpoolProblem::kCorrupt), 0u);
  EXPECT_TRUE(scan->deferred_by_destination.empty());
}

}  // namespace
}  // namespace mailrep

namespace mailrep {
namespace {

// Parsing on several threads gives exactly the single-threaded result.
TEST(PostfixQueueScanTest, ThreadsGiveTheSameResult) {
  ScopedTempDir tmp;
  BuildLabQueue(tmp.path());
  for (int i = 0; i < 700; ++i) {
    char name[32];
    std::snprintf(name, sizeof(name), "%05X%X", i * 997 % 1000000, 0x5000 + i);
    std::string fixture =
        i % 2 ? "deferred_two_domains_B99EEA720AC" : "deferred_two_reasons_BF991A720B7";
    WriteTestFile(tmp.path() + "/deferred/" + name[0] + "/" + name,
                  ReadQueueFixture("postfix/" + fixture));
  }
  PostfixScanOptions options;
  StatusOr<PostfixQueueScan> one = ScanPostfixQueue(tmp.path(), options, {});
  ASSERT_OK(one);
  EXPECT_EQ(one->queues[3].messages, 705u);
  for (int threads : {2, 3, 8}) {
    SCOPED_TRACE(threads);
    options.threads = threads;
    StatusOr<PostfixQueueScan> many = ScanPostfixQueue(tmp.path(), options, {});
    ASSERT_OK(many);
    for (size_t q = 0; q < kPostfixQueueNames.size(); ++q) {
      EXPECT_EQ(many->queues[q].messages, one->queues[q].messages);
      EXPECT_EQ(many->queues[q].bytes, one->queues[q].bytes);
      EXPECT_EQ(many->queues[q].recipients, one->queues[q].recipients);
      EXPECT_EQ(many->queues[q].oldest_arrival, one->queues[q].oldest_arrival);
    }
    EXPECT_EQ(many->deferred_by_destination, one->deferred_by_destination);
    EXPECT_EQ(many->deferred_by_reason, one->deferred_by_reason);
    EXPECT_EQ(many->problems.counts, one->problems.counts);
  }
}

TEST(PostfixQueueScanTest, ThreadedScanStops) {
  ScopedTempDir tmp;
  for (int i = 0; i < 600; ++i) {
    char name[32];
    std::snprintf(name, sizeof(name), "A%04X%X", i, 0x100 + i);
    WriteTestFile(tmp.path() + "/deferred/A/" + name, "x");
  }
  PostfixScanOptions options;
  options.threads = 2;
  std::stop_source stop;
  stop.request_stop();
  EXPECT_EQ(ScanPostfixQueue(tmp.path(), options, stop.get_token()).status().code(),
            Status::Code::kCancelled);
}

}  // namespace
}  // namespace mailrep

namespace mailrep {
namespace {

// What an exporter without read access to the queue sees (root ignores
// permissions, so drop the file-system capabilities of this thread).
TEST(PostfixQueueCollectorTest, UnreadableQueueIsAClearError) {
  ScopedTempDir tmp;
  for (std::string_view q : kPostfixQueueNames) {
    std::filesystem::create_directories(tmp.path() + "/" + std::string(q));
  }
  ASSERT_EQ(chmod(tmp.path().c_str(), 0755), 0);
  for (const char* q : {"maildrop", "incoming", "active", "hold", "corrupt"}) {
    ASSERT_EQ(chmod((tmp.path() + "/" + q).c_str(), 0755), 0);
  }
  ASSERT_EQ(chmod((tmp.path() + "/deferred").c_str(), 0700), 0);
  QueueCollector collector(*FindQueueMta("postfix"), Options(tmp.path()));
  MetricSet out;
  uid_t old = static_cast<uid_t>(setfsuid(65534));
  Status s = collector.Collect({}, &out);
  setfsuid(old);
  if (geteuid() != 0) GTEST_SKIP() << "needs root to own the test tree";
  EXPECT_EQ(s.code(), Status::Code::kPermissionDenied);
  EXPECT_NE(s.message().find("/deferred"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("CAP_DAC_READ_SEARCH"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace mailrep
