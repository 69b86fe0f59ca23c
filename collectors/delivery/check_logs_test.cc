#include "collectors/delivery/check_logs.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <sstream>

#include "collectors/host/test_tree.h"

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
  TestTree t;
  t.File("/mail.log", kLog);
  CheckRun r = Check({t.root() + "/mail.log"});
  EXPECT_EQ(r.code, 1) << r.err;  // a blocklist rejection
  EXPECT_THAT(r.out, HasSubstr("Lines: 2 parsed, 2 ignored, 1 malformed"));
  EXPECT_THAT(r.out, HasSubstr("postfix  unknown  sent  gmail: 1"));
  EXPECT_THAT(r.out, HasSubstr("blocklist  other: 1"));
  EXPECT_THAT(r.out, HasSubstr("zen.spamhaus.org: 1"));
  EXPECT_THAT(r.out, HasSubstr("example.net: 1"));
}

TEST(CheckLogsTest, JsonFromGzip) {
  TestTree t;
  std::string path = t.root() + "/mail.log.2.gz";
  gzFile f = gzopen(path.c_str(), "wb");
  gzwrite(f, kLog, sizeof(kLog) - 1);
  gzclose(f);
  CheckRun r = Check({path, "--format", "json"});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("{\"lines\": {\"parsed\": 2, \"ignored\": 2, \"malformed\": 1}"));
  EXPECT_THAT(r.out, HasSubstr("{\"mta\": \"postfix\", \"sending_ip\": \"unknown\", \"status\": "
                               "\"bounced\", \"provider\": \"other\", \"count\": 1}"));
  EXPECT_THAT(r.out, HasSubstr("\"rejections\": [{\"reason\": \"blocklist\", \"provider\": "
                               "\"other\", \"count\": 1}]"));
  EXPECT_THAT(r.out, HasSubstr("\"cited_blocklists\": {\"zen.spamhaus.org\": 1}"));
}

TEST(CheckLogsTest, MessageIdAndDestinationNarrow) {
  TestTree t;
  t.File("/mail.log", kLog);
  CheckRun by_id = Check({t.root() + "/mail.log", "--message-id", "<m1@example.org>"});
  EXPECT_EQ(by_id.code, 0);
  EXPECT_THAT(by_id.out, HasSubstr("postfix  unknown  sent  gmail: 1"));
  EXPECT_THAT(by_id.out, Not(HasSubstr("bounced")));
  EXPECT_THAT(by_id.out, HasSubstr("AAAAA1: removed"));
  EXPECT_THAT(by_id.out, HasSubstr("message-id=<m1@example.org>"));

  CheckRun by_dest = Check({t.root() + "/mail.log", "--destination", "192.0.2.5"});
  EXPECT_EQ(by_dest.code, 1);
  EXPECT_THAT(by_dest.out, Not(HasSubstr("gmail")));
  EXPECT_THAT(by_dest.out, HasSubstr("BBBBB2: to=<c@example.net>"));
  CheckRun by_domain = Check({t.root() + "/mail.log", "--destination", "GOOGLE.com"});
  EXPECT_EQ(by_domain.code, 0);
  EXPECT_THAT(by_domain.out, HasSubstr("AAAAA1: to=<a@gmail.com>"));
}

TEST(CheckLogsTest, PostfixConfigMapsSendingIps) {
  TestTree t;
  t.File("/mail.log", kLog);
  t.File("/pf/main.cf", "smtp_bind_address = 192.0.2.44\n");
  t.File("/pf/master.cf", "smtp unix - - n - - smtp\n");
  CheckRun r = Check({t.root() + "/mail.log", "--postfix-config", t.root() + "/pf"});
  EXPECT_THAT(r.out, HasSubstr("postfix  192.0.2.44  sent  gmail: 1"));
}

TEST(CheckLogsTest, UsageErrors) {
  EXPECT_EQ(Check({}).code, 2);
  EXPECT_EQ(Check({"x", "--format", "xml"}).code, 2);
  EXPECT_EQ(Check({"x", "--mta", "exchange"}).code, 2);
  EXPECT_EQ(Check({"x", "--bogus"}).code, 2);
  CheckRun missing = Check({"/nonexistent/mail.log"});
  EXPECT_EQ(missing.code, 2);
  EXPECT_THAT(missing.err, HasSubstr("/nonexistent/mail.log"));
}

// The reply the Postfix queue lab's rate.example.test receiver gives
// (tests/queue/postfix_lab.sh; queue_postfix_e2e expects reason reputation for
// it in the queue) is reputation citing gmail in the logs too: one classifier.
TEST(CheckLogsTest, GmailUnusualRateIsReputationAsInTheQueue) {
  TestTree t;
  t.File("/mail.log",
         "Nov 27 13:40:01 lab postfix/smtp[1]: CCCCC3: to=<h@gmail.com>, "
         "relay=gmail-smtp-in.l.google.com[142.250.1.27]:25, delay=1, delays=0/0/0/1, "
         "dsn=4.7.28, status=deferred (host gmail-smtp-in.l.google.com[142.250.1.27] said: 451 "
         "4.7.28 Our system has detected an unusual rate of unsolicited mail originating from "
         "your IP address, temporarily rate limited (in reply to MAIL FROM command))\n");
  CheckRun r = Check({t.root() + "/mail.log"});
  EXPECT_THAT(r.out, HasSubstr("reputation  gmail: 1"));
  EXPECT_THAT(r.out, Not(HasSubstr("rate_limit")));
}

}  // namespace
}  // namespace mailrep
