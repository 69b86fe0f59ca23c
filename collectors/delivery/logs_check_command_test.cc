#include "collectors/delivery/logs_check_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <sstream>

#include "exporter/util/testing/scoped_temp_dir.h"

namespace mailrep {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kLog[] =
    "Nov 27 13:39:50 lab postfix/cleanup[9]: AAAAA1: message-id=<m1@example.org>\n"
    "Nov 27 13:39:52 lab postfix/smtp[1]: AAAAA1: to=<a@gmail.com>, "
    "relay=gmail-smtp-in.l.google.com[142.250.1.27]:25, delay=0.3, delays=0/0/0/0.3, "
    "dsn=2.0.0, status=sent (250 2.0.0 OK)\n"
    "Nov 27 13:39:52 lab postfix/qmgr[2]: AAAAA1: removed\n"
    "Nov 27 13:39:53 lab postfix/smtp[1]: BBBBB2: to=<c@example.net>, relay=mx.example.net"
    "[192.0.2.5]:25, delay=2, delays=0/0/0/2, dsn=5.7.1, status=bounced (host said: 554 5.7.1 "
    "Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org)\n"
    "binary \x01 junk\n";

struct CheckRun {
  int code;
  std::string out, err;
};

CheckRun Check(std::vector<std::string> args) {
  std::ostringstream out, err;
  CheckCommandContext ctx{std::move(args), "", "/nonexistent-root", out, err};
  int code = RunLogsCheck(ctx);
  return {code, out.str(), err.str()};
}

TEST(CheckLogsTest, TextSummary) {
  ScopedTempDir t;
  t.WriteFile("/mail.log", kLog);
  CheckRun r = Check({t.path() + "/mail.log"});
  EXPECT_EQ(r.code, 1) << r.err;  // a blocklist rejection
  EXPECT_THAT(r.out, HasSubstr("Lines: 2 parsed, 2 ignored, 1 malformed"));
  EXPECT_THAT(r.out, HasSubstr("Recognised: 4 of 5 lines as postfix, exim, sendmail, qmail or "
                               "opensmtpd log lines"));
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(r.out, HasSubstr("postfix  unknown  sent  gmail: 1"));
  EXPECT_THAT(r.out, HasSubstr("blocklist  other: 1"));
  EXPECT_THAT(r.out, HasSubstr("zen.spamhaus.org: 1"));
  EXPECT_THAT(r.out, HasSubstr("example.net: 1"));
}

TEST(CheckLogsTest, JsonFromGzip) {
  ScopedTempDir t;
  std::string path = t.path() + "/mail.log.2.gz";
  gzFile f = gzopen(path.c_str(), "wb");
  gzwrite(f, kLog, sizeof(kLog) - 1);
  gzclose(f);
  CheckRun r = Check({path, "--format", "json"});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("{\"lines\": {\"parsed\": 2, \"ignored\": 2, \"malformed\": 1, "
                               "\"non_empty\": 5, \"recognised\": 4}"));
  EXPECT_THAT(r.out, HasSubstr("{\"mta\": \"postfix\", \"sending_ip\": \"unknown\", \"status\": "
                               "\"bounced\", \"provider\": \"other\", \"count\": 1}"));
  EXPECT_THAT(r.out, HasSubstr("\"rejections\": [{\"reason\": \"blocklist\", \"provider\": "
                               "\"other\", \"count\": 1}]"));
  EXPECT_THAT(r.out, HasSubstr("\"cited_blocklists\": {\"zen.spamhaus.org\": 1}"));
}

TEST(CheckLogsTest, MessageIdAndDestinationNarrow) {
  ScopedTempDir t;
  t.WriteFile("/mail.log", kLog);
  CheckRun by_id = Check({t.path() + "/mail.log", "--message-id", "<m1@example.org>"});
  EXPECT_EQ(by_id.code, 0);
  EXPECT_THAT(by_id.out, HasSubstr("postfix  unknown  sent  gmail: 1"));
  EXPECT_THAT(by_id.out, Not(HasSubstr("bounced")));
  EXPECT_THAT(by_id.out, HasSubstr("AAAAA1: removed"));
  EXPECT_THAT(by_id.out, HasSubstr("message-id=<m1@example.org>"));

  CheckRun by_dest = Check({t.path() + "/mail.log", "--destination", "192.0.2.5"});
  EXPECT_EQ(by_dest.code, 1);
  EXPECT_THAT(by_dest.out, Not(HasSubstr("gmail")));
  EXPECT_THAT(by_dest.out, HasSubstr("BBBBB2: to=<c@example.net>"));
  CheckRun by_domain = Check({t.path() + "/mail.log", "--destination", "GOOGLE.com"});
  EXPECT_EQ(by_domain.code, 0);
  EXPECT_THAT(by_domain.out, HasSubstr("AAAAA1: to=<a@gmail.com>"));

  // Issue #12: --message-id takes the MTA's queue id too.
  CheckRun by_queue_id = Check({t.path() + "/mail.log", "--message-id", "BBBBB2"});
  EXPECT_EQ(by_queue_id.code, 1);
  EXPECT_THAT(by_queue_id.out, HasSubstr("postfix  unknown  bounced  other: 1"));
  EXPECT_THAT(by_queue_id.out, Not(HasSubstr("gmail")));
  EXPECT_THAT(by_queue_id.out, HasSubstr("BBBBB2: to=<c@example.net>"));
}

// OpenSMTPD deliveries carry their message's msgid (an evpid's first 8 hex
// digits): --message-id takes the msgid or an evpid, and selects the message.
TEST(CheckLogsTest, OpenSmtpdMessageIdOrEnvelopeId) {
  ScopedTempDir t;
  t.WriteFile("/mail.log",
              "Dec  7 10:00:02 lab smtpd[5]: a662f9d184188bfe mta delivery "
              "evpid=2ab15cf6acbc478e from=<s@x> to=<b@example.net> rcpt=<-> "
              "source=\"127.0.0.2\" relay=\"192.0.2.5 (mx.example.net)\" delay=1s "
              "result=\"Ok\" stat=\"250 2.0.0 Ok\"\n"
              "Dec  7 10:00:03 lab smtpd[5]: a662f9d184188bff mta delivery "
              "evpid=2ab15cf62a405ccc from=<s@x> to=<c@example.net> rcpt=<-> "
              "source=\"127.0.0.2\" relay=\"192.0.2.5 (mx.example.net)\" delay=1s "
              "result=\"Ok\" stat=\"250 2.0.0 Ok\"\n"
              "Dec  7 10:00:04 lab smtpd[5]: a662f9d184188c00 mta delivery "
              "evpid=04846c34762bc95a from=<s@x> to=<d@example.net> rcpt=<-> "
              "source=\"127.0.0.2\" relay=\"192.0.2.5 (mx.example.net)\" delay=1s "
              "result=\"Ok\" stat=\"250 2.0.0 Ok\"\n");
  for (const char* id : {"2ab15cf6", "2ab15cf62a405ccc"}) {
    CheckRun r = Check({t.path() + "/mail.log", "--message-id", id});
    EXPECT_EQ(r.code, 0) << id << r.err;
    EXPECT_THAT(r.out, HasSubstr("opensmtpd  127.0.0.2  sent  other: 2")) << id << r.out;
  }
}

// Issue #12: the raw /dev/log form (no HOSTNAME) and an extra leading stamp
// were 0 parsed with exit 0; now they are read.
TEST(CheckLogsTest, HostlessAndRestampedSyslog) {
  ScopedTempDir t;
  t.WriteFile(
      "/raw.log",
      "<22>Nov 27 13:38:08 sendmail[31561]: 6ARDc8NJ031561: from=<s@x>, size=1, nrcpts=1\n"
      "<22>Nov 27 13:38:08 sendmail[31588]: 6ARDc8NJ031561: to=<a@ok.example.test>, "
      "delay=00:00:00, xdelay=00:00:00, mailer=esmtp, pri=120080, relay=[127.0.0.1] "
      "[127.0.0.1], dsn=2.0.0, stat=Sent (Ok)\n"
      "2026-11-27T13:38:09.1+00:00 Nov 27 13:38:08 lab sendmail[31588]: 6ARDc8vp031569: "
      "to=<d@gmail.com>, delay=00:00:00, mailer=esmtp, pri=1, relay=[127.0.0.1] [127.0.0.1], "
      "dsn=4.2.2, stat=Deferred: 452 4.2.2 Mailbox full\n");
  CheckRun r = Check({t.path() + "/raw.log"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Lines: 2 parsed, 1 ignored, 0 malformed"));
  EXPECT_THAT(r.out, HasSubstr("Recognised: 3 of 3 lines"));
  EXPECT_THAT(r.out, HasSubstr("sendmail  unknown  deferred  gmail: 1"));
}

// Issue #12: nothing recognised used to exit 0; now it exits 1, says why and
// which --mta would read more.
TEST(CheckLogsTest, TooFewLinesRecognised) {
  ScopedTempDir t;
  t.WriteFile("/other.log",
              "Nov 27 13:39:52 lab CRON[5]: (root) CMD (true)\n"
              "Nov 27 13:39:52 lab dovecot[1]: imap-login: Login: user=<x>\n"
              "some text\n");
  CheckRun none = Check({t.path() + "/other.log"});
  EXPECT_EQ(none.code, 1);
  EXPECT_THAT(none.err, HasSubstr("0 of 3 lines recognised as postfix, exim, sendmail, qmail or "
                                  "opensmtpd log lines (0.0%, below --min-recognised 10%)"));
  EXPECT_THAT(none.err, HasSubstr("try --mta"));
  EXPECT_EQ(Check({t.path() + "/other.log", "--min-recognised", "0"}).code, 0);

  t.WriteFile("/qmail.log",
              "@4000000069287a3b1c3b2a14 status: local 0/10 remote 0/10\n"
              "@4000000069287a3b1c3b2a15 new msg 10979310\n");
  CheckRun wrong = Check({t.path() + "/qmail.log", "--mta", "postfix"});
  EXPECT_EQ(wrong.code, 1);
  EXPECT_THAT(wrong.err, HasSubstr("0 of 2 lines recognised as postfix log lines"));
  EXPECT_THAT(wrong.err, HasSubstr("try --mta auto (it recognises 2 of the first 2)"));
  EXPECT_EQ(Check({t.path() + "/qmail.log"}).code, 0);

  t.WriteFile("/empty.log", "");
  CheckRun empty = Check({t.path() + "/empty.log"});
  EXPECT_EQ(empty.code, 1);
  EXPECT_THAT(empty.err, HasSubstr("no lines read"));
}

TEST(CheckLogsTest, PostfixConfigMapsSendingIps) {
  ScopedTempDir t;
  t.WriteFile("/mail.log", kLog);
  t.WriteFile("/pf/main.cf", "smtp_bind_address = 192.0.2.44\n");
  t.WriteFile("/pf/master.cf", "smtp unix - - n - - smtp\n");
  CheckRun r = Check({t.path() + "/mail.log", "--postfix-config", t.path() + "/pf"});
  EXPECT_THAT(r.out, HasSubstr("postfix  192.0.2.44  sent  gmail: 1"));
}

TEST(CheckLogsTest, UsageErrors) {
  EXPECT_EQ(Check({}).code, 2);
  EXPECT_EQ(Check({"x", "--format", "xml"}).code, 2);
  EXPECT_EQ(Check({"x", "--mta", "exchange"}).code, 2);
  EXPECT_EQ(Check({"x", "--bogus"}).code, 2);
  EXPECT_EQ(Check({"x", "--min-recognised", "101"}).code, 2);
  EXPECT_EQ(Check({"x", "--min-recognised", "ten"}).code, 2);
  CheckRun missing = Check({"/nonexistent/mail.log"});
  EXPECT_EQ(missing.code, 2);
  EXPECT_THAT(missing.err, HasSubstr("/nonexistent/mail.log"));
}

// The reply the Postfix queue lab's rate.example.test receiver gives
// (tests/queue/postfix_lab.sh; queue_postfix_e2e expects reason reputation for
// it in the queue) is reputation citing gmail in the logs too: one classifier.
TEST(CheckLogsTest, GmailUnusualRateIsReputationAsInTheQueue) {
  ScopedTempDir t;
  t.WriteFile(
      "/mail.log",
      "Nov 27 13:40:01 lab postfix/smtp[1]: CCCCC3: to=<h@gmail.com>, "
      "relay=gmail-smtp-in.l.google.com[142.250.1.27]:25, delay=1, delays=0/0/0/1, "
      "dsn=4.7.28, status=deferred (host gmail-smtp-in.l.google.com[142.250.1.27] said: 451 "
      "4.7.28 Our system has detected an unusual rate of unsolicited mail originating from "
      "your IP address, temporarily rate limited (in reply to MAIL FROM command))\n");
  CheckRun r = Check({t.path() + "/mail.log"});
  EXPECT_THAT(r.out, HasSubstr("reputation  gmail: 1"));
  EXPECT_THAT(r.out, Not(HasSubstr("rate_limit")));
}

TEST(CheckLogsTest, BySubmitter) {
  ScopedTempDir t;
  t.WriteFile("/mail.log",
              "Nov 27 13:39:49 lab postfix/smtpd[8]: AAAAA1: client=host.example[192.0.2.4], "
              "sasl_method=PLAIN, sasl_username=alice\n" +
                  std::string(kLog));
  CheckRun json = Check({t.path() + "/mail.log", "--by", "submitter", "--format", "json"});
  EXPECT_EQ(json.code, 0) << json.err;
  EXPECT_EQ(json.out,
            "{\"submitters\": [{\"kind\": \"sasl\", \"name\": \"alice\", \"messages\": 1, "
            "\"recipients\": 1, \"deferred\": 0, \"bounced\": 0, \"client_ips\": 1}, "
            "{\"kind\": \"unknown\", \"name\": \"\", \"messages\": 1, \"recipients\": 1, "
            "\"deferred\": 0, \"bounced\": 1, \"client_ips\": 0}]}\n");
  CheckRun text = Check({t.path() + "/mail.log", "--by", "submitter"});
  EXPECT_EQ(text.code, 0);
  EXPECT_THAT(text.out, HasSubstr("alice      sasl"));
  CheckRun bad = Check({t.path() + "/mail.log", "--by", "sender"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_THAT(bad.err, HasSubstr("--by must be submitter"));
  CheckRun narrowed =
      Check({t.path() + "/mail.log", "--by", "submitter", "--message-id", "m1@example.org"});
  EXPECT_EQ(narrowed.code, 2);
  EXPECT_THAT(narrowed.err, HasSubstr("no --message-id or --destination with it"));
}

}  // namespace
}  // namespace mailrep
