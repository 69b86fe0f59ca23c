#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>

#include "collectors/queue/exim_queue_scan.h"
#include "collectors/queue/queue_collector.h"
#include "collectors/queue/queue_test_util.h"
#include "exporter/core/collector_testing.h"
#include "exporter/core/fake_clock.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

constexpr int64_t kNow = 1795791200;

// A spool made of -H files and msglogs a real Exim 4.96 wrote
// (tests/queue/fixtures/exim); -D files rebuilt with the lab's sizes.
void BuildLabSpool(const std::string& spool) {
  auto message = [&](const std::string& fixture, const std::string& id, const std::string& body) {
    WriteTestFile(spool + "/input/" + id + "-H", ReadQueueFixture("exim/" + fixture), 0640);
    WriteTestFile(spool + "/input/" + id + "-D", id + "-D\n" + body, 0640);
  };
  message("two_pending_1xWxJJ-0008Uk-0x-H", "1xWxJJ-0008Uk-0x", "hello\n");
  message("one_delivered_1xWxJJ-0008Uq-1N-H", "1xWxJJ-0008Uq-1N", "hello\n");
  message("refused_1xWxJJ-0008Uw-1r-H", "1xWxJJ-0008Uw-1r", "hello\n");
  message("frozen_1xWxJK-0008VF-0u-H", "1xWxJK-0008VF-0u", "hello\n");
  message("null_sender_1xWxJK-0008VT-29-H", "1xWxJK-0008VT-29", "null sender\n");
  WriteTestFile(spool + "/msglog/1xWxJJ-0008Uq-1N",
                ReadQueueFixture("exim/msglog_1xWxJJ-0008Uq-1N"), 0640);
  WriteTestFile(spool + "/msglog/1xWxJJ-0008Uw-1r",
                ReadQueueFixture("exim/msglog_1xWxJJ-0008Uw-1r"), 0640);
  // Damage a live spool shows: a temporary header file, a -H whose -D is gone,
  // a corrupt -H in a split_spool_directory subdirectory.
  WriteTestFile(spool + "/input/hdr.12345", "partial", 0640);
  WriteTestFile(spool + "/input/1xWxJK-0008VZ-00-H",
                ReadQueueFixture("exim/frozen_1xWxJK-0008VF-0u-H"), 0640);
  WriteTestFile(spool + "/input/K/1xWxJK-0008VK-00-H", "1xWxJK-0008VK-00-H\ngarbage", 0640);
}

TEST(EximQueueCollectorTest, LabSpool) {
  ScopedTempDir tmp;
  BuildLabSpool(tmp.path());
  QueueCollectorOptions options;
  options.instances = {{"default", tmp.path()}};
  options.clock = std::make_shared<FakeClock>(kNow);
  QueueCollector collector(*FindQueueMta("exim"), options);
  MetricSet out;
  Status s = collector.Collect({}, &out);
  ASSERT_OK(s) << s.ToString();

  struct Want {
    const char* queue;
    double messages, bytes, recipients, age;
  };
  const Want wants[] = {
      {"new", 2, 352 + 258, 3, kNow - 1795791145},
      {"deferred", 2, 352 + 359, 2, kNow - 1795791145},
      {"frozen", 1, 357, 1, kNow - 1795791146},
  };
  for (const Want& w : wants) {
    SCOPED_TRACE(w.queue);
    Labels l = {{"mta", "exim"}, {"queue", w.queue}};
    EXPECT_EQ(SampleValue(out, "mailrep_queue_messages", l), w.messages);
    EXPECT_EQ(SampleValue(out, "mailrep_queue_bytes", l), w.bytes);
    EXPECT_EQ(SampleValue(out, "mailrep_queue_recipients", l), w.recipients);
    EXPECT_EQ(SampleValue(out, "mailrep_queue_oldest_message_age_seconds", l), w.age);
  }
  auto dest = [&](const char* d) {
    return SampleValue(out, "mailrep_queue_deferred_messages_by_destination", {{"destination", d}});
  };
  EXPECT_EQ(dest("soft.example.test"), 1);
  EXPECT_EQ(dest("down.example.test"), 1);
  EXPECT_EQ(dest("other"), 0);
  auto reason = [&](const char* r) {
    return SampleValue(out, "mailrep_queue_deferred_messages_by_reason", {{"reason", r}});
  };
  EXPECT_EQ(reason("mailbox_full"), 1);
  EXPECT_EQ(reason("connection"), 1);
  EXPECT_EQ(reason("other"), 0);
  auto errors = [&](const char* kind) {
    return SampleValue(out, "mailrep_queue_scan_errors_total", {{"mta", "exim"}, {"kind", kind}});
  };
  EXPECT_EQ(errors("incomplete"), 1);
  EXPECT_EQ(errors("vanished"), 1);
  EXPECT_EQ(errors("corrupt"), 1);
}

// A message an SMTP client sent after AUTH (the shape Exim 4.96 writes for
// -auth_id and -host_address; the lab's own files are all local).
constexpr char kAuthenticatedHeader[] =
    "1xWxJL-0008Va-00-H\nDebian-exim 101 101\n<alice@auth.example.test>\n1795791200 0\n"
    "-received_time_usec .1\n-auth_id alice\n-auth_sender alice@auth.example.test\n"
    "-host_address 192.0.2.7.40312\n-received_protocol esmtpsa\nXX\n1\n"
    "h@soft.example.test\n\n011  Subject: t\n";

TEST(EximQueueCollectorTest, CompositionTopSendersAndSubmitters) {
  ScopedTempDir tmp;
  BuildLabSpool(tmp.path());
  WriteTestFile(tmp.path() + "/input/1xWxJL-0008Va-00-H", kAuthenticatedHeader, 0640);
  WriteTestFile(tmp.path() + "/input/1xWxJL-0008Va-00-D", "1xWxJL-0008Va-00-D\nhi\n", 0640);
  QueueCollectorOptions options;
  options.instances = {{"default", tmp.path()}};
  options.clock = std::make_shared<FakeClock>(kNow);
  options.composition = true;
  options.composition_export.top = 1;
  QueueCollector collector(*FindQueueMta("exim"), options);
  MetricSet out;
  ASSERT_OK(collector.Collect({}, &out));
  auto domain = [&](const char* queue, const char* d) {
    return SampleValue(out, "mailrep_queue_top_sender_domain_messages",
                       {{"queue", queue}, {"sender_domain", d}});
  };
  auto submitter = [&](const char* queue, const char* kind, const char* name) {
    return SampleValue(out, "mailrep_queue_top_submitter_messages",
                       {{"queue", queue}, {"submitter_kind", kind}, {"submitter", name}});
  };
  // deferred: two local messages of root (s1@, s2@lab.example.test), one of alice.
  EXPECT_EQ(SampleValue(out, "mailrep_queue_messages", {{"queue", "deferred"}}), 3);
  EXPECT_EQ(domain("deferred", "lab.example.test"), 2);
  EXPECT_EQ(domain("deferred", "other"), 1);  // top 1: the rest sums to the depth
  EXPECT_EQ(submitter("deferred", "local", "root"), 2);
  EXPECT_EQ(submitter("deferred", "other", "other"), 1);
  EXPECT_DOUBLE_EQ(
      SampleValue(out, "mailrep_queue_top_submitter_share", {{"queue", "deferred"}}).value_or(-1),
      2.0 / 3.0);
  // new: s1@lab.example.test and the null sender.
  EXPECT_EQ(domain("new", "<>"), 1);
  EXPECT_EQ(domain("new", "other"), 1);
  EXPECT_EQ(SampleValue(out, "mailrep_queue_top_submitter_share", {{"queue", "frozen"}}), 1);
}

TEST(EximQueueCollectorTest, CompositionLabelsHashedOrHidden) {
  ScopedTempDir tmp;
  BuildLabSpool(tmp.path());
  WriteTestFile(tmp.path() + "/input/1xWxJL-0008Va-00-H", kAuthenticatedHeader, 0640);
  WriteTestFile(tmp.path() + "/input/1xWxJL-0008Va-00-D", "1xWxJL-0008Va-00-D\nhi\n", 0640);
  for (SubmitterLabels mode : {SubmitterLabels::kHash, SubmitterLabels::kNone}) {
    QueueCollectorOptions options;
    options.instances = {{"default", tmp.path()}};
    options.composition = true;
    options.composition_export.labels = {mode, "secret"};
    QueueCollector collector(*FindQueueMta("exim"), options);
    MetricSet out;
    ASSERT_OK(collector.Collect({}, &out));
    std::string alice = mode == SubmitterLabels::kHash
                            ? SubmitterLabel({mode, "secret"}, SubmitterKind::kSasl, "alice")
                            : "(hidden)";
    EXPECT_EQ(
        SampleValue(out, "mailrep_queue_top_submitter_messages",
                    {{"queue", "deferred"}, {"submitter_kind", "sasl"}, {"submitter", alice}}),
        1);
    EXPECT_EQ(SampleValue(out, "mailrep_queue_top_submitter_messages",
                          {{"queue", "deferred"}, {"submitter", "alice"}}),
              std::nullopt);
  }
}

TEST(EximQueueCollectorTest, MissingSpoolIsAnError) {
  ScopedTempDir tmp;
  QueueCollectorOptions options;
  options.instances = {{"default", tmp.path() + "/var/spool/exim4"}};
  QueueCollector collector(*FindQueueMta("exim"), options);
  MetricSet out;
  Status s = collector.Collect({}, &out);
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_NE(s.message().find("var/spool/exim4"), std::string::npos) << s.message();
}

TEST(EximQueueCollectorTest, EmptySpoolExportsZeros) {
  ScopedTempDir tmp;
  std::filesystem::create_directories(tmp.path() + "/input");
  QueueCollectorOptions options;
  options.instances = {{"default", tmp.path()}};
  QueueCollector collector(*FindQueueMta("exim"), options);
  MetricSet out;
  ASSERT_OK(collector.Collect({}, &out));
  for (const char* q : {"new", "deferred", "frozen"}) {
    EXPECT_EQ(SampleValue(out, "mailrep_queue_messages", {{"queue", q}}), 0) << q;
  }
}

TEST(EximMessageIdTest, Forms) {
  EXPECT_TRUE(IsEximMessageId("1xWxJJ-0008Uk-0x"));
  EXPECT_TRUE(IsEximMessageId("16VDhn-000000001bo-D342"));
  EXPECT_FALSE(IsEximMessageId("1xWxJJ-0008Uk-0"));
  EXPECT_FALSE(IsEximMessageId("1xWxJJ_0008Uk-0x"));
  EXPECT_FALSE(IsEximMessageId("hdr.12345"));
}

}  // namespace
}  // namespace mailrep
