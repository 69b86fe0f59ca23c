#include "collectors/delivery/trace_check_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "collectors/queue/queue_test_util.h"
#include "exporter/util/testing/scoped_temp_dir.h"

namespace mailrep {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr int64_t kNow = 1796000000;

// Postfix with a content filter: alice submits over SMTP AUTH (AAAAA1), the
// filter on 127.0.0.1:10024 re-queues the message (BBBBB2, whose client is
// the filter), which goes to two receivers. CCCCC3 is another message.
constexpr char kPostfixLog[] =
    "Dec  7 10:00:00 lab postfix/smtpd[10]: AAAAA1: client=host.example[192.0.2.4], "
    "sasl_method=PLAIN, sasl_username=alice\n"
    "Dec  7 10:00:00 lab postfix/cleanup[11]: AAAAA1: message-id=<m1@lab.example>\n"
    "Dec  7 10:00:00 lab postfix/qmgr[12]: AAAAA1: from=<alice@lab.example>, size=900, nrcpt=2 "
    "(queue active)\n"
    "Dec  7 10:00:01 lab postfix/smtpd[13]: BBBBB2: client=localhost[127.0.0.1]\n"
    "Dec  7 10:00:01 lab postfix/cleanup[11]: BBBBB2: message-id=<m1@lab.example>\n"
    "Dec  7 10:00:01 lab postfix/qmgr[12]: BBBBB2: from=<alice@lab.example>, size=1200, nrcpt=2 "
    "(queue active)\n"
    "Dec  7 10:00:01 lab postfix/smtp[14]: AAAAA1: to=<bob@gmail.com>, relay=127.0.0.1[127.0.0.1]"
    ":10024, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]"
    ":10025): 250 2.0.0 Ok: queued as BBBBB2)\n"
    "Dec  7 10:00:01 lab postfix/qmgr[12]: AAAAA1: removed\n"
    "Dec  7 10:00:02 lab postfix-out1/smtp[15]: BBBBB2: to=<bob@gmail.com>, "
    "relay=gmail-smtp-in.l.google.com[142.250.1.27]:25, delay=1.2, delays=0/0/0.5/0.7, "
    "dsn=2.0.0, status=sent (250 2.0.0 OK 1701234567 x1-20020a05 - gsmtp)\n"
    "Dec  7 10:00:03 lab postfix-out1/smtp[15]: BBBBB2: to=<carol@example.net>, "
    "relay=mx.example.net[192.0.2.5]:25, delay=2, delays=0/0/0/2, dsn=4.7.1, status=deferred "
    "(host mx.example.net[192.0.2.5] said: 450 4.7.1 Service unavailable; Client host "
    "[198.51.100.10] blocked using zen.spamhaus.org (in reply to RCPT TO command))\n"
    "Dec  7 10:00:04 lab postfix/pickup[16]: CCCCC3: uid=1000 from=<www-data>\n"
    "Dec  7 10:00:04 lab postfix/cleanup[11]: CCCCC3: message-id=<m3@lab.example>\n"
    "Dec  7 10:00:05 lab postfix-out1/smtp[15]: CCCCC3: to=<dave@example.org>, "
    "relay=mx.example.org[192.0.2.6]:25, delay=1, delays=0/0/0/1, dsn=5.1.1, status=bounced "
    "(host mx.example.org[192.0.2.6] said: 550 5.1.1 <dave@example.org>: Recipient address "
    "rejected: User unknown (in reply to RCPT TO command))\n"
    "Dec  7 10:00:05 lab postfix/qmgr[12]: CCCCC3: removed\n";

// Exim: a SMTP AUTH submission, one deferral then a delivery.
constexpr char kEximLog[] =
    "2026-12-07 10:00:00 1tK2aB-000Abc-Zz <= alice@lab.example H=(c) [192.0.2.9] P=esmtpsa "
    "A=plain:alice S=1234 id=e1@lab.example\n"
    "2026-12-07 10:00:01 1tK2aB-000Abc-Zz == d@soft.example.test R=r_soft T=t_soft "
    "defer (-44) H=mx.soft.example.test [192.0.2.7]:25 I=[192.0.2.30]:41452 DT=0.000s: SMTP "
    "error from remote mail server after RCPT TO:<d@soft.example.test>: 452 4.2.2 Mailbox full, "
    "try later\n"
    "2026-12-07 10:00:02 1tK2aB-000Abc-Zz => x@yahoo.com R=dnslookup T=remote_smtp "
    "H=mta5.yahoo.com [192.0.2.66] I=[192.0.2.30]:41234 C=\"250 ok\"\n";

struct CheckRun {
  int code;
  std::string out, err;
};

CheckRun Trace(std::vector<std::string> args) {
  std::ostringstream out, err;
  CheckCommandContext ctx{std::move(args), "", "/nonexistent-root", out, err};
  int code = RunTraceCheckAt(ctx, kNow);
  return {code, out.str(), err.str()};
}

// The master.cf that maps postfix-out1/smtp to its bind address.
void WritePostfixConfig(ScopedTempDir& t) {
  t.WriteFile("/etc/postfix/main.cf", "queue_directory = /var/spool/postfix\n");
  t.WriteFile("/etc/postfix/master.cf",
              "out1 unix - - y - - smtp\n"
              "  -o syslog_name=postfix-out1\n"
              "  -o smtp_bind_address=198.51.100.10\n");
}

TEST(CheckTraceTest, FollowsAContentFilterByMessageId) {
  ScopedTempDir t;
  t.WriteFile("/mail.log", kPostfixLog);
  WritePostfixConfig(t);
  CheckRun r = Trace({"<m1@lab.example>", "--logs", t.path() + "/mail.log", "--postfix-config",
                      t.path() + "/etc/postfix", "--format", "json"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"id\": \"m1@lab.example\", \"queue_ids\": [\"AAAAA1\", \"BBBBB2\"], "
            "\"submitter\": {\"kind\": \"sasl\", \"name\": \"alice\"}, \"client_ip\": "
            "\"192.0.2.4\", \"sending_ips\": [\"198.51.100.10\"], \"recipients\": "
            "[{\"domain\": \"gmail.com\", \"status\": \"sent\", \"reply_class\": null}, "
            "{\"domain\": \"example.net\", \"status\": \"deferred\", \"reply_class\": "
            "\"blocklist\"}], \"in_queue\": null, \"in_queue_since\": null}\n");
  EXPECT_THAT(r.out, Not(HasSubstr("bob")));
}

TEST(CheckTraceTest, AQueueIdFindsTheSameMessage) {
  ScopedTempDir t;
  t.WriteFile("/mail.log", kPostfixLog);
  for (const char* id : {"AAAAA1", "BBBBB2", "m1@lab.example"}) {
    SCOPED_TRACE(id);
    CheckRun r = Trace({id, "--logs", t.path() + "/mail.log", "--format", "json"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("\"queue_ids\": [\"AAAAA1\", \"BBBBB2\"]"));
    EXPECT_THAT(r.out, HasSubstr("{\"kind\": \"sasl\", \"name\": \"alice\"}"));
  }
}

// The filter gave the copy a new Message-ID: the hand-off still links the
// copy's queue id back to the first.
TEST(CheckTraceTest, FollowsAHandOffBackwards) {
  ScopedTempDir t;
  std::string log = kPostfixLog;
  const std::string original = "BBBBB2: message-id=<m1@lab.example>";
  log.replace(log.find(original), original.size(), "BBBBB2: message-id=<other@filter.example>");
  t.WriteFile("/mail.log", log);
  CheckRun r = Trace({"BBBBB2", "--logs", t.path() + "/mail.log", "--format", "json"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"queue_ids\": [\"AAAAA1\", \"BBBBB2\"]"));
  EXPECT_THAT(r.out, HasSubstr("{\"kind\": \"sasl\", \"name\": \"alice\"}"));
}

TEST(CheckTraceTest, ShowRecipientsAddsTheAddressesAndReplies) {
  ScopedTempDir t;
  t.WriteFile("/mail.log", kPostfixLog);
  CheckRun json = Trace({"m3@lab.example", "--logs", t.path() + "/mail.log", "--show-recipients",
                         "--format", "json"});
  EXPECT_EQ(json.code, 0) << json.err;
  EXPECT_THAT(json.out, HasSubstr("{\"kind\": \"local\", \"name\": \"uid=1000\"}"));
  EXPECT_THAT(json.out, HasSubstr("[{\"domain\": \"example.org\", \"recipient\": "
                                  "\"dave@example.org\", \"status\": \"bounced\", "
                                  "\"reply_class\": \"recipient_unknown\"}]"));
  CheckRun text = Trace({"m3@lab.example", "--logs", t.path() + "/mail.log"});
  EXPECT_EQ(text.code, 0);
  EXPECT_THAT(text.out, HasSubstr("submitter:  local uid=1000"));
  EXPECT_THAT(text.out, HasSubstr("example.org  bounced (recipient_unknown) 5.1.1\n"));
  EXPECT_THAT(text.out, Not(HasSubstr("dave")));
  CheckRun shown = Trace({"m3@lab.example", "--logs", t.path() + "/mail.log", "--show-recipients"});
  EXPECT_THAT(shown.out, HasSubstr("dave@example.org  bounced (recipient_unknown) 5.1.1: "));
}

TEST(CheckTraceTest, EximSubmitterAndSendingIp) {
  ScopedTempDir t;
  t.WriteFile("/mainlog", kEximLog);
  CheckRun r = Trace({"e1@lab.example", "--logs", t.path() + "/mainlog", "--format", "json"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"id\": \"e1@lab.example\", \"queue_ids\": [\"1tK2aB-000Abc-Zz\"], "
            "\"submitter\": {\"kind\": \"sasl\", \"name\": \"alice\"}, \"client_ip\": "
            "\"192.0.2.9\", \"sending_ips\": [\"192.0.2.30\"], \"recipients\": "
            "[{\"domain\": \"soft.example.test\", \"status\": \"deferred\", \"reply_class\": "
            "\"mailbox_full\"}, {\"domain\": \"yahoo.com\", \"status\": \"sent\", "
            "\"reply_class\": null}], \"in_queue\": null, \"in_queue_since\": null}\n");
}

TEST(CheckTraceTest, NotFoundIsExitOne) {
  ScopedTempDir t;
  t.WriteFile("/mail.log", kPostfixLog);
  CheckRun r = Trace({"nothing@lab.example", "--logs", t.path() + "/mail.log"});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.out, HasSubstr("not found in 1 log file"));
  CheckRun j = Trace({"nothing@lab.example", "--logs", t.path() + "/mail.log", "--format=json"});
  EXPECT_EQ(j.code, 1);
  EXPECT_THAT(j.out, HasSubstr("\"queue_ids\": [], \"submitter\": {\"kind\": \"unknown\", "
                               "\"name\": null}"));
}

TEST(CheckTraceTest, UsageErrors) {
  EXPECT_EQ(Trace({}).code, 2);
  EXPECT_EQ(Trace({"a", "b"}).code, 2);
  EXPECT_EQ(Trace({"a", "--mta", "lotus"}).code, 2);
  CheckRun r = Trace({"a", "--show-recipients=yes"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("--show-recipients takes no value"));
  CheckRun missing = Trace({"a", "--logs", "/nonexistent/mail.log"});
  EXPECT_EQ(missing.code, 2);
  EXPECT_THAT(missing.err, HasSubstr("/nonexistent/mail.log: cannot open"));
}

// A deferred message in a Postfix queue directory (a real queue file): where
// it is, since when, and its pending recipients with the queue's reasons.
TEST(CheckTraceTest, FindsTheMessageInThePostfixQueue) {
  ScopedTempDir t;
  std::string queue = t.path() + "/spool";
  WriteTestFile(queue + "/deferred/B/B99EEA720AC",
                ReadQueueFixture("postfix/deferred_two_domains_B99EEA720AC"));
  WriteTestFile(queue + "/defer/B/B99EEA720AC", ReadQueueFixture("postfix/defer_B99EEA720AC"));
  WriteTestFile(queue + "/hold/B99EEA720AD",
                ReadQueueFixture("postfix/deferred_two_domains_B99EEA720AC"));
  t.WriteFile(
      "/mail.log",
      "Dec  7 10:00:00 lab postfix/cleanup[11]: B99EEA720AC: message-id=<q1@lab.example>\n");
  CheckRun r = Trace({"q1@lab.example", "--logs", t.path() + "/mail.log", "--queue-dir", queue,
                      "--format", "json"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"queue_ids\": [\"B99EEA720AC\"]"));
  EXPECT_THAT(r.out, HasSubstr("\"in_queue\": \"deferred\", \"in_queue_since\": "));
  // Pending in the deferred queue, no outcome logged: deferred, the defer
  // log's reason classified.
  EXPECT_THAT(r.out, HasSubstr("{\"domain\": \"soft.example.test\", \"status\": \"deferred\", "
                               "\"reply_class\": \"mailbox_full\"}"));
  EXPECT_THAT(r.out, Not(HasSubstr("\"in_queue_since\": null")));

  // Found in the queue alone, by queue id: a held copy.
  CheckRun held = Trace({"B99EEA720AD", "--logs", t.path() + "/mail.log", "--queue-dir", queue});
  EXPECT_EQ(held.code, 0) << held.err;
  EXPECT_THAT(held.out, HasSubstr("now:        in the hold queue (B99EEA720AD, for "));
  EXPECT_THAT(held.out, HasSubstr("soft.example.test  queued\n"));

  CheckRun absent = Trace({"q1@lab.example", "--logs", t.path() + "/mail.log", "--queue-dir",
                           t.path() + "/no-such-queue"});
  EXPECT_EQ(absent.code, 0);
  EXPECT_THAT(absent.err, HasSubstr("check trace: queue not read: "));
  EXPECT_THAT(absent.out, HasSubstr("not in the queue"));
}

// Without --logs and --queue-dir: the config file's delivery sources and
// queue instance, under --path.rootfs.
TEST(CheckTraceTest, ReadsTheConfiguredSourcesAndQueue) {
  ScopedTempDir t;
  t.WriteFile(
      "/var/log/mail.log",
      "Dec  7 10:00:00 lab postfix/cleanup[11]: B99EEA720AC: message-id=<q1@lab.example>\n");
  WriteTestFile(t.path() + "/var/spool/postfix/deferred/B/B99EEA720AC",
                ReadQueueFixture("postfix/deferred_two_domains_B99EEA720AC"));
  std::string config = t.WriteFile("/config.yml",
                                   "collectors:\n"
                                   "  delivery:\n"
                                   "    sources:\n"
                                   "      - path: /var/log/mail.log\n"
                                   "        mta: postfix\n"
                                   "  postfix_queue:\n"
                                   "    instances:\n"
                                   "      - name: default\n"
                                   "        queue_directory: /var/spool/postfix\n");
  std::ostringstream out, err;
  CheckCommandContext ctx{{"q1@lab.example", "--format", "json"}, config, t.path(), out, err};
  EXPECT_EQ(RunTraceCheckAt(ctx, kNow), 0) << err.str();
  EXPECT_THAT(out.str(), HasSubstr("\"queue_ids\": [\"B99EEA720AC\"]"));
  EXPECT_THAT(out.str(), HasSubstr("\"in_queue\": \"deferred\""));

  std::ostringstream out2, err2;
  CheckCommandContext bad{{"q1@lab.example"}, t.path() + "/none.yml", t.path(), out2, err2};
  EXPECT_EQ(RunTraceCheckAt(bad, kNow), 2);
  EXPECT_THAT(err2.str(), HasSubstr("cannot read config file"));
}

}  // namespace
}  // namespace mailrep
