#include "collectors/queue/queue_check_command.h"

#include <gtest/gtest.h>

#include <ctime>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "collectors/queue/qmail_fixture.h"
#include "collectors/queue/queue_test_util.h"
#include "exporter/util/testing/scoped_temp_dir.h"

namespace mailrep {
namespace {

const int64_t kNow = time(nullptr);  // the qmail reader judges "deferred" by the clock

struct CheckRun {
  int code;
  std::string out, err;
};

CheckRun Check(std::vector<std::string> args, const std::string& rootfs = "/nonexistent-root") {
  std::ostringstream out, err;
  CheckCommandContext ctx{std::move(args), "", rootfs, out, err};
  int code = RunQueueCheckAt(ctx, kNow);
  return {code, out.str(), err.str()};
}

TEST(QueueCheckTest, UsageErrors) {
  const std::vector<std::vector<std::string>> cases = {
      {"--spool", "/var/qmail/queue"},  // --spool needs --mta
      {"--mta", "smail"},
      {"--mta", "qmail", "--format", "yaml"},
      {"--colour", "blue"},
      {"extra"},
      {},  // nothing detected under the root
      {"--mta", "qmail", "--by", "account"},
      {"--mta", "qmail", "--by", "sender", "--top", "0"},
      {"--mta", "qmail", "--by", "sender", "--top", "ten"},
      {"--mta", "qmail", "--top", "3"},  // --top needs --by
  };
  for (const auto& args : cases) {
    SCOPED_TRACE(testing::PrintToString(args));
    CheckRun r = Check(args);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("usage: mailrep_exporter check queue"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty());
  }
}

TEST(QueueCheckTest, JsonOfOneSpool) {
  ScopedTempDir tmp;
  BuildQmailFixtureQueue(tmp.path() + "/q", kNow);
  CheckRun r = Check({"--mta", "qmail", "--spool", tmp.path() + "/q", "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(
      r.out,
      "{\"mta\": \"qmail\", \"instance\": \"default\", \"queues\": {"
      "\"queue\": {\"messages\": 9, \"recipients\": 11, \"bytes\": 2450, \"oldest_age_seconds\": "
      "200000}, "
      "\"todo\": {\"messages\": 1, \"recipients\": 2, \"bytes\": 250, \"oldest_age_seconds\": 5}, "
      "\"local\": {\"messages\": 2, \"recipients\": 2, \"bytes\": 950, \"oldest_age_seconds\": "
      "7200}, "
      "\"remote\": {\"messages\": 5, \"recipients\": 7, \"bytes\": 1450, \"oldest_age_seconds\": "
      "7200}, "
      "\"bounce\": {\"messages\": 1, \"recipients\": 0, \"bytes\": 320, \"oldest_age_seconds\": "
      "1800}}, "
      "\"deferred_by_destination\": {\"soft.example.test\": 2, \"block.example.test\": 1, "
      "\"soft2.example.test\": 1, \"x.example.test\": 1, \"other\": 0}, "
      "\"deferred_by_reason\": {\"blocklist\": 0, \"rate_limit\": 0, \"spf\": 0, "
      "\"dkim\": 0, \"dmarc\": 0, \"reputation\": 0, \"content\": 0, "
      "\"recipient_unknown\": 0, \"mailbox_full\": 0, \"tls\": 0, \"dns\": 0, "
      "\"connection\": 0, \"policy\": 0, \"other\": 0}}\n");
}

TEST(QueueCheckTest, TextTable) {
  ScopedTempDir tmp;
  BuildQmailFixtureQueue(tmp.path() + "/q", kNow);
  CheckRun r = Check({"--mta", "qmail", "--spool", tmp.path() + "/q"});
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* want :
       {"qmail instance default: ", "(read from spool)", "messages", "recipients", "oldest",
        "deferred messages by destination (remote queue; a message counts once per recipient "
        "domain):",
        "soft.example.test", "(none recorded)",
        "skipped: 1 unexpected_entry, 1 incomplete, 1 unknown_record"}) {
    EXPECT_NE(r.out.find(want), std::string::npos) << want << "\n" << r.out;
  }
  // queue, messages, recipients, bytes, oldest.
  EXPECT_NE(r.out.find("  queue               9          11           2450    2d07h\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  remote              5           7           1450    2h00m\n"),
            std::string::npos)
      << r.out;
}

// --by submitter over the qmail fixture: 2301 came from uid 1000, 2302
// through qmail-smtpd from 192.0.2.25, the other seven from uid 0 (qmail's
// counts are of its "queue" row; "deferred" is its remote queue).
TEST(QueueCheckTest, BySubmitterJson) {
  ScopedTempDir tmp;
  BuildQmailFixtureQueue(tmp.path() + "/q", kNow);
  CheckRun r = Check(
      {"--mta", "qmail", "--spool", tmp.path() + "/q", "--by", "submitter", "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"mta\": \"qmail\", \"instance\": \"default\", \"by\": \"submitter\", \"rows\": ["
            "{\"key\": \"uid=0\", \"kind\": \"local\", \"messages\": 7, \"recipients\": 7, "
            "\"deferred\": 3, \"held\": 0, \"oldest_age_seconds\": 200000}, "
            "{\"key\": \"192.0.2.25\", \"kind\": \"client\", \"messages\": 1, \"recipients\": 1, "
            "\"deferred\": 1, \"held\": 0, \"oldest_age_seconds\": 60}, "
            "{\"key\": \"uid=1000\", \"kind\": \"local\", \"messages\": 1, \"recipients\": 3, "
            "\"deferred\": 1, \"held\": 0, \"oldest_age_seconds\": 7200}]}\n");

  CheckRun top = Check({"--mta", "qmail", "--spool", tmp.path() + "/q", "--by", "submitter",
                        "--top", "1", "--format", "json", "--hash-key", "k"});
  ASSERT_EQ(top.code, 0) << top.err;
  EXPECT_NE(top.out.find("{\"key\": \"uid=0\", \"kind\": \"local\", \"label\": \"h:"),
            std::string::npos)
      << top.out;
  EXPECT_NE(top.out.find("{\"key\": \"other\", \"kind\": \"unknown\", \"label\": \"(unknown)\", "
                         "\"messages\": 2, \"recipients\": 4, \"deferred\": 2, \"held\": 0, "
                         "\"oldest_age_seconds\": 7200}]}"),
            std::string::npos)
      << top.out;
}

TEST(QueueCheckTest, BySenderAndDestinationText) {
  ScopedTempDir tmp;
  BuildQmailFixtureQueue(tmp.path() + "/q", kNow);
  CheckRun r = Check({"--mta", "qmail", "--spool", tmp.path() + "/q", "--by", "sender"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("by sender (messages of the queue queue)\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  sender                 messages recipients remote oldest\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  sender@ok.example.test        5          8      5  2h00m\n"),
            std::string::npos)
      << r.out;
  CheckRun d = Check({"--mta", "qmail", "--spool", tmp.path() + "/q", "--by", "destination"});
  ASSERT_EQ(d.code, 0) << d.err;
  EXPECT_NE(d.out.find("  soft.example.test"), std::string::npos) << d.out;
}

// Every row of every table lines up, whatever the longest queue name
// (Sendmail's "quarantined") or destination: the same column ends per table.
TEST(QueueCheckTest, EveryTableRowIsAligned) {
  ScopedTempDir tmp;
  std::filesystem::create_directories(tmp.path() + "/mqueue");
  CheckRun r = Check({"--mta", "sendmail", "--spool", tmp.path() + "/mqueue"});
  ASSERT_EQ(r.code, 0) << r.err;
  ASSERT_NE(r.out.find("quarantined"), std::string::npos) << r.out;
  std::istringstream lines(r.out);
  std::string line;
  std::vector<size_t> lengths;
  while (std::getline(lines, line)) {
    if (line.starts_with("  ") && !line.starts_with("   ") &&
        !line.starts_with("  deferred messages")) {
      lengths.push_back(line.size());  // a row of the queue table, header included
    }
  }
  ASSERT_GE(lengths.size(), 4u) << r.out;
  for (size_t n : lengths) EXPECT_EQ(n, lengths.front()) << r.out;
  EXPECT_NE(r.out.find("  quarantined          0           0              0        -\n"),
            std::string::npos)
      << r.out;
}

// Without --spool: what MTA detection finds under --path.rootfs; several
// instances make a JSON array.
TEST(QueueCheckTest, DetectedInstancesUnderTheRoot) {
  ScopedTempDir root;
  BuildQmailFixtureQueue(root.path() + "/var/qmail/queue", kNow);
  std::filesystem::create_directories(root.path() + "/var/spool/exim4/input");
  CheckRun all = Check({"--format", "json"}, root.path());
  ASSERT_EQ(all.code, 0) << all.err;
  EXPECT_EQ(all.out.front(), '[');
  EXPECT_NE(all.out.find("{\"mta\": \"exim\", \"instance\": \"default\""), std::string::npos)
      << all.out;
  EXPECT_NE(all.out.find("{\"mta\": \"qmail\", \"instance\": \"default\""), std::string::npos)
      << all.out;

  CheckRun one = Check({"--mta", "qmail", "--format", "json"}, root.path());
  ASSERT_EQ(one.code, 0) << one.err;
  EXPECT_EQ(one.out.front(), '{');
}

// A failed scan is exit 2, with the others still printed.
TEST(QueueCheckTest, ScanFailure) {
  ScopedTempDir root;
  CheckRun r = Check({"--mta", "postfix"}, root.path());  // the Debian default, absent
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("postfix instance default"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("/var/spool/postfix"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace mailrep
