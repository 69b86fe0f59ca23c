#include "collectors/queue/sendmail_queue_file.h"

#include <gtest/gtest.h>

#include "collectors/queue/queue_test_util.h"
#include "collectors/queue/sendmail_queue_scan.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

// qf/hf files written by a real Sendmail 8.17.1.9 (tests/queue/sendmail_lab.sh);
// the pending recipients are what `mailq` listed for them.
struct RealCase {
  const char* fixture;
  std::string sender;
  int64_t creation_time;
  int64_t last_attempt;
  uint64_t attempts;
  std::string envelope_status;
  std::vector<std::pair<std::string, std::string>> pending;  // address, own status
  std::string quarantine_reason;
};

TEST(SendmailQueueFileTest, RealSendmailFiles) {
  const std::string kMailbox = "452 4.2.2 <user> Mailbox full, try again later";
  const std::string kBlocked =
      "451 4.7.1 Service unavailable; client host blocked using lab.dnsbl.example.test";
  const RealCase cases[] = {
      {"deferred_mailbox_qf6ARHV17t002607",
       "s1@lab.example.test",
       1795800661,
       1795800661,
       1,
       kMailbox,
       {{"d@soft.example.test", kMailbox}},
       ""},
      {"deferred_refused_qf6ARHV1FT002617",
       "s2@lab.example.test",
       1795800661,
       1795800661,
       1,
       "Connection refused by [127.0.0.1]",
       {{"e@down.example.test", ""}},
       ""},
      {"deferred_blocked_qf6ARHV1J4002627",
       "s3@lab.example.test",
       1795800661,
       1795800661,
       1,
       kBlocked,
       {{"f@blocked.example.test", kBlocked}},
       ""},
      {"deferred_two_reasons_qf6ARHV11G002637",
       "s5@lab.example.test",
       1795800661,
       1795800661,
       1,
       kBlocked,
       {{"x@blocked.example.test", kBlocked}, {"y@soft.example.test", kMailbox}},
       ""},
      {"new_two_rcpts_qf6ARHV1DE002657",
       "s1@lab.example.test",
       1795800661,
       0,
       0,
       "",
       {{"a@one.example.test", ""}, {"b@two.example.test", ""}},
       ""},
      {"new_null_sender_qf6ARHV2qf002667",
       "",
       1795800662,
       0,
       0,
       "",
       {{"g@two.example.test", ""}},
       ""},
      {"quarantined_hf6ARHV2T2002677",
       "s4@lab.example.test",
       1795800662,
       0,
       0,
       "",
       {{"h@one.example.test", ""}},
       "lab hold"},
  };
  for (const RealCase& c : cases) {
    SCOPED_TRACE(c.fixture);
    auto info = ParseSendmailQueueFile(ReadQueueFixture(std::string("sendmail/") + c.fixture));
    ASSERT_OK(info);
    EXPECT_EQ(info->version, 8);
    EXPECT_TRUE(info->terminated);
    EXPECT_EQ(info->sender, c.sender);
    EXPECT_EQ(info->creation_time, c.creation_time);
    EXPECT_EQ(info->last_attempt, c.last_attempt);
    EXPECT_EQ(info->attempts, c.attempts);
    EXPECT_EQ(info->Tried(), c.attempts > 0);
    EXPECT_EQ(info->envelope_status, c.envelope_status);
    EXPECT_EQ(info->quarantine_reason, c.quarantine_reason);
    EXPECT_EQ(info->unknown_lines, 0u);
    EXPECT_EQ(info->pending_count, c.pending.size());
    ASSERT_EQ(info->pending.size(), c.pending.size());
    for (size_t i = 0; i < c.pending.size(); ++i) {
      EXPECT_EQ(info->pending[i].address, c.pending[i].first);
      EXPECT_EQ(info->pending[i].status, c.pending[i].second);
    }
  }
}

TEST(SendmailQueueFileTest, RejectsWhatIsNotAQueueFile) {
  const struct {
    const char* name;
    std::string text;
  } cases[] = {
      {"empty", ""},
      {"no T line", "V8\nSa@b\nRPF:c@d\n.\n"},
      {"bad T", "V8\nT12x\n.\n"},
      {"negative K", "V8\nT1\nK-5\n.\n"},
      {"bad N", "V8\nT1\nN\n.\n"},
      {"V not first", "T1\nV8\n.\n"},
      {"R without an address", "V8\nT1\nRPFD:\n.\n"},
      {"continuation before headers", "V8\nT1\n\tfolded\n.\n"},
      {"data after end", "V8\nT1\n.\nRPF:a@b\n"},
      {"bad end line", "V8\nT1\n.x\n"},
      {"empty line", "V8\nT1\n\n.\n"},
      {"NUL byte", std::string("V8\nT1\nSa\0b\n.\n", 14)},
      {"binary", "\x80\x01\x02garbage"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_FALSE(ParseSendmailQueueFile(c.text).ok());
  }
}

TEST(SendmailQueueFileTest, UnterminatedFileParsesAsNotTerminated) {
  auto info = ParseSendmailQueueFile("V8\nT100\nK0\nN0\nSa@b\nRPF:c@d.example\n");
  ASSERT_OK(info);
  EXPECT_FALSE(info->terminated);
  EXPECT_EQ(info->pending_count, 1u);
}

TEST(SendmailQueueFileTest, CountsUnknownLinesAndSkipsKnownOnes) {
  auto info = ParseSendmailQueueFile(
      "V8\nT100\nK200\nN3\nP1\nI1/2/3\nBBODYTYPE\nFbs\n$_x\nAauth\nZenv\nYmystery\nSa\n"
      "C:u:1:1\nQorcpt\nrRFC822; c@d\nRPFD:c@d\nWwhat\nH?P?Return-Path: x\n\tfolded\n.\n");
  ASSERT_OK(info);
  EXPECT_EQ(info->unknown_lines, 2u);  // Y, W
  EXPECT_EQ(info->attempts, 3u);
  EXPECT_EQ(info->last_attempt, 200);
  EXPECT_TRUE(info->terminated);
}

// The saved macros that name the submitter: $_ and ${auth_authen}.
TEST(SendmailQueueFileTest, OriginMacros) {
  auto smtp = ParseSendmailQueueFile(
      "V8\nT100\n$_mail.example [IPv6:2001:db8::1]\n${auth_authen}alice\n${daemon_flags}\n"
      "$rESMTPA\nSa@b\nRPFD:c@d\n.\n");
  ASSERT_OK(smtp);
  EXPECT_EQ(smtp->origin_macro, "mail.example [IPv6:2001:db8::1]");
  EXPECT_EQ(smtp->auth_authen, "alice");
  QueueOrigin o = SendmailOrigin(*smtp);
  EXPECT_EQ(SubmitterKey(o.kind, o.submitter), "sasl:alice");
  smtp->auth_authen.clear();
  o = SendmailOrigin(*smtp);
  EXPECT_EQ(SubmitterKey(o.kind, o.submitter), "client:2001:db8::1");
  EXPECT_EQ(o.sender, "a@b");

  // A real qf of root's `sendmail` (tests/queue/sendmail_lab.sh): $_root@localhost.
  auto real =
      ParseSendmailQueueFile(ReadQueueFixture("sendmail/deferred_mailbox_qf6ARHV17t002607"));
  ASSERT_OK(real);
  EXPECT_EQ(real->origin_macro, "root@localhost");
  o = SendmailOrigin(*real);
  EXPECT_EQ(SubmitterKey(o.kind, o.submitter), "local:root");
}

TEST(SendmailQueueFileTest, StatusLinesBelongToTheNextRecipientOnly) {
  auto info = ParseSendmailQueueFile(
      "V8\nT1\nK1\nN1\nMDeferred: envelope\nSs@x\nMDeferred: first\nRPF:a@x\nRPF:b@x\n"
      "Mthird\nRPF:c@x\n.\n");
  ASSERT_OK(info);
  EXPECT_EQ(info->envelope_status, "envelope");
  ASSERT_EQ(info->pending.size(), 3u);
  EXPECT_EQ(info->pending[0].status, "first");
  EXPECT_EQ(info->pending[1].status, "");
  EXPECT_EQ(info->pending[2].status, "third");
}

TEST(SendmailQueueFileTest, RecipientFlagsByVersion) {
  // Version 0 files have no "<flags>:" prefix; later ones split at the first ':'.
  auto old = ParseSendmailQueueFile("T1\nSs\nR<@a,@b:c@d>\n.\n");
  ASSERT_OK(old);
  EXPECT_EQ(old->pending[0].address, "<@a,@b:c@d>");
  auto v8 = ParseSendmailQueueFile("V8\nT1\nSs\nRPFD:c@d\nR:e@f\nRg@h\n.\n");
  ASSERT_OK(v8);
  ASSERT_EQ(v8->pending.size(), 3u);
  EXPECT_EQ(v8->pending[0].address, "c@d");
  EXPECT_EQ(v8->pending[1].address, "e@f");
  EXPECT_EQ(v8->pending[2].address, "g@h");
  EXPECT_EQ(v8->sender, "s");
}

TEST(SendmailQueueFileTest, MemoryIsBounded) {
  std::string text = "V8\nT1\nSs\nM" + std::string(5000, 'x') + "\n";
  for (int i = 0; i < 50; ++i) text += "RPF:r" + std::to_string(i) + "@x\n";
  text += ".\n";
  SendmailQueueFileOptions options;
  options.max_kept_recipients = 10;
  options.max_status_bytes = 100;
  auto info = ParseSendmailQueueFile(text, options);
  ASSERT_OK(info);
  EXPECT_EQ(info->pending_count, 50u);
  EXPECT_EQ(info->pending.size(), 10u);
  EXPECT_EQ(info->pending[0].status.size(), 100u);
}

}  // namespace
}  // namespace mailrep
