// The Postfix scanner: its cache (warm scans read only what changed and give
// exactly a fresh scan's result) and its choice between spool and showq.
#include "collectors/queue/postfix_queue_source.h"

#include <fcntl.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "collectors/queue/postfix_fake_showq.h"
#include "collectors/queue/postfix_queue_file_writer.h"
#include "collectors/queue/postfix_queue_scan.h"
#include "collectors/queue/queue_test_util.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"
#include "gtest/gtest.h"

namespace mailrep {
namespace {

std::string Name(int i) {
  char id[32];
  std::snprintf(id, sizeof(id), "%05X%X", (i * 7919) % 1000000, 0x1000 + i);
  return id;
}

// Message i of a deferred queue: recipients in one to three domains, and a
// defer log whose reason class depends on i.
void WriteMessage(const std::string& root, int i, char recipient_type = 'R') {
  SyntheticPostfixMessage m;
  m.arrival = 1700000000 + i;
  m.sender = "s@lab.example.test";
  for (int d = 0; d <= i % 3; ++d) {
    m.recipients.push_back(
        {"u" + std::to_string(i) + "@d" + std::to_string((i + d) % 5) + ".example",
         recipient_type});
  }
  BuiltQueueFile built = BuildPostfixQueueFile(m);
  std::string name = Name(i);
  WriteTestFile(root + "/deferred/" + name[0] + "/" + name, built.bytes);
  static const char* const kReasons[] = {"452 4.2.2 Mailbox full", "Connection refused",
                                         "blocked using zen.spamhaus.org"};
  WriteTestFile(root + "/defer/" + name[0] + "/" + name,
                BuildPostfixDeferLog({{m.recipients[0].address, built.recipient_offsets[0], "4.0.0",
                                       kReasons[i % 3]}}),
                0600);
}

void ExpectSameScan(const PostfixQueueScan& got, const PostfixQueueScan& want) {
  for (size_t q = 0; q < kPostfixQueueNames.size(); ++q) {
    SCOPED_TRACE(kPostfixQueueNames[q]);
    EXPECT_EQ(got.queues[q].messages, want.queues[q].messages);
    EXPECT_EQ(got.queues[q].bytes, want.queues[q].bytes);
    EXPECT_EQ(got.queues[q].recipients, want.queues[q].recipients);
    EXPECT_EQ(got.queues[q].oldest_arrival, want.queues[q].oldest_arrival);
  }
  EXPECT_EQ(got.deferred_by_destination, want.deferred_by_destination);
  EXPECT_EQ(got.deferred_by_reason, want.deferred_by_reason);
  EXPECT_EQ(got.deferred_without_defer_log, want.deferred_without_defer_log);
  EXPECT_EQ(got.problems.counts, want.problems.counts);
}

PostfixQueueScan Fresh(const std::string& root) {
  StatusOr<PostfixQueueScan> scan = ScanPostfixQueue(root, {}, {});
  EXPECT_OK(scan);
  return scan.ok() ? *scan : PostfixQueueScan{};
}

void SetMtime(const std::string& path, time_t when) {
  struct timespec times[2] = {{when, 0}, {when, 0}};
  ASSERT_EQ(utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
}

TEST(PostfixScanCacheTest, WarmScansReadOnlyWhatChanged) {
  for (int threads : {1, 2}) {
    SCOPED_TRACE(threads);
    ScopedTempDir tmp;
    for (const char* q : {"maildrop", "incoming", "active", "hold", "corrupt"}) {
      std::filesystem::create_directories(tmp.path() + "/" + q);
    }
    constexpr int kMessages = 300;
    for (int i = 0; i < kMessages; ++i) WriteMessage(tmp.path(), i);
    PostfixScanCache cache;
    PostfixScanOptions options;
    options.threads = threads;
    options.cache = &cache;

    StatusOr<PostfixQueueScan> cold = ScanPostfixQueue(tmp.path(), options, {});
    ASSERT_OK(cold);
    EXPECT_EQ(cold->cache_misses, uint64_t{kMessages});
    EXPECT_EQ(cold->cache_hits, 0u);
    ExpectSameScan(*cold, Fresh(tmp.path()));
    EXPECT_EQ(cache.messages(), size_t{kMessages});

    StatusOr<PostfixQueueScan> warm = ScanPostfixQueue(tmp.path(), options, {});
    ASSERT_OK(warm);
    EXPECT_EQ(warm->cache_hits, uint64_t{kMessages});
    EXPECT_EQ(warm->cache_misses, 0u);
    ExpectSameScan(*warm, *cold);

    // A recipient done (same size, new mtime), a rewritten defer log, a
    // message gone, a new message.
    WriteMessage(tmp.path(), 4, 'D');
    std::string name = Name(7);
    WriteTestFile(tmp.path() + "/defer/" + name[0] + "/" + name,
                  BuildPostfixDeferLog({{"x@d9.example", 0, "4.7.1", "Client host rejected: TLS"}}),
                  0600);
    SetMtime(tmp.path() + "/defer/" + name[0] + "/" + name, 1);
    name = Name(9);
    std::filesystem::remove(tmp.path() + "/deferred/" + name[0] + "/" + name);
    std::filesystem::remove(tmp.path() + "/defer/" + name[0] + "/" + name);
    WriteMessage(tmp.path(), kMessages);

    StatusOr<PostfixQueueScan> changed = ScanPostfixQueue(tmp.path(), options, {});
    ASSERT_OK(changed);
    EXPECT_EQ(changed->cache_misses, 3u);
    EXPECT_EQ(changed->cache_hits, uint64_t{kMessages - 3});
    ExpectSameScan(*changed, Fresh(tmp.path()));
    EXPECT_EQ(cache.messages(), size_t{kMessages});
  }
}

TEST(PostfixQueueScannerTest, ReadsTheSpoolWhenItCan) {
  ScopedTempDir tmp;
  for (int i = 0; i < 3; ++i) WriteMessage(tmp.path(), i);
  auto scanner = NewPostfixQueueScanner(tmp.path(), {});
  StatusOr<QueueScan> scan = scanner->Scan({});
  ASSERT_OK(scan);
  EXPECT_EQ(scan->source, "spool");
  EXPECT_EQ(scan->queue(PostfixQueue::kDeferred).messages, 3u);
}

// As a user that cannot list deferred/ (root ignores permissions, so this
// thread drops to uid nobody for file access).
TEST(PostfixQueueScannerTest, ChoosesShowqWhenTheSpoolIsUnreadable) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to own the test tree";
  ScopedTempDir tmp;
  for (std::string_view q : kPostfixQueueNames) {
    std::filesystem::create_directories(tmp.path() + "/" + std::string(q));
    ASSERT_EQ(chmod((tmp.path() + "/" + std::string(q)).c_str(), 0755), 0);
  }
  ASSERT_EQ(chmod((tmp.path() + "/deferred").c_str(), 0700), 0);
  ASSERT_EQ(chmod(tmp.path().c_str(), 0755), 0);
  std::filesystem::create_directories(tmp.path() + "/public");
  ASSERT_EQ(chmod((tmp.path() + "/public").c_str(), 0755), 0);
  auto scanner = NewPostfixQueueScanner(tmp.path(), {});

  uid_t old = static_cast<uid_t>(setfsuid(65534));
  StatusOr<QueueScan> without = scanner->Scan({});
  setfsuid(old);
  EXPECT_EQ(without.status().code(), Status::Code::kPermissionDenied);
  EXPECT_NE(without.status().message().find("/deferred"), std::string::npos);
  EXPECT_NE(without.status().message().find("CAP_DAC_READ_SEARCH"), std::string::npos);
  EXPECT_NE(without.status().message().find("showq"), std::string::npos);

  FakeShowq server(tmp.path() + "/public/showq", EmptyShowqStream());
  old = static_cast<uid_t>(setfsuid(65534));
  StatusOr<QueueScan> with = scanner->Scan({});
  setfsuid(old);
  ASSERT_OK(with);
  EXPECT_EQ(with->source, "showq");
  EXPECT_EQ(with->queues.size(), kPostfixQueueNames.size());
}

}  // namespace
}  // namespace mailrep
