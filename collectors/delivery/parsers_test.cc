// Each MTA parser against real lines (Postfix 3.7, Exim 4.96, Sendmail 8.17,
// notqmail 1.09, OpenSMTPD 6.8 lab runs; see shared/reference/mta-formats.md).
#include <gtest/gtest.h>

#include <initializer_list>

#include "collectors/delivery/exim_log.h"
#include "collectors/delivery/opensmtpd_log.h"
#include "collectors/delivery/postfix_log.h"
#include "collectors/delivery/qmail_log.h"
#include "collectors/delivery/sendmail_log.h"

namespace mailrep {
namespace {

struct Want {
  LineResult result;
  DeliveryStatus status = DeliveryStatus::kSent;
  const char* relay_host = "";
  const char* relay_ip = "";
  const char* sending_ip = "";
  const char* recipient = "";
  const char* dsn = "";
  const char* reply = "";
  double delay = -1;
  const char* syslog_tag = "";
};

void Check(LineResult got, const DeliveryEvent& e, const Want& w, const std::string& line) {
  ASSERT_EQ(got, w.result) << line;
  if (got != LineResult::kParsed) return;
  EXPECT_EQ(e.status, w.status) << line;
  EXPECT_EQ(e.relay_host, w.relay_host) << line;
  EXPECT_EQ(e.relay_ip, w.relay_ip) << line;
  EXPECT_EQ(e.sending_ip, w.sending_ip) << line;
  EXPECT_EQ(e.recipient, w.recipient) << line;
  EXPECT_EQ(e.dsn, w.dsn) << line;
  EXPECT_EQ(e.reply, w.reply) << line;
  EXPECT_DOUBLE_EQ(e.delay_seconds, w.delay) << line;
  EXPECT_EQ(e.syslog_tag, w.syslog_tag) << line;
}

struct PostfixCase {
  const char* tag;
  const char* message;
  Want want;
};

void CheckPostfix(std::initializer_list<PostfixCase> cases) {
  for (const PostfixCase& c : cases) {
    DeliveryEvent e;
    Check(ParsePostfixLine(c.tag, c.message, &e), e, c.want, c.message);
  }
}

TEST(PostfixLogTest, RealLines) {
  CheckPostfix({
      {"postfix/smtp",
       "0C9DAA7836C: to=<a@ok.example.test>, relay=127.0.0.1[127.0.0.1]:2525, delay=0.16, "
       "delays=0.06/0.08/0.01/0, dsn=2.0.0, status=sent (250 2.0.0 Ok)",
       {LineResult::kParsed, DeliveryStatus::kSent, "127.0.0.1", "127.0.0.1", "",
        "a@ok.example.test", "2.0.0", "250 2.0.0 Ok", 0.16, "postfix/smtp"}},
      {"postfix-ip2/smtp",
       "14915A78192: to=<b@ip2.example.test>, relay=127.0.0.1[127.0.0.1]:2525, delay=0.1, "
       "delays=0.01/0.08/0.01/0, dsn=2.0.0, status=sent (250 2.0.0 Ok)",
       {LineResult::kParsed, DeliveryStatus::kSent, "127.0.0.1", "127.0.0.1", "",
        "b@ip2.example.test", "2.0.0", "250 2.0.0 Ok", 0.1, "postfix-ip2/smtp"}},
      {"postfix/smtp",
       "32D4FA7836C: to=<d@soft.example.test>, relay=127.0.0.1[127.0.0.1]:2527, delay=0.05, "
       "delays=0.01/0.01/0.01/0.03, dsn=4.2.2, status=deferred (host 127.0.0.1[127.0.0.1] said: "
       "452 4.2.2 Mailbox full, try later (in reply to RCPT TO command))",
       {LineResult::kParsed, DeliveryStatus::kDeferred, "127.0.0.1", "127.0.0.1", "",
        "d@soft.example.test", "4.2.2",
        "host 127.0.0.1[127.0.0.1] said: 452 4.2.2 Mailbox full, try later (in reply to RCPT TO "
        "command)",
        0.05, "postfix/smtp"}},
      {"postfix/smtp",
       "40619A78374: to=<e@down.example.test>, relay=none, delay=0, delays=0/0/0/0, dsn=4.4.1, "
       "status=deferred (connect to 127.0.0.1[127.0.0.1]:2599: Connection refused)",
       {LineResult::kParsed, DeliveryStatus::kDeferred, "", "", "", "e@down.example.test", "4.4.1",
        "connect to 127.0.0.1[127.0.0.1]:2599: Connection refused", 0, "postfix/smtp"}},
      {"postfix/smtp",
       "2187DA7836E: to=<c@hard.example.test>, relay=127.0.0.1[127.0.0.1]:2526, delay=0.09, "
       "delays=0/0.04/0.01/0.04, dsn=5.1.1, status=bounced (host 127.0.0.1[127.0.0.1] said: 550 "
       "5.1.1 <user> User unknown (in reply to RCPT TO command))",
       {LineResult::kParsed, DeliveryStatus::kBounced, "127.0.0.1", "127.0.0.1", "",
        "c@hard.example.test", "5.1.1",
        "host 127.0.0.1[127.0.0.1] said: 550 5.1.1 <user> User unknown (in reply to RCPT TO "
        "command)",
        0.09, "postfix/smtp"}},
      // Long queue id, Debian's relay service, orig_to, conn_use and the 3.11 tls= field.
      {"postfix/relay/smtp",
       "4jbYzv0xhDz25p6w: to=<x@gmail.com>, orig_to=<y@example.org>, "
       "relay=gmail-smtp-in.l.google.com[142.250.1.27]:25, conn_use=2, delay=1.5, "
       "delays=0.1/0/0.5/0.9, tls=TLSv1.3, dsn=2.0.0, status=sent (250 2.0.0 OK)",
       {LineResult::kParsed, DeliveryStatus::kSent, "gmail-smtp-in.l.google.com", "142.250.1.27",
        "", "x@gmail.com", "2.0.0", "250 2.0.0 OK", 1.5, "postfix/relay/smtp"}},
      {"postfix/qmgr",
       "4jbYzt6TyKz25p6r: from=<longid@lab.example.test>, status=force-expired, returned to "
       "sender",
       {LineResult::kParsed, DeliveryStatus::kExpired, "", "", "", "", "", "message expired", -1,
        "postfix/qmgr"}},
      {"postfix/qmgr",
       "ABCDE12345: from=<s@x>, status=expired, returned to sender",
       {LineResult::kParsed, DeliveryStatus::kExpired, "", "", "", "", "", "message expired", -1,
        "postfix/qmgr"}},
      {"postfix/qmgr", "2187DA7836E: removed", {LineResult::kIgnored}},
      {"postfix/qmgr",
       "ABCDE12345: from=<s@x>, size=1, nrcpt=1 (queue active)",
       {LineResult::kIgnored}},
      {"postfix/smtp",
       "connect to 127.0.0.1[127.0.0.1]:2599: Connection refused",
       {LineResult::kIgnored}},
      {"postfix/bounce",
       "2187DA7836E: sender non-delivery notification: 3753AA78323",
       {LineResult::kIgnored}},
      {"postfix/submission/smtpd", "connect from x[1.2.3.4]", {LineResult::kIgnored}},
      {"postfix/smtp", "ABCDE12345: to=<a@b>, relay=x, delay=1", {LineResult::kMalformed}},
      {"postfix/smtp", "ABCDE12345: to=<a@b>, relay=x, status=weird (x)", {LineResult::kMalformed}},
      {"postfix/smtp", "ABCDE12345: to=<a@b>, delay=1, status=sent (x)", {LineResult::kMalformed}},
      {"postfix/smtp", "ABCDE12345: to=<a@b>, relay=, status=sent (x)", {LineResult::kMalformed}},
      // Fields are found at field starts only, the first of each key wins, in any order.
      {"postfix/smtp",
       "ABCDE12345: to=<a@b.test>, orig_to=<c@b.test>, dsn=2.0.0, delays=1/2/3/4, "
       "relay=mx.b.test[192.0.2.3]:25, xrelay=y, delay=5, relay=z, dsn=9.9.9, status=sent (250 ok)",
       {LineResult::kParsed, DeliveryStatus::kSent, "mx.b.test", "192.0.2.3", "", "a@b.test",
        "2.0.0", "250 ok", 5, "postfix/smtp"}},
      // Only delays=: no total delay. The last ", status=" ends the fields.
      {"postfix/smtp",
       "ABCDE12345: to=<a@b.test>, relay=none, delays=1/2/3/4, dsn=4.4.1, status=x, "
       "status=deferred (connect to x: Connection refused)",
       {LineResult::kParsed, DeliveryStatus::kDeferred, "", "", "", "a@b.test", "4.4.1",
        "connect to x: Connection refused", -1, "postfix/smtp"}},
  });
}

// Every Postfix delivery agent: smtp is outbound; error and retry deferrals
// are outbound mail held back before a connection (issue #12: they were not
// counted); lmtp, local, virtual, pipe and discard deliver into this system.
TEST(PostfixLogTest, EveryDeliveryAgent) {
  CheckPostfix({
      {"postfix/error",
       "B6F01A749FE: to=<user1@bulk1.example.test>, relay=none, delay=0.13, "
       "delays=0.06/0.03/0/0.04, dsn=4.3.2, status=deferred (deferred transport)",
       {LineResult::kParsed, DeliveryStatus::kDeferred, "", "", "", "user1@bulk1.example.test",
        "4.3.2", "deferred transport", 0.13, "postfix/error"}},
      {"postfix-out1/error",
       "4jbYzv0xhDz25p6w: to=<e@down.example.test>, relay=none, delay=310, "
       "delays=300/10/0/0, dsn=4.4.1, status=deferred (delivery temporarily suspended: connect "
       "to 127.0.0.1[127.0.0.1]:2599: Connection refused)",
       {LineResult::kParsed, DeliveryStatus::kDeferred, "", "", "", "e@down.example.test", "4.4.1",
        "delivery temporarily suspended: connect to 127.0.0.1[127.0.0.1]:2599: Connection refused",
        310, "postfix-out1/error"}},
      {"postfix/retry",
       "ABCDE12345: to=<a@b.test>, relay=none, delay=5, delays=5/0/0/0, dsn=4.3.0, "
       "status=deferred (delivery temporarily suspended: host mx.b.test[192.0.2.9] refused to "
       "talk to me: 421 busy)",
       {LineResult::kParsed, DeliveryStatus::kDeferred, "", "", "", "a@b.test", "4.3.0",
        "delivery temporarily suspended: host mx.b.test[192.0.2.9] refused to talk to me: 421 busy",
        5, "postfix/retry"}},
      {"postfix/error",
       "ABCDE12345: to=<u@virt.test>, relay=none, delay=0.1, delays=0.1/0/0/0, dsn=5.0.0, "
       "status=bounced (User unknown in virtual alias table)",
       {LineResult::kIgnored}},
      {"postfix/lmtp",
       "ABCDE12345: to=<u@local.test>, relay=mail.local.test[private/dovecot-lmtp], delay=0.2, "
       "delays=0/0/0/0.2, dsn=2.0.0, status=sent (250 2.0.0 Saved)",
       {LineResult::kIgnored}},
      {"postfix/local",
       "ABCDE12345: to=<root@lab.example.test>, orig_to=<root>, relay=local, delay=0.01, "
       "delays=0/0/0/0, dsn=2.0.0, status=sent (delivered to mailbox)",
       {LineResult::kIgnored}},
      {"postfix/local",
       "ABCDE12345: to=<nobody@lab.example.test>, relay=local, delay=0.01, delays=0/0/0/0, "
       "dsn=5.1.1, status=bounced (unknown user: \"nobody\")",
       {LineResult::kIgnored}},
      {"postfix/virtual",
       "ABCDE12345: to=<u@virt.test>, relay=virtual, delay=0.02, delays=0/0/0/0, dsn=2.0.0, "
       "status=sent (delivered to maildir)",
       {LineResult::kIgnored}},
      {"postfix/pipe",
       "ABCDE12345: to=<u@virt.test>, relay=dovecot, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, "
       "status=sent (delivered via dovecot service)",
       {LineResult::kIgnored}},
      {"postfix/discard",
       "ABCDE12345: to=<u@b.test>, relay=none, delay=0, delays=0/0/0/0, dsn=2.0.0, "
       "status=sent (b.test)",
       {LineResult::kIgnored}},
  });
}

TEST(EximLogTest, RealLines) {
  struct Case {
    const char* line;
    Want want;
  };
  const Case cases[] = {
      {"2026-11-27 13:29:54.217 1xWw1L-0007rn-18 => b@ip2.example.test "
       "F=<sender@exim-lab.example.test> P=<sender@exim-lab.example.test> R=r_ip2 T=t_ip2 S=385 "
       "H=127.0.0.1 [127.0.0.1]:2525 I=[127.0.0.2]:57207 C=\"250 2.0.0 Ok\" QT=6s DT=0.004s",
       {LineResult::kParsed, DeliveryStatus::kSent, "127.0.0.1", "127.0.0.1", "127.0.0.2",
        "b@ip2.example.test", "", "250 2.0.0 Ok", 6}},
      {"2026-11-27 13:30:06.222 1xWw1L-0007rv-1R == d@soft.example.test R=r_soft T=t_soft "
       "defer (-44) H=127.0.0.1 [127.0.0.1]:2527 I=[127.0.0.1]:41452 DT=0.000s: SMTP error from "
       "remote mail server after RCPT TO:<d@soft.example.test>: 452 4.2.2 Mailbox full, try later",
       {LineResult::kParsed, DeliveryStatus::kDeferred, "127.0.0.1", "127.0.0.1", "127.0.0.1",
        "d@soft.example.test", "4.2.2",
        "SMTP error from remote mail server after RCPT TO:<d@soft.example.test>: 452 4.2.2 "
        "Mailbox full, try later"}},
      {"2026-11-27 13:30:06.343 1xWw1L-0007rz-1a == e@down.example.test R=r_down T=t_down "
       "defer (111): Connection refused DT=0.000s",
       {LineResult::kParsed, DeliveryStatus::kDeferred, "", "", "", "e@down.example.test", "",
        "Connection refused"}},
      {"2026-11-27 13:30:06.368 1xWw1L-0007rr-1H ** c@hard.example.test "
       "F=<sender@exim-lab.example.test> P=<sender@exim-lab.example.test> R=r_hard T=t_hard "
       "H=127.0.0.1 [127.0.0.1]:2526 I=[127.0.0.1]:46616: SMTP error from remote mail server "
       "after RCPT TO:<c@hard.example.test>: 550 5.1.1 <user> User unknown DT=0.000s",
       {LineResult::kParsed, DeliveryStatus::kBounced, "127.0.0.1", "127.0.0.1", "127.0.0.1",
        "c@hard.example.test", "5.1.1",
        "SMTP error from remote mail server after RCPT TO:<c@hard.example.test>: 550 5.1.1 "
        "<user> User unknown"}},
      // Default log_selector, 4.97 id, +pid, an MX name.
      {"2026-11-27 13:29:54 [1234] 16VDhn-000000001bo-D342 => x@gmail.com R=dnslookup "
       "T=remote_smtp H=gmail-smtp-in.l.google.com [142.250.1.27] X=TLS1.3 C=\"250 2.0.0 OK\"",
       {LineResult::kParsed, DeliveryStatus::kSent, "gmail-smtp-in.l.google.com", "142.250.1.27",
        "", "x@gmail.com", "", "250 2.0.0 OK"}},
      {"2026-11-27 13:29:54 1xWw1L-0007rn-18 -> c@ip2.example.test R=r T=t H=h [192.0.2.1]",
       {LineResult::kParsed, DeliveryStatus::kSent, "h", "192.0.2.1", "", "c@ip2.example.test"}},
      {"2026-11-27 13:29:47.546 1xWw1L-0007s3-1k <= sender@x U=root P=local S=385",
       {LineResult::kIgnored}},
      {"2026-11-27 13:29:54.218 1xWw1L-0007rn-18 Completed", {LineResult::kIgnored}},
      {"2026-11-27 13:29:54 1xWw1L-0007rn-18 => user <u@local> R=local_user T=mail_spool",
       {LineResult::kIgnored}},
      // Local deliveries, whatever their outcome, are not outbound.
      {"2026-11-27 13:29:54 1xWw1L-0007rn-18 == u@lab.example.test R=local_user T=mail_spool "
       "defer (-22): mailbox is full (MTA-imposed quota exceeded while writing to "
       "/var/mail/u)",
       {LineResult::kIgnored}},
      {"2026-11-27 13:29:54 1xWw1L-0007rn-18 ** |/usr/bin/false <root@lab.example.test> "
       "R=system_aliases T=address_pipe: Child process of address_pipe transport returned 1",
       {LineResult::kIgnored}},
      {"2026-11-27 13:29:54 1xWw1L-0007rn-18 => /var/mail/archive <a@lab> R=system_aliases "
       "T=address_file",
       {LineResult::kIgnored}},
      {"2026-11-27 13:29:54 1xWw1L-0007rn-18 == x@y.test R=dnslookup T=remote_smtp defer (-53): "
       "retry time not reached for any host",
       {LineResult::kParsed, DeliveryStatus::kDeferred, "", "", "", "x@y.test", "",
        "retry time not reached for any host"}},
      {"2026-11-27 13:30:06.337 1xWw1L-0007rz-1a H=127.0.0.1 [127.0.0.1]:2599 Connection refused",
       {LineResult::kIgnored}},
      {"2026-11-27 13:29:54 Start queue run: pid=1", {LineResult::kIgnored}},
      {"2026-11-27 13:29:54x", {LineResult::kMalformed}},
  };
  for (const Case& c : cases) {
    DeliveryEvent e;
    Check(ParseEximLine(c.line, &e), e, c.want, c.line);
  }
}

TEST(SendmailLogTest, RealLines) {
  struct Case {
    const char* message;
    Want want;
  };
  const Case cases[] = {
      {"6ARDc8NJ031561: to=a@ok.example.test, delay=00:00:00, xdelay=00:00:00, mailer=sink, "
       "pri=120080, relay=[127.0.0.1] [127.0.0.1], dsn=2.0.0, stat=Sent (Ok)",
       {LineResult::kParsed, DeliveryStatus::kSent, "127.0.0.1", "127.0.0.1", "",
        "a@ok.example.test", "2.0.0", "", 0}},
      {"6ARDc8vp031569: to=d@soft.example.test, delay=00:00:00, xdelay=00:00:00, mailer=soft, "
       "pri=120082, relay=[127.0.0.1] [127.0.0.1], dsn=4.2.2, reply=452 4.2.2 Mailbox full, try "
       "later, stat=Deferred: 452 4.2.2 Mailbox full, try later",
       {LineResult::kParsed, DeliveryStatus::kDeferred, "127.0.0.1", "127.0.0.1", "",
        "d@soft.example.test", "4.2.2", "452 4.2.2 Mailbox full, try later", 0}},
      {"6ARDc8PT031573: to=e@down.example.test, delay=00:00:00, xdelay=00:00:00, mailer=down, "
       "pri=120082, relay=[127.0.0.1] [127.0.0.1], dsn=4.4.1, stat=Deferred: Connection refused "
       "by [127.0.0.1]",
       {LineResult::kParsed, DeliveryStatus::kDeferred, "127.0.0.1", "127.0.0.1", "",
        "e@down.example.test", "4.4.1", "Connection refused by [127.0.0.1]", 0}},
      {"6ARDc813031565: to=c@hard.example.test, delay=00:00:00, xdelay=00:00:00, mailer=hard, "
       "pri=120082, relay=[127.0.0.1] [127.0.0.1], dsn=5.1.1, reply=550 5.1.1 <user> User "
       "unknown, stat=User unknown",
       {LineResult::kParsed, DeliveryStatus::kBounced, "127.0.0.1", "127.0.0.1", "",
        "c@hard.example.test", "5.1.1", "550 5.1.1 <user> User unknown", 0}},
      {"6ARDc8X1031565: to=<x@yahoo.com>,<y@yahoo.com>, delay=1+02:00:00, xdelay=00:00:01, "
       "mailer=esmtp, pri=1, relay=mta5.am0.yahoodns.net. [67.195.204.72], dsn=2.0.0, stat=Sent "
       "(ok dirdel)",
       {LineResult::kParsed, DeliveryStatus::kSent, "mta5.am0.yahoodns.net", "67.195.204.72", "",
        "<x@yahoo.com>", "2.0.0", "", 93600}},
      {"6ARDc8NJ031561: to=a@ok.example.test, delay=00:00:00, mailer=sink, pri=30080, "
       "stat=queued",
       {LineResult::kIgnored}},
      {"6ARDc8Bt031577: from=sender@ok.example.test, size=120, class=0, nrcpts=3",
       {LineResult::kIgnored}},
      {"6ARDc813031565: 6ARDc8Qo031588: DSN: User unknown", {LineResult::kIgnored}},
      {"6ARDc8NJ031561: to=root, delay=00:00:00, mailer=local, pri=1, dsn=2.0.0, stat=Sent",
       {LineResult::kIgnored}},
      {"6ARDc8NJ031561: to=u, ctladdr=u (1000/1000), delay=00:00:00, xdelay=00:00:00, "
       "mailer=local, pri=30080, dsn=4.0.0, stat=Deferred: local mailer "
       "(/usr/lib/sm.bin/mail.local) "
       "exited with EX_TEMPFAIL",
       {LineResult::kIgnored}},
      {"6ARDc8NJ031561: to=|/usr/bin/procmail, delay=00:00:00, mailer=prog, pri=1, dsn=2.0.0, "
       "stat=Sent",
       {LineResult::kIgnored}},
      {"6ARDc8NJ031561: to=a@b, delay=00:00:00, mailer=esmtp", {LineResult::kMalformed}},
  };
  for (const Case& c : cases) {
    DeliveryEvent e;
    Check(ParseSendmailLine(c.message, &e), e, c.want, c.message);
  }
}

TEST(OpenSmtpdLogTest, RealLines) {
  struct Case {
    const char* message;
    Want want;
  };
  const Case cases[] = {
      {"a662f9d184188bfe mta delivery evpid=8d6c8a451e6c57b6 "
       "from=<sender@smtpd-lab.example.test> to=<b@ip2.example.test> rcpt=<-> source=\"127.0.0.2\" "
       "relay=\"127.0.0.1 (localhost)\" delay=0s result=\"Ok\" stat=\"250 2.0.0 Ok\"",
       {LineResult::kParsed, DeliveryStatus::kSent, "localhost", "127.0.0.1", "127.0.0.2",
        "b@ip2.example.test", "", "", 0}},
      {"a662fa2d45da15b3 mta delivery evpid=04846c34762bc95a "
       "from=<sender@smtpd-lab.example.test> to=<d@soft.example.test> rcpt=<-> "
       "source=\"127.0.0.1\" "
       "relay=\"127.0.0.1 (localhost)\" delay=6m40s result=\"TempFail\" stat=\"452 4.2.2 Mailbox "
       "full, try later\"",
       {LineResult::kParsed, DeliveryStatus::kDeferred, "localhost", "127.0.0.1", "127.0.0.1",
        "d@soft.example.test", "4.2.2", "452 4.2.2 Mailbox full, try later", 400}},
      {"a662f9d9c4178f13 mta delivery evpid=10f4d3e10e8b87f8 "
       "from=<sender@smtpd-lab.example.test> to=<c@hard.example.test> rcpt=<-> "
       "source=\"127.0.0.1\" "
       "relay=\"127.0.0.1 (localhost)\" delay=5s result=\"PermFail\" stat=\"550 5.1.1 <user> User "
       "unknown\"",
       {LineResult::kParsed, DeliveryStatus::kBounced, "localhost", "127.0.0.1", "127.0.0.1",
        "c@hard.example.test", "5.1.1", "550 5.1.1 <user> User unknown", 5}},
      {"0000000000000000 mta delivery evpid=8b8dcb825f04f515 "
       "from=<sender@smtpd-lab.example.test> to=<e@down.example.test> rcpt=<-> source=\"-\" "
       "relay=\"127.0.0.1\" delay=7m1s result=\"TempFail\" stat=\"Network error on destination "
       "MXs\"",
       {LineResult::kParsed, DeliveryStatus::kDeferred, "127.0.0.1", "127.0.0.1", "",
        "e@down.example.test", "", "Network error on destination MXs", 421}},
      {"a662f9e19b0672f3 mta error reason=IO Error: Connection refused", {LineResult::kIgnored}},
      {"a662f9cafff28527 smtp connected address=127.0.0.1 host=localhost", {LineResult::kIgnored}},
      // Local delivery (mbox, maildir, lmtp, mda command): not outbound.
      {"a662f9d184188bfe mda delivery evpid=8d6c8a451e6c57b6 from=<s@x> to=<root@lab> "
       "rcpt=<root@lab> user=root delay=0s result=\"Ok\" stat=\"Delivered\"",
       {LineResult::kIgnored}},
      {"a662f9d184188bfe mda delivery evpid=8d6c8a451e6c57b6 from=<s@x> to=<u@lab> rcpt=<u@lab> "
       "user=u delay=1s result=\"TempFail\" stat=\"Error (mbox full)\"",
       {LineResult::kIgnored}},
      {"a662f9d184188bfe mta delivery evpid=1 result=\"Maybe\"", {LineResult::kMalformed}},
      {"not a session", {LineResult::kIgnored}},
  };
  for (const Case& c : cases) {
    DeliveryEvent e;
    Check(ParseOpenSmtpdLine(c.message, &e), e, c.want, c.message);
  }
}

TEST(QmailLogTest, TracksDeliveryNumbers) {
  QmailLogParser p;
  DeliveryEvent e;
  EXPECT_EQ(p.Parse("status: local 0/10 remote 0/10", &e), LineResult::kIgnored);
  EXPECT_EQ(p.Parse("new msg 10979310", &e), LineResult::kIgnored);
  EXPECT_EQ(p.Parse("starting delivery 1: msg 10979310 to remote a@ok.example.test", &e),
            LineResult::kIgnored);
  EXPECT_EQ(p.Parse("starting delivery 2: msg 10979310 to remote h@hard.example.test", &e),
            LineResult::kIgnored);
  EXPECT_EQ(p.Parse("starting delivery 3: msg 10979310 to local root@lab", &e),
            LineResult::kIgnored);
  EXPECT_EQ(p.pending(), 3u);

  ASSERT_EQ(p.Parse("1795786187.123456 delivery 1: success: "
                    "127.0.0.1_accepted_message./Remote_host_said:_250_2.0.0_Ok/",
                    &e),
            LineResult::kParsed);
  EXPECT_EQ(e.status, DeliveryStatus::kSent);
  EXPECT_EQ(e.recipient, "a@ok.example.test");
  EXPECT_EQ(e.queue_id, "10979310");
  EXPECT_EQ(e.relay_ip, "127.0.0.1");

  ASSERT_EQ(p.Parse("@4000000069287a3b1c3b2a14 delivery 2: failure: "
                    "127.0.0.1_does_not_like_recipient./Remote_host_said:_550_5.1.1_<user>_User_"
                    "unknown/Giving_up_on_127.0.0.1./",
                    &e),
            LineResult::kParsed);
  EXPECT_EQ(e.status, DeliveryStatus::kBounced);
  EXPECT_EQ(e.recipient, "h@hard.example.test");
  EXPECT_EQ(e.dsn, "5.1.1");
  EXPECT_EQ(e.reply,
            "127.0.0.1 does not like recipient. Remote host said: 550 5.1.1 <user> User unknown "
            "Giving up on 127.0.0.1.");

  EXPECT_EQ(p.Parse("delivery 3: success: did_0+0+1/", &e), LineResult::kIgnored);  // local
  EXPECT_EQ(p.pending(), 0u);

  // Started before we were reading: counted when the text shows a remote delivery.
  ASSERT_EQ(p.Parse("delivery 5: deferral: "
                    "Sorry,_I_wasn't_able_to_establish_an_SMTP_connection._(#4.4.1)/",
                    &e),
            LineResult::kParsed);
  EXPECT_EQ(e.status, DeliveryStatus::kDeferred);
  EXPECT_EQ(e.dsn, "4.4.1");
  EXPECT_EQ(p.Parse("delivery 6: success: did_1+0+0/", &e), LineResult::kIgnored);
  EXPECT_EQ(p.Parse("delivery 7: report mangled, will defer", &e), LineResult::kIgnored);
  EXPECT_EQ(p.Parse("delivery x: success: y", &e), LineResult::kMalformed);
  EXPECT_EQ(p.Parse("starting delivery 9: msg 1 to nowhere x", &e), LineResult::kMalformed);
}

}  // namespace
}  // namespace mailrep
