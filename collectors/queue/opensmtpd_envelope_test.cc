#include "collectors/queue/opensmtpd_envelope.h"

#include <gtest/gtest.h>

#include <string>

#include "collectors/queue/opensmtpd_queue_scan.h"
#include "collectors/queue/queue_test_util.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

TEST(OpensmtpdEnvelopeTest, RealDeferredEnvelope) {
  // Written by OpenSMTPD 6.8.0p2 after a 452 (tests/queue/opensmtpd_lab.sh).
  std::string text = ReadQueueFixture("opensmtpd/spool/queue/7f/7f2527b7/7f2527b796621e2a");
  StatusOr<OpensmtpdEnvelope> env = ParseOpensmtpdEnvelope(text);
  ASSERT_OK(env);
  EXPECT_EQ(env->version, 3);
  EXPECT_EQ(env->dispatcher, "soft");
  EXPECT_EQ(env->type, "mta");
  EXPECT_EQ(env->sender, "s1@lab.example.test");
  EXPECT_EQ(env->rcpt, "c@soft.example.test");
  EXPECT_EQ(env->Destination(), "c@soft.example.test");
  EXPECT_EQ(env->ctime, 1795800375);
  EXPECT_EQ(env->retry, 1u);
  EXPECT_EQ(env->errorline, "452 4.2.2 Mailbox full, try later");
}

// username and sockaddr name the submitter; "local" is smtpctl/sendmail.
TEST(OpensmtpdEnvelopeTest, Origin) {
  std::string base = "version: 3\nrcpt: r@x.test\nctime: 1\nsender: s@a.test\n";
  StatusOr<OpensmtpdEnvelope> sasl =
      ParseOpensmtpdEnvelope(base + "username: alice\nsockaddr: 192.0.2.4\nflags: authenticated\n");
  ASSERT_OK(sasl);
  EXPECT_EQ(sasl->username, "alice");
  EXPECT_EQ(sasl->sockaddr, "192.0.2.4");
  QueueOrigin o = OpensmtpdOrigin(*sasl);
  EXPECT_EQ(SubmitterKey(o.kind, o.submitter), "sasl:alice");
  EXPECT_EQ(o.sender, "s@a.test");
  StatusOr<OpensmtpdEnvelope> local = ParseOpensmtpdEnvelope(base + "sockaddr: local\n");
  ASSERT_OK(local);
  o = OpensmtpdOrigin(*local);
  EXPECT_EQ(SubmitterKey(o.kind, o.submitter), "local:local");

  // The real lab envelope of `sendmail` (smtpctl enqueue): the local socket,
  // "flags: authenticated" and no username.
  StatusOr<OpensmtpdEnvelope> real = ParseOpensmtpdEnvelope(
      ReadQueueFixture("opensmtpd/spool/queue/7f/7f2527b7/7f2527b796621e2a"));
  ASSERT_OK(real);
  EXPECT_EQ(real->sockaddr, "local");
  o = OpensmtpdOrigin(*real);
  EXPECT_EQ(SubmitterKey(o.kind, o.submitter), "local:local");
  StatusOr<OpensmtpdEnvelope> bounce = ParseOpensmtpdEnvelope(
      ReadQueueFixture("opensmtpd/spool/queue/eb/ebfc4354/ebfc43547ce42632"));
  ASSERT_OK(bounce);
  EXPECT_EQ(OpensmtpdOrigin(*bounce).sender, "");  // "@" is <>
}

TEST(OpensmtpdEnvelopeTest, RealBounceFromNullSender) {
  std::string text = ReadQueueFixture("opensmtpd/spool/queue/eb/ebfc4354/ebfc43547ce42632");
  StatusOr<OpensmtpdEnvelope> env = ParseOpensmtpdEnvelope(text);
  ASSERT_OK(env);
  EXPECT_EQ(env->sender, "@");
  EXPECT_EQ(env->rcpt, "s3@lab.example.test");
  EXPECT_EQ(env->errorline, "Network error on destination MXs");
}

TEST(OpensmtpdEnvelopeTest, RealIncomingEnvelope) {
  std::string text = ReadQueueFixture("opensmtpd/spool/incoming/f4831305/f48313050a1dac63");
  StatusOr<OpensmtpdEnvelope> env = ParseOpensmtpdEnvelope(text);
  ASSERT_OK(env);
  EXPECT_EQ(env->retry, 0u);
  EXPECT_EQ(env->errorline, "");
  EXPECT_EQ(env->ctime, 1795800606);
}

struct Case {
  const char* name;
  std::string text;
  bool ok;
};

TEST(OpensmtpdEnvelopeTest, Table) {
  const std::string base = "version: 3\nrcpt: a@b.test\nctime: 100\n";
  const Case cases[] = {
      {"minimal", base, true},
      {"dest only", "version: 3\ndest: a@b.test\nctime: 1\n", true},
      {"no final newline", "version: 3\nrcpt: a@b.test\nctime: 100", true},
      {"crlf", "version: 3\r\nrcpt: a@b.test\r\nctime: 100\r\n", true},
      {"blank lines", "\n" + base + "\n", true},
      {"unknown keys", base + "esc-class: 4\nmda-user: x\nfuture-key: whatever: x\n", true},
      {"empty value", base + "errorline:\n", true},
      {"empty", "", false},
      {"no version", "rcpt: a@b.test\nctime: 100\n", false},
      {"bad version", "version: three\nrcpt: a@b.test\nctime: 100\n", false},
      {"no ctime", "version: 3\nrcpt: a@b.test\n", false},
      {"bad ctime", "version: 3\nrcpt: a@b.test\nctime: 12x\n", false},
      {"no rcpt", "version: 3\nctime: 100\n", false},
      {"bad retry", base + "retry: -1\n", false},
      {"line without key", base + "just text\n", false},
      {"empty key", base + ": value\n", false},
      {"nul byte", base + std::string("x: \0\n", 5), false},
      {"compressed", std::string("\x78\x9c\xcb\x48\xcd\xc9\xc9\x07\x00", 9), false},
  };
  for (const Case& c : cases) {
    StatusOr<OpensmtpdEnvelope> env = ParseOpensmtpdEnvelope(c.text);
    EXPECT_EQ(env.ok(), c.ok) << c.name << ": " << env.status().ToString();
  }
}

TEST(OpensmtpdEnvelopeTest, ValuesKeepColonsAndLastKeyWins) {
  StatusOr<OpensmtpdEnvelope> env = ParseOpensmtpdEnvelope(
      "version: 3\nrcpt: a@b.test\nctime: 5\nctime: 7\nerrorline: 421 4.7.0 a: b\nretry: 12\n");
  ASSERT_OK(env);
  EXPECT_EQ(env->ctime, 7);
  EXPECT_EQ(env->errorline, "421 4.7.0 a: b");
  EXPECT_EQ(env->retry, 12u);
}

TEST(OpensmtpdEnvelopeTest, Ids) {
  EXPECT_TRUE(IsOpensmtpdMsgid("7f2527b7"));
  EXPECT_FALSE(IsOpensmtpdMsgid("7F2527B7"));
  EXPECT_FALSE(IsOpensmtpdMsgid("7f2527b"));
  EXPECT_TRUE(IsOpensmtpdEvpid("7f2527b796621e2a"));
  EXPECT_FALSE(IsOpensmtpdEvpid("message"));
  EXPECT_FALSE(IsOpensmtpdEvpid("7f2527b796621e2g"));
}

}  // namespace
}  // namespace mailrep
