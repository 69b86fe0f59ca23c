#include "collectors/queue/sendmail_queue_scan.h"

#include <gtest/gtest.h>

#include <map>

#include "collectors/queue/queue_test_util.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

struct LabFile {
  const char* fixture;  // under tests/queue/fixtures/sendmail/
  const char* dir;      // its queue directory in the lab
  const char* body;     // the df content
};

// The lab queue of tests/queue/sendmail_lab.sh (see fixtures/sendmail/mailq.txt).
const LabFile kLab[] = {
    {"deferred_mailbox_qf6ARHV17t002607", "", "hello\n"},
    {"deferred_refused_qf6ARHV1FT002617", "", "hello\n"},
    {"new_two_rcpts_qf6ARHV1DE002657", "", "hello\n"},
    {"new_null_sender_qf6ARHV2qf002667", "", "null sender\n"},
    {"quarantined_hf6ARHV2T2002677", "", "hello\n"},
    {"deferred_blocked_qf6ARHV1J4002627", "slow1", "hello\n"},
    {"deferred_two_reasons_qf6ARHV11G002637", "slow2", "hello\n"},
};

std::string FileName(const char* fixture) {
  std::string f = fixture;
  return f.substr(f.rfind('_') + 1);
}

// Lays the lab files out under `root`: split into qf/ df/ xf/ subdirectories
// of each queue directory when `split`, else flat.
void BuildLab(const std::string& root, bool split) {
  for (const LabFile& f : kLab) {
    std::string dir = root + "/" + f.dir;
    std::string name = FileName(f.fixture);
    std::string id = name.substr(2);
    WriteTestFile(dir + (split ? "/qf/" : "/") + name,
                  ReadQueueFixture(std::string("sendmail/") + f.fixture), 0600);
    WriteTestFile(dir + (split ? "/df/df" : "/df") + id, f.body, 0600);
  }
  if (split) WriteTestFile(root + "/xf/xf6ARHV17t002607", "transcript\n", 0600);
}

void ExpectLab(const QueueScan& scan) {
  // What `mailq` (fixtures/sendmail/mailq.txt) and `mailq -qQ` list.
  EXPECT_EQ(scan.queue(SendmailQueue::kNew).messages, 2u);
  EXPECT_EQ(scan.queue(SendmailQueue::kNew).bytes, 18u);
  EXPECT_EQ(scan.queue(SendmailQueue::kNew).recipients, 3u);
  EXPECT_EQ(scan.queue(SendmailQueue::kNew).oldest_arrival, 1795800661);
  EXPECT_EQ(scan.queue(SendmailQueue::kDeferred).messages, 4u);
  EXPECT_EQ(scan.queue(SendmailQueue::kDeferred).bytes, 24u);
  EXPECT_EQ(scan.queue(SendmailQueue::kDeferred).recipients, 5u);
  EXPECT_EQ(scan.queue(SendmailQueue::kDeferred).oldest_arrival, 1795800661);
  EXPECT_EQ(scan.queue(SendmailQueue::kQuarantined).messages, 1u);
  EXPECT_EQ(scan.queue(SendmailQueue::kQuarantined).bytes, 6u);
  EXPECT_EQ(scan.queue(SendmailQueue::kQuarantined).recipients, 1u);
  EXPECT_EQ(scan.queue(SendmailQueue::kQuarantined).oldest_arrival, 1795800662);
  std::map<std::string, uint64_t> destinations(scan.deferred_by_destination.begin(),
                                               scan.deferred_by_destination.end());
  EXPECT_EQ(destinations,
            (std::map<std::string, uint64_t>{
                {"blocked.example.test", 2}, {"down.example.test", 1}, {"soft.example.test", 2}}));
  auto reason = [&](ReplyReason r) { return scan.deferred_by_reason[static_cast<size_t>(r)]; };
  EXPECT_EQ(reason(ReplyReason::kMailboxFull), 2u);
  EXPECT_EQ(reason(ReplyReason::kBlocklist), 2u);
  EXPECT_EQ(reason(ReplyReason::kConnection), 1u);
  EXPECT_EQ(reason(ReplyReason::kOther), 0u);
  EXPECT_EQ(scan.problems.Total(), 0u);
}

TEST(SendmailQueueScanTest, SplitLayoutWithQueueGroupsMatchesMailq) {
  ScopedTempDir dir;
  BuildLab(dir.path(), /*split=*/true);
  auto scan = ScanSendmailQueue(dir.path(), {}, {});
  ASSERT_OK(scan);
  ExpectLab(*scan);
}

TEST(SendmailQueueScanTest, FlatLayoutMatchesMailq) {
  ScopedTempDir dir;
  BuildLab(dir.path(), /*split=*/false);
  auto scan = ScanSendmailQueue(dir.path(), {}, {});
  ASSERT_OK(scan);
  ExpectLab(*scan);
}

// Every lab message was queued by root's `sendmail` ($_root@localhost).
TEST(SendmailQueueScanTest, Composition) {
  ScopedTempDir dir;
  BuildLab(dir.path(), /*split=*/true);
  SendmailScanOptions options;
  options.composition = true;
  auto scan = ScanSendmailQueue(dir.path(), options, {});
  ASSERT_OK(scan);
  const auto& deferred = scan->composition.queues.at(QueueIndex(SendmailQueue::kDeferred));
  EXPECT_EQ(deferred.submitters.at("local:root").messages, 4u);
  EXPECT_EQ(deferred.submitters.at("local:root").recipients, 5u);
  const auto& fresh = scan->composition.queues.at(QueueIndex(SendmailQueue::kNew));
  EXPECT_EQ(fresh.senders.at("<>").messages, 1u);
  EXPECT_EQ(scan->composition.queues.at(QueueIndex(SendmailQueue::kQuarantined))
                .submitters.at("local:root")
                .messages,
            1u);
}

TEST(SendmailQueueScanTest, CountsAndSkipsProblems) {
  ScopedTempDir dir;
  const std::string& root = dir.path();
  const std::string good = "V8\nT100\nK0\nN0\nSs@x\nRPFD:a@b.example\n.\n";
  WriteTestFile(root + "/qfAAAAAAAA000001", good, 0600);
  WriteTestFile(root + "/dfAAAAAAAA000001", "12345", 0600);
  // Being written, a transcript: ignored.
  WriteTestFile(root + "/tfAAAAAAAA000002", "V8\nT1", 0600);
  WriteTestFile(root + "/xfAAAAAAAA000001", "x", 0600);
  // Lost, garbage, in flux, without its df, with an unknown line, a foreign file.
  WriteTestFile(root + "/QfAAAAAAAA000003", good, 0600);
  WriteTestFile(root + "/qfAAAAAAAA000004", "garbage\n", 0600);
  WriteTestFile(root + "/qfAAAAAAAA000005", "V8\nT100\nK0\nN0\nSs@x\n", 0600);
  WriteTestFile(root + "/qfAAAAAAAA000006", good, 0600);
  WriteTestFile(root + "/qfAAAAAAAA000007", "V8\nT50\nK60\nN1\nSs@x\nXnew\nRPFD:a@c.example\n.\n",
                0600);
  WriteTestFile(root + "/dfAAAAAAAA000007", "1234567", 0600);
  WriteTestFile(root + "/sendmail.notes", "x", 0600);
  auto scan = ScanSendmailQueue(root, {}, {});
  ASSERT_OK(scan);
  EXPECT_EQ(scan->queue(SendmailQueue::kNew).messages, 1u);
  EXPECT_EQ(scan->queue(SendmailQueue::kNew).bytes, 5u);
  EXPECT_EQ(scan->queue(SendmailQueue::kDeferred).messages, 1u);
  EXPECT_EQ(scan->queue(SendmailQueue::kDeferred).bytes, 7u);
  EXPECT_EQ(scan->queue(SendmailQueue::kDeferred).oldest_arrival, 50);
  EXPECT_EQ(scan->problems.Get(SpoolProblem::kCorrupt), 2u);  // Qf, garbage
  EXPECT_EQ(scan->problems.Get(SpoolProblem::kIncomplete), 1u);
  EXPECT_EQ(scan->problems.Get(SpoolProblem::kVanished), 1u);  // no df
  EXPECT_EQ(scan->problems.Get(SpoolProblem::kUnknownRecord), 1u);
  EXPECT_EQ(scan->problems.Get(SpoolProblem::kUnexpectedEntry), 1u);
}

TEST(SendmailQueueScanTest, DataFileInTheDirectoryOfTheDLine) {
  ScopedTempDir dir;
  const std::string& root = dir.path();
  WriteTestFile(root + "/q1/qf/qfAAAAAAAA000001",
                "V8\nT100\nK0\nN0\nd/var/spool/mqueue/q2\nSs@x\nRPFD:a@b.example\n.\n", 0600);
  WriteTestFile(root + "/q2/df/dfAAAAAAAA000001", "123", 0600);
  WriteTestFile(root + "/qfAAAAAAAA000002",
                "V8\nT100\nK0\nN0\nd/var/spool/mqueue\nSs@x\nRPFD:a@b.example\n.\n", 0600);
  WriteTestFile(root + "/q2/df/dfAAAAAAAA000002", "12", 0600);  // the own directory wins
  WriteTestFile(root + "/dfAAAAAAAA000002", "1234", 0600);
  auto scan = ScanSendmailQueue(root, {}, {});
  ASSERT_OK(scan);
  EXPECT_EQ(scan->queue(SendmailQueue::kNew).messages, 2u);
  EXPECT_EQ(scan->queue(SendmailQueue::kNew).bytes, 7u);
  EXPECT_EQ(scan->problems.Total(), 0u);
}

TEST(SendmailQueueScanTest, CountOnlyAndDestinationLimit) {
  ScopedTempDir dir;
  BuildLab(dir.path(), /*split=*/true);
  SendmailScanOptions count_only;
  count_only.count_only = true;
  auto counts = ScanSendmailQueue(dir.path(), count_only, {});
  ASSERT_OK(counts);
  EXPECT_EQ(counts->queue(SendmailQueue::kDeferred).messages, 4u);
  EXPECT_EQ(counts->queue(SendmailQueue::kDeferred).recipients, 5u);
  EXPECT_EQ(counts->queue(SendmailQueue::kDeferred).bytes, 0u);
  EXPECT_TRUE(counts->deferred_by_destination.empty());

  SendmailScanOptions limited;
  limited.max_destinations = 1;
  limited.read_reasons = false;
  auto scan = ScanSendmailQueue(dir.path(), limited, {});
  ASSERT_OK(scan);
  EXPECT_EQ(scan->deferred_by_destination.size(), 2u);  // one domain plus "other"
  EXPECT_EQ(scan->deferred_by_destination.count("other"), 1u);
  for (uint64_t n : scan->deferred_by_reason) EXPECT_EQ(n, 0u);
}

TEST(SendmailQueueScanTest, MissingDirectoryIsNotFound) {
  ScopedTempDir dir;
  auto scan = ScanSendmailQueue(dir.path() + "/nope", {}, {});
  ASSERT_FALSE(scan.ok());
  EXPECT_EQ(scan.status().code(), Status::Code::kNotFound);
  auto scanner = NewSendmailQueueScanner(dir.path() + "/nope", {});
  EXPECT_EQ(scanner->Scan({}).status().code(), Status::Code::kNotFound);
}

TEST(SendmailQueueScanTest, QueueScannerAdapter) {
  ScopedTempDir dir;
  BuildLab(dir.path(), /*split=*/true);
  auto scanner = NewSendmailQueueScanner(dir.path(), {});
  auto scan = scanner->Scan({});
  ASSERT_OK(scan);
  ASSERT_EQ(scan->queues.size(), kSendmailQueueNames.size());
  EXPECT_EQ(scan->queue(SendmailQueue::kDeferred).messages, 4u);
  EXPECT_EQ(scan->queue(SendmailQueue::kQuarantined).messages, 1u);
  EXPECT_EQ(scan->deferred_by_destination.size(), 3u);
  EXPECT_EQ(scan->source, "spool");
}

TEST(SendmailQueueScanTest, StopsWhenCancelled) {
  ScopedTempDir dir;
  BuildLab(dir.path(), /*split=*/false);
  for (int i = 0; i < 40; ++i) WriteTestFile(dir.path() + "/xfB" + std::to_string(i), "x", 0600);
  std::stop_source stop;
  stop.request_stop();
  auto scan = ScanSendmailQueue(dir.path(), {}, stop.get_token());
  ASSERT_FALSE(scan.ok());
  EXPECT_EQ(scan.status().code(), Status::Code::kCancelled);
}

}  // namespace
}  // namespace mailrep
