#include "collectors/delivery/journal_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "collectors/delivery/line_parser.h"

namespace mailrep {
namespace {

namespace fs = std::filesystem;
constexpr char kJournalRemote[] = "/lib/systemd/systemd-journal-remote";

struct Entry {
  uint64_t time_us;
  std::string identifier;
  std::string unit;
  std::string message;
};

// Writes a real journal file from journal export format with
// systemd-journal-remote (Debian package systemd-journal-remote).
bool WriteJournal(const std::string& path, const std::vector<Entry>& entries) {
  std::string cmd = std::string(kJournalRemote) + " --output=" + path + " - 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "w");
  if (p == nullptr) return false;
  for (const Entry& e : entries) {
    std::fprintf(p,
                 "__REALTIME_TIMESTAMP=%llu\n__MONOTONIC_TIMESTAMP=%llu\n"
                 "_BOOT_ID=0123456789abcdef0123456789abcdef\nSYSLOG_IDENTIFIER=%s\n"
                 "_PID=4242\n_SYSTEMD_UNIT=%s\nMESSAGE=%s\n\n",
                 static_cast<unsigned long long>(e.time_us),
                 // Monotonic time grows with real time, as within one boot.
                 static_cast<unsigned long long>(e.time_us - 1795785000000000),
                 e.identifier.c_str(), e.unit.c_str(), e.message.c_str());
  }
  return pclose(p) == 0 && fs::exists(path);
}

constexpr char kSent[] =
    "0C9DAA7836C: to=<a@ok.example.test>, relay=127.0.0.1[127.0.0.1]:2525, delay=0.16, "
    "delays=0.06/0.08/0.01/0, dsn=2.0.0, status=sent (250 2.0.0 Ok)";
constexpr char kSendmail[] =
    "6ARDc8NJ031561: to=a@ok.example.test, delay=00:00:00, mailer=esmtp, pri=1, "
    "relay=[127.0.0.1] [127.0.0.1], dsn=2.0.0, stat=Sent (Ok)";

class JournalReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!JournalReader::Available()) GTEST_SKIP() << "built without libsystemd";
    if (access(kJournalRemote, X_OK) != 0) GTEST_SKIP() << "systemd-journal-remote not installed";
    dir_ = fs::temp_directory_path() /
           ("mailrep_journal_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  static std::vector<std::string> Poll(JournalReader* r) {
    std::vector<std::string> lines;
    r->Poll([&](std::string_view line) { lines.emplace_back(line); });
    return lines;
  }
  fs::path dir_;
};

TEST_F(JournalReaderTest, FiltersByIdentifierAndUnitAndFeedsTheParser) {
  std::string file = (dir_ / "a.journal").string();
  ASSERT_TRUE(WriteJournal(
      file, {{1795785592000000, "postfix/smtp", "postfix@-.service", kSent},
             {1795785593000000, "dovecot", "dovecot.service", "login"},
             {1795785594000000, "sm-mta", "sendmail.service", kSendmail},
             {1795785595000000, "postfix/qmgr", "postfix@-.service", "0C9DAA7836C: removed"}}));
  JournalReader by_id(
      {.identifiers = {"postfix/smtp", "sm-mta"}, .files = {file}, .from_start = true});
  std::vector<std::string> lines = Poll(&by_id);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], std::string("<22>postfix/smtp[4242]: ") + kSent);
  EXPECT_TRUE(by_id.up());
  EXPECT_EQ(Poll(&by_id).size(), 0u);  // nothing counted twice

  LineParser parser;
  DeliveryEvent e;
  EXPECT_EQ(parser.Parse(lines[0], &e), LineResult::kParsed);
  EXPECT_EQ(e.mta, "postfix");
  EXPECT_EQ(parser.Parse(lines[1], &e), LineResult::kParsed);
  EXPECT_EQ(e.mta, "sendmail");

  JournalReader by_unit({.units = {"postfix@-.service"}, .files = {file}, .from_start = true});
  EXPECT_EQ(Poll(&by_unit).size(), 2u);
  JournalReader both({.identifiers = {"sm-mta"},
                      .units = {"postfix@-.service"},
                      .files = {file},
                      .from_start = true});
  EXPECT_EQ(Poll(&both).size(), 3u);
  JournalReader at_end({.identifiers = {"postfix/smtp"}, .files = {file}});
  EXPECT_EQ(Poll(&at_end).size(), 0u);
}

TEST_F(JournalReaderTest, CursorSurvivesRotationToANewFile) {
  ASSERT_TRUE(WriteJournal((dir_ / "system@1.journal").string(),
                           {{1795785592000000, "postfix/smtp", "u", kSent},
                            {1795785593000000, "postfix/smtp", "u", kSent}}));
  JournalReader r(
      {.identifiers = {"postfix/smtp"}, .directory = dir_.string(), .from_start = true});
  EXPECT_EQ(Poll(&r).size(), 2u);
  EXPECT_FALSE(r.cursor().empty());
  // journald rotates: the old file stays (archived), a new one receives entries.
  ASSERT_TRUE(WriteJournal((dir_ / "system@2.journal").string(),
                           {{1795785600000000, "postfix/smtp", "u", kSent}}));
  EXPECT_EQ(Poll(&r).size(), 1u);
  EXPECT_EQ(Poll(&r).size(), 0u);
  // The old file is vacuumed: still nothing read twice.
  fs::remove(dir_ / "system@1.journal");
  EXPECT_EQ(Poll(&r).size(), 0u);
}

TEST_F(JournalReaderTest, MissingDirectoryIsDown) {
  JournalReader r({.identifiers = {"postfix/smtp"}, .files = {(dir_ / "none.journal").string()}});
  EXPECT_EQ(Poll(&r).size(), 0u);
  EXPECT_FALSE(r.up());
  EXPECT_FALSE(r.problem().empty());
}

}  // namespace
}  // namespace mailrep
