// Submitter traces of Sendmail, qmail and OpenSMTPD: each parser on real-format
// lines, then whole logs through a LineParser and a MessageTracer, so that
// each MTA's outbound deliveries are joined to their submitter as Postfix's
// and Exim's are (message_tracer_test.cc).
#include <gtest/gtest.h>

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "collectors/delivery/line_parser.h"
#include "collectors/delivery/message_tracer.h"
#include "collectors/delivery/opensmtpd_log.h"
#include "collectors/delivery/qmail_log.h"
#include "collectors/delivery/sendmail_log.h"

namespace mailrep {
namespace {

// Sendmail 8.17.1.9: the from= line's fields as logsender() (envelope.c)
// writes them, the AUTH=server line as srvrsmtp.c does (strings of Debian's
// sendmail-bin 8.17.1.9 binary), "done;" as dropenvelope() does.
TEST(SendmailTraceTest, FromLineAuthAndDone) {
  SendmailTraceParser p;
  MessageTrace t;
  // The lab's local submission (mta-formats.md 3.4): relay=USER@localhost.
  ASSERT_TRUE(
      p.Parse("31577",
              "6ARDc8Bt031577: from=sender@ok.example.test, size=120, class=0, nrcpts=3, "
              "msgid=<202611271338.6ARDc8Bt031577@sm-lab.example.test>, relay=root@localhost",
              &t));
  EXPECT_EQ(t.queue_id, "6ARDc8Bt031577");
  EXPECT_EQ(t.message_id, "<202611271338.6ARDc8Bt031577@sm-lab.example.test>");
  EXPECT_EQ(t.sender_domain, "ok.example.test");
  EXPECT_EQ(t.submitter, "root");
  EXPECT_EQ(t.submitter_kind, LoggedSubmitterKind::kLocal);
  EXPECT_TRUE(t.client_ip.empty());

  // An unauthenticated SMTP client: its address is the key.
  t = {};
  ASSERT_TRUE(p.Parse("4100",
                      "6ARE0aAB004100: from=<news@lists.example>, size=812, class=0, nrcpts=1, "
                      "msgid=<n1@lists.example>, proto=ESMTP, daemon=MTA, "
                      "relay=mx.lists.example [192.0.2.9] (may be forged)",
                      &t));
  EXPECT_EQ(t.client_ip, "192.0.2.9");
  EXPECT_EQ(t.sender_domain, "lists.example");
  EXPECT_TRUE(t.submitter.empty());
  EXPECT_EQ(t.submitter_kind, LoggedSubmitterKind::kNone);

  // SMTP AUTH: the session's process logs AUTH=server (no queue id), then
  // the from= lines of its messages.
  t = {};
  EXPECT_FALSE(p.Parse(
      "4200", "AUTH=server, relay=client.example [198.51.100.4], authid=alice, mech=PLAIN, bits=0",
      &t));
  EXPECT_TRUE(t.empty());
  ASSERT_TRUE(p.Parse("4200",
                      "6ARE0bCD004200: from=<alice@example.org>, size=300, class=0, nrcpts=2, "
                      "msgid=<m2@example.org>, bodytype=8BITMIME, proto=ESMTPSA, daemon=MTA, "
                      "relay=client.example [198.51.100.4]",
                      &t));
  EXPECT_EQ(t.submitter, "alice");
  EXPECT_EQ(t.submitter_kind, LoggedSubmitterKind::kSasl);
  EXPECT_EQ(t.client_ip, "198.51.100.4");
  // The same pid later serving another client (a reused pid): not alice's.
  t = {};
  ASSERT_TRUE(p.Parse("4200",
                      "6ARF0bCD004200: from=<x@example.net>, size=3, class=0, nrcpts=1, "
                      "relay=[203.0.113.8]",
                      &t));
  EXPECT_EQ(t.client_ip, "203.0.113.8");
  EXPECT_TRUE(t.submitter.empty());
  // IPv6 clients are logged as [IPv6:...].
  t = {};
  ASSERT_TRUE(p.Parse("4300",
                      "6ARF0bCD004300: from=<>, size=3, class=0, nrcpts=1, "
                      "relay=v6.example [IPv6:2001:db8::7]",
                      &t));
  EXPECT_EQ(t.client_ip, "2001:db8::7");
  EXPECT_TRUE(t.sender_domain.empty());

  t = {};
  ASSERT_TRUE(p.Parse("4400", "6ARE0bCD004200: done; delay=00:00:03, ntries=1", &t));
  EXPECT_EQ(t.queue_id, "6ARE0bCD004200");
  EXPECT_TRUE(t.removed);

  for (const char* other : {
           "6ARDc8NJ031561: to=a@ok.example.test, delay=00:00:00, mailer=sink, pri=30080, "
           "stat=queued",
           "6ARDc813031565: 6ARDc8Qo031588: DSN: User unknown",
           "AUTH=server, relay=[198.51.100.4], mech=PLAIN, bits=0",
           "STARTTLS=server, relay=client.example [198.51.100.4], version=TLSv1.3, verify=NO",
           "x: from=a@b",
       }) {
    t = {};
    EXPECT_FALSE(p.Parse("1", other, &t)) << other;
    EXPECT_TRUE(t.empty()) << other;
  }
}

TEST(SendmailTraceTest, LoginsAreBounded) {
  SendmailTraceParser p;
  MessageTrace t;
  for (size_t i = 0; i < SendmailTraceParser::kMaxSessions + 5; ++i) {
    (void)p.Parse(std::to_string(i), "AUTH=server, relay=[192.0.2.1], authid=u, mech=PLAIN, bits=0",
                  &t);
  }
  EXPECT_LE(p.sessions(), SendmailTraceParser::kMaxSessions);
}

// notqmail 1.09 lab lines (mta-formats.md 4.4); the format is qmail-send.c's.
TEST(QmailTraceTest, InfoAndEndMsg) {
  QmailLogParser p;
  MessageTrace t;
  ASSERT_TRUE(p.ParseTrace(
      "info msg 10979310: bytes 241 from <sender@ok.example.test> qp 2611 uid 1001", &t));
  EXPECT_EQ(t.queue_id, "10979310");
  EXPECT_EQ(t.submitter, "uid=1001");
  EXPECT_EQ(t.submitter_kind, LoggedSubmitterKind::kLocal);
  EXPECT_EQ(t.sender_domain, "ok.example.test");
  EXPECT_TRUE(t.client_ip.empty());
  EXPECT_TRUE(t.message_id.empty());

  // Bounces have the null sender; multilog and splogger stamps are skipped.
  t = {};
  ASSERT_TRUE(p.ParseTrace(
      "@4000000069287a3b1c3b2a14 info msg 10979313: bytes 900 from <> qp 2621 uid 64011", &t));
  EXPECT_EQ(t.queue_id, "10979313");
  EXPECT_EQ(t.submitter, "uid=64011");
  EXPECT_TRUE(t.sender_domain.empty());

  t = {};
  ASSERT_TRUE(p.ParseTrace("1795786187.123456 end msg 10979310", &t));
  EXPECT_EQ(t.queue_id, "10979310");
  EXPECT_TRUE(t.removed);

  for (const char* other : {
           "new msg 10979310",
           "starting delivery 1: msg 10979310 to remote a@ok.example.test",
           "delivery 1: success: 127.0.0.1_accepted_message./Remote_host_said:_250_2.0.0_Ok/",
           "bounce msg 10979310 qp 2621",
           "status: local 0/10 remote 1/10",
           "info msg 1: bytes 2 from <a@b> qp 3",
           "info msg x: bytes 2 from <a@b> qp 3 uid 4",
           "end msg 12a",
       }) {
    t = {};
    EXPECT_FALSE(p.ParseTrace(other, &t)) << other;
    EXPECT_TRUE(t.empty()) << other;
  }
}

// OpenSMTPD 6.8.0p2: the format strings of Debian's smtpd binary, the same
// in 7.8.0p1's smtp_session.c; the session and message ids are the lab's.
TEST(OpenSmtpdTraceTest, SessionLinesJoinedByTheirId) {
  OpenSmtpdTraceParser p;
  MessageTrace t;
  EXPECT_FALSE(
      p.Parse("a662f9cafff28527 smtp connected address=198.51.100.4 host=client.example", &t));
  EXPECT_FALSE(p.Parse("a662f9cafff28527 smtp authentication user=alice result=ok", &t));
  EXPECT_TRUE(t.empty());
  ASSERT_TRUE(
      p.Parse("a662f9cafff28527 smtp message msgid=2ab15cf6 size=337 nrcpt=3 proto=ESMTP", &t));
  EXPECT_EQ(t.queue_id, "2ab15cf6");
  EXPECT_EQ(t.submitter, "alice");
  EXPECT_EQ(t.submitter_kind, LoggedSubmitterKind::kSasl);
  EXPECT_EQ(t.client_ip, "198.51.100.4");
  t = {};
  ASSERT_TRUE(
      p.Parse("a662f9cafff28527 smtp envelope evpid=2ab15cf6acbc478e "
              "from=<sender@smtpd-lab.example.test> to=<g@soft.example.test>",
              &t));
  EXPECT_EQ(t.queue_id, "2ab15cf6");
  EXPECT_EQ(t.sender_domain, "smtpd-lab.example.test");
  EXPECT_TRUE(t.submitter.empty());
  t = {};
  EXPECT_FALSE(p.Parse("a662f9cafff28527 smtp disconnected reason=quit", &t));
  EXPECT_EQ(p.sessions(), 0u);

  // A failed login names no submitter: the client's address does.
  EXPECT_FALSE(p.Parse("a662f9cafff28528 smtp connected address=[2001:db8::7] host=<unknown>", &t));
  EXPECT_FALSE(p.Parse("a662f9cafff28528 smtp authentication user=bob result=permfail", &t));
  ASSERT_TRUE(
      p.Parse("a662f9cafff28528 smtp message msgid=0c0ffee1 size=3 nrcpt=1 proto=ESMTP", &t));
  EXPECT_EQ(t.client_ip, "2001:db8::7");
  EXPECT_TRUE(t.submitter.empty());
  EXPECT_EQ(t.submitter_kind, LoggedSubmitterKind::kNone);

  // Mail enqueued on the host (sendmail, smtpctl): address=local.
  t = {};
  EXPECT_FALSE(p.Parse("a662f9cafff28529 smtp connected address=local host=vm", &t));
  ASSERT_TRUE(
      p.Parse("a662f9cafff28529 smtp message msgid=7e57ab1e size=3 nrcpt=1 proto=ESMTP", &t));
  EXPECT_EQ(t.submitter, "local");
  EXPECT_EQ(t.submitter_kind, LoggedSubmitterKind::kLocal);
  EXPECT_TRUE(t.client_ip.empty());

  for (const char* other : {
           "a662f9d184188bfe mta connected",
           "a662f9cafff28527 smtp message msgid=ZZ size=3 nrcpt=1 proto=ESMTP",
           "a662f9cafff28527 smtp envelope evpid=12 from=<a@b> to=<c@d>",
           "a662f9cafff28527 smtp envelope evpid=2ab15cf6acbc478e to=<c@d>",
           "a662f9cafff28527 smtp tls ciphers=TLSv1.3:TLS_AES_256_GCM_SHA384:256",
           "not a session",
       }) {
    t = {};
    EXPECT_FALSE(p.Parse(other, &t)) << other;
    EXPECT_TRUE(t.empty()) << other;
  }
}

TEST(OpenSmtpdTraceTest, DeliveryQueueIdIsTheMessageId) {
  DeliveryEvent e;
  ASSERT_EQ(ParseOpenSmtpdLine("a662f9d184188bfe mta delivery evpid=2ab15cf6acbc478e "
                               "from=<s@x> to=<b@y> rcpt=<-> source=\"127.0.0.2\" "
                               "relay=\"127.0.0.1 (localhost)\" delay=0s result=\"Ok\" "
                               "stat=\"250 2.0.0 Ok\"",
                               &e),
            LineResult::kParsed);
  EXPECT_EQ(e.queue_id, "2ab15cf6");
}

TEST(OpenSmtpdTraceTest, SessionsAreBounded) {
  OpenSmtpdTraceParser p;
  MessageTrace t;
  char sid[17];
  for (size_t i = 0; i < OpenSmtpdTraceParser::kMaxSessions + 5; ++i) {
    std::snprintf(sid, sizeof sid, "%016zx", i);
    (void)p.Parse(std::string(sid) + " smtp connected address=192.0.2.1 host=h", &t);
  }
  EXPECT_LE(p.sessions(), OpenSmtpdTraceParser::kMaxSessions);
}

// A whole log through a LineParser and a tracer, as the delivery collector
// runs them: each outbound delivery's queue id leads to its submitter.
struct Attributed {
  std::string recipient;
  LoggedSubmitterKind kind;
  std::string submitter;
  std::string client_ip;
  std::string sender_domain;
};

std::vector<Attributed> RunLog(const std::vector<std::string>& lines, size_t* pending = nullptr) {
  LineParser parser;
  MessageTracer tracer;
  std::vector<Attributed> out;
  for (const std::string& line : lines) {
    DeliveryEvent e;
    MessageTrace t;
    LineResult r = parser.Parse(line, &e, &t);
    if (r != LineResult::kParsed) {
      tracer.Note(t);
      continue;
    }
    Attributed a{e.recipient, LoggedSubmitterKind::kNone, "", "", ""};
    if (std::optional<MessageTracer::Origin> o = tracer.OriginOf(e.queue_id)) {
      a = {e.recipient, o->kind, std::string(o->submitter), std::string(o->client_ip),
           std::string(o->sender_domain)};
    }
    out.push_back(a);
  }
  if (pending) *pending = tracer.pending();
  return out;
}

TEST(MtaTraceThroughTracerTest, SendmailDeliveryAttributedToLogin) {
  size_t pending = 9;
  std::vector<Attributed> got = RunLog(
      {
          "Dec  7 10:00:00 lab sm-mta[4200]: AUTH=server, relay=client.example [198.51.100.4], "
          "authid=alice, mech=PLAIN, bits=0",
          "Dec  7 10:00:01 lab sm-mta[4200]: 6B7A01aB004200: from=<alice@Example.ORG>, size=300, "
          "class=0, nrcpts=1, msgid=<m2@example.org>, proto=ESMTPSA, daemon=MTA, "
          "relay=client.example [198.51.100.4]",
          "Dec  7 10:00:02 lab sm-mta[4201]: 6B7A01aB004200: to=<r@example.net>, "
          "delay=00:00:01, xdelay=00:00:01, mailer=esmtp, pri=120300, "
          "relay=mx.example.net. [192.0.2.5], dsn=2.0.0, stat=Sent (Ok queued)",
          "Dec  7 10:00:02 lab sm-mta[4201]: 6B7A01aB004200: done; delay=00:00:02, ntries=1",
          // Local submission straight to the MTA (relay=USER@localhost).
          "Dec  7 10:01:00 lab sendmail[5000]: 6B7A02cD005000: from=www-data, size=120, class=0, "
          "nrcpts=1, msgid=<f@lab>, relay=www-data@localhost",
          "Dec  7 10:01:01 lab sendmail[5001]: 6B7A02cD005000: to=<s@example.net>, "
          "ctladdr=www-data (33/33), delay=00:00:01, xdelay=00:00:01, mailer=esmtp, "
          "pri=30120, relay=mx.example.net. [192.0.2.5], dsn=4.2.2, "
          "stat=Deferred: 452 4.2.2 Mailbox full",
      },
      &pending);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].kind, LoggedSubmitterKind::kSasl);
  EXPECT_EQ(got[0].submitter, "alice");
  EXPECT_EQ(got[0].client_ip, "198.51.100.4");
  EXPECT_EQ(got[0].sender_domain, "example.org");
  EXPECT_EQ(got[1].kind, LoggedSubmitterKind::kLocal);
  EXPECT_EQ(got[1].submitter, "www-data");
  EXPECT_EQ(pending, 1u);  // the first left with "done;"
}

TEST(MtaTraceThroughTracerTest, QmailDeliveryAttributedToUid) {
  size_t pending = 9;
  std::vector<Attributed> got = RunLog(
      {
          "@4000000069287a3b1c3b2a14 new msg 10979310",
          "@4000000069287a3b1c3b2a14 info msg 10979310: bytes 241 from <sender@ok.example.test> "
          "qp 2611 uid 33",
          "@4000000069287a3b1c3b2a14 starting delivery 1: msg 10979310 to remote "
          "a@ok.example.test",
          "@4000000069287a3b1c3b2a15 starting delivery 2: msg 10979310 to remote "
          "c@hard.example.test",
          "@4000000069287a3b1c3b2a16 delivery 1: success: "
          "127.0.0.1_accepted_message./Remote_host_said:_250_2.0.0_Ok/",
          "@4000000069287a3b1c3b2a17 delivery 2: failure: "
          "127.0.0.1_does_not_like_recipient./Remote_host_said:_550_5.1.1_<user>_User_unknown/"
          "Giving_up_on_127.0.0.1./",
          "@4000000069287a3b1c3b2a18 end msg 10979310",
          // Under splogger: syslog tag "qmail" and an epoch stamp.
          "Dec  7 10:00:00 lab qmail: 1795786187.123456 info msg 10979313: bytes 9 from "
          "<bob@lab.example> qp 2700 uid 1001",
          "Dec  7 10:00:00 lab qmail: 1795786187.223456 starting delivery 3: msg 10979313 to "
          "remote d@soft.example.test",
          "Dec  7 10:00:01 lab qmail: 1795786188.123456 delivery 3: deferral: "
          "Sorry,_I_wasn't_able_to_establish_an_SMTP_connection._(#4.4.1)/",
      },
      &pending);
  ASSERT_EQ(got.size(), 3u);
  for (int i : {0, 1}) {
    EXPECT_EQ(got[i].kind, LoggedSubmitterKind::kLocal) << i;
    EXPECT_EQ(got[i].submitter, "uid=33") << i;
    EXPECT_EQ(got[i].sender_domain, "ok.example.test") << i;
  }
  EXPECT_EQ(got[2].submitter, "uid=1001");
  EXPECT_EQ(got[2].recipient, "d@soft.example.test");
  EXPECT_EQ(pending, 1u);  // 10979310 ended
}

TEST(MtaTraceThroughTracerTest, OpenSmtpdDeliveriesAttributedToLoginAndClient) {
  std::vector<Attributed> got = RunLog({
      "Dec  7 10:00:00 lab smtpd[5]: a662f9cafff28527 smtp connected address=198.51.100.4 "
      "host=client.example",
      "Dec  7 10:00:00 lab smtpd[5]: a662f9cafff28527 smtp authentication user=alice result=ok",
      "Dec  7 10:00:01 lab smtpd[5]: a662f9cafff28527 smtp message msgid=2ab15cf6 size=337 "
      "nrcpt=2 proto=ESMTP",
      "Dec  7 10:00:01 lab smtpd[5]: a662f9cafff28527 smtp envelope evpid=2ab15cf6acbc478e "
      "from=<alice@Example.org> to=<b@ip2.example.test>",
      "Dec  7 10:00:01 lab smtpd[5]: a662f9cafff28527 smtp envelope evpid=2ab15cf62a405ccc "
      "from=<alice@Example.org> to=<d@soft.example.test>",
      "Dec  7 10:00:01 lab smtpd[5]: a662f9cafff28527 smtp disconnected reason=quit",
      // An unauthenticated client, in smtpd -d's foreground form (no tag).
      "a662f9cafff28530 smtp connected address=203.0.113.8 host=<unknown>",
      "a662f9cafff28530 smtp message msgid=04846c34 size=3 nrcpt=1 proto=ESMTP",
      "a662f9cafff28530 smtp envelope evpid=04846c34762bc95a from=<> to=<e@down.example.test>",
      "Dec  7 10:00:02 lab smtpd[5]: a662f9d184188bfe mta delivery evpid=2ab15cf6acbc478e "
      "from=<alice@Example.org> to=<b@ip2.example.test> rcpt=<-> source=\"127.0.0.2\" "
      "relay=\"192.0.2.5 (mx.example.net)\" delay=1s result=\"Ok\" stat=\"250 2.0.0 Ok\"",
      "Dec  7 10:00:03 lab smtpd[5]: a662fa2d45da15b3 mta delivery evpid=2ab15cf62a405ccc "
      "from=<alice@Example.org> to=<d@soft.example.test> rcpt=<-> source=\"127.0.0.2\" "
      "relay=\"192.0.2.5 (mx.example.net)\" delay=2s result=\"TempFail\" "
      "stat=\"452 4.2.2 Mailbox full, try later\"",
      "a662fa2d45da15b4 mta delivery evpid=04846c34762bc95a from=<> to=<e@down.example.test> "
      "rcpt=<-> source=\"127.0.0.2\" relay=\"192.0.2.5 (mx.example.net)\" delay=2s "
      "result=\"PermFail\" stat=\"550 5.1.1 <user> User unknown\"",
  });
  ASSERT_EQ(got.size(), 3u);
  for (int i : {0, 1}) {
    EXPECT_EQ(got[i].kind, LoggedSubmitterKind::kSasl) << i;
    EXPECT_EQ(got[i].submitter, "alice") << i;
    EXPECT_EQ(got[i].client_ip, "198.51.100.4") << i;
    EXPECT_EQ(got[i].sender_domain, "example.org") << i;
  }
  EXPECT_EQ(got[2].kind, LoggedSubmitterKind::kNone);
  EXPECT_EQ(got[2].client_ip, "203.0.113.8");
}

}  // namespace
}  // namespace mailrep
