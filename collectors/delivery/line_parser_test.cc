#include "collectors/delivery/line_parser.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "collectors/delivery/syslog_prefix.h"

namespace mailrep {
namespace {

TEST(LineParserTest, AutoPicksTheMtaPerLine) {
  struct Case {
    std::string line;
    LineResult result;
    const char* mta;
  } cases[] = {
      {"Nov 27 13:39:52 lab postfix/smtp[32351]: 0C9DAA7836C: to=<a@ok.example.test>, "
       "relay=127.0.0.1[127.0.0.1]:2525, delay=0.16, delays=0.06/0.08/0.01/0, dsn=2.0.0, "
       "status=sent (250 2.0.0 Ok)",
       LineResult::kParsed, "postfix"},
      {"2026-11-27T13:39:52.123456+00:00 lab postfix-out1/smtp[1]: 4jbYzv0xhDz25p6w: to=<a@b>, "
       "relay=none, delay=0, delays=0/0/0/0, dsn=4.4.1, status=deferred (connect to x: Connection "
       "refused)",
       LineResult::kParsed, "postfix"},
      {"Nov 27 13:38:08 lab sm-mta[31588]: 6ARDc8NJ031561: to=a@ok.example.test, "
       "delay=00:00:00, xdelay=00:00:00, mailer=esmtp, pri=120080, relay=[127.0.0.1] "
       "[127.0.0.1], dsn=2.0.0, stat=Sent (Ok)",
       LineResult::kParsed, "sendmail"},
      {"Nov 27 13:38:08 lab smtpd[5]: a662f9d184188bfe mta delivery evpid=8d6c8a451e6c57b6 "
       "from=<s@x> to=<b@y> rcpt=<-> source=\"127.0.0.2\" relay=\"127.0.0.1 (localhost)\" "
       "delay=0s result=\"Ok\" stat=\"250 2.0.0 Ok\"",
       LineResult::kParsed, "opensmtpd"},
      {"2026-11-27 13:29:54.217 1xWw1L-0007rn-18 => b@x R=r T=t H=h [127.0.0.1]:2525",
       LineResult::kParsed, "exim"},
      {"Nov 27 13:38:08 lab exim[9]: 1xWw1L-0007rn-18 ** b@x R=r T=t: Unrouteable address",
       LineResult::kParsed, "exim"},
      {"Nov 27 13:38:08 lab qmail: 1795786187.1 delivery 5: deferral: "
       "Sorry,_I_wasn't_able_to_establish_an_SMTP_connection._(#4.4.1)/",
       LineResult::kParsed, "qmail"},
      {"@4000000069287a3b1c3b2a14 delivery 9: success: 192.0.2.1_accepted_message./",
       LineResult::kParsed, "qmail"},
      {"Nov 27 13:39:52 lab dovecot[1]: imap-login: Login: user=<x>", LineResult::kIgnored, ""},
      {"Nov 27 13:39:52 lab postfix/submission/smtpd[1]: connect from x[192.0.2.1]",
       LineResult::kIgnored, ""},
      {"", LineResult::kIgnored, ""},
      {"random text", LineResult::kMalformed, ""},
      {std::string("Nov 27 13:39:52 lab postfix/smtp[1]: \x01\x02\xff binary", 44),
       LineResult::kMalformed, ""},
      {std::string(LineParser::kMaxLineBytes + 1, 'a'), LineResult::kMalformed, ""},
      {"Nov 27 13:39:52 lab postfix/smtp[1]: ABCDEF: to=<a@b>, relay=x, delay=1",
       LineResult::kMalformed, ""},
  };
  for (const auto& c : cases) {
    LineParser parser;
    DeliveryEvent e;
    ASSERT_EQ(parser.Parse(c.line, &e), c.result) << c.line.substr(0, 120);
    if (c.result == LineResult::kParsed) {
      EXPECT_EQ(e.mta, c.mta) << c.line;
    }
  }
}

TEST(LineParserTest, FixedMta) {
  LineParser exim(MtaKind::kExim);
  DeliveryEvent e;
  EXPECT_EQ(exim.Parse("1xWw1L-0007rn-18 => b@x R=r T=t H=h [127.0.0.1]", &e), LineResult::kParsed);
  LineParser postfix(MtaKind::kPostfix);
  EXPECT_EQ(postfix.Parse("2026-11-27 13:29:54 1xWw1L-0007rn-18 => b@x H=h [1.2.3.4]", &e),
            LineResult::kMalformed);
  MtaKind kind;
  EXPECT_TRUE(ParseMtaKind("opensmtpd", &kind));
  EXPECT_EQ(kind, MtaKind::kOpenSmtpd);
  EXPECT_FALSE(ParseMtaKind("exchange", &kind));
}

std::vector<std::string> SampleLines(const std::string& name) {
  const char* src = std::getenv("MAILREP_SOURCE_DIR");
  std::string dir =
      std::string(src == nullptr ? "." : src) + "/collectors/delivery/testdata/log_shapes/";
  std::ifstream in(dir + name);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Every shape in testdata/log_shapes (written by logger(1), journalctl over a
// systemd-journal-remote file, tai64n and ts; see its README.md) carries the
// same eight messages: each MTA's line is read as that MTA's, auto-detected.
TEST(LineParserTest, RealSamplesOfEveryShape) {
  const char* tags[] = {"postfix/smtp", "postfix/error", "postfix/qmgr", "sendmail",
                        "smtpd",        "exim",          "qmail",        "dovecot"};
  const MtaKind mtas[] = {MtaKind::kPostfix,  MtaKind::kPostfix,   MtaKind::kPostfix,
                          MtaKind::kSendmail, MtaKind::kOpenSmtpd, MtaKind::kExim,
                          MtaKind::kQmail,    MtaKind::kAuto};
  const LineResult results[] = {LineResult::kParsed, LineResult::kParsed, LineResult::kIgnored,
                                LineResult::kParsed, LineResult::kParsed, LineResult::kParsed,
                                LineResult::kParsed, LineResult::kIgnored};
  for (const char* file :
       {"logger_devlog.log", "logger_rfc3164.log", "logger_rfc5424.log", "journalctl_short.log",
        "journalctl_short_iso.log", "journalctl_short_precise.log",
        "journalctl_short_iso_precise.log", "journalctl_short_full.log",
        "journalctl_short_unix.log", "tai64n_devlog.log", "ts_rfc3164.log"}) {
    std::vector<std::string> lines = SampleLines(file);
    ASSERT_EQ(lines.size(), 8u) << file;
    LineParser parser;
    for (size_t i = 0; i < lines.size(); ++i) {
      std::optional<SyslogLine> sys = ParseSyslogPrefix(lines[i]);
      ASSERT_TRUE(sys.has_value()) << file << ": " << lines[i];
      EXPECT_EQ(sys->tag, tags[i]) << file << ": " << lines[i];
      DeliveryEvent e;
      EXPECT_EQ(parser.Parse(lines[i], &e), results[i]) << file << ": " << lines[i];
      EXPECT_EQ(parser.last_mta(), mtas[i]) << file << ": " << lines[i];
    }
  }
}

// Every line of sample `file` (of `size` lines) is `mta`'s under --mta auto,
// and `outcomes` of them are delivery outcomes.
void ExpectWholeSampleIs(const std::string& file, size_t size, MtaKind mta, int outcomes) {
  std::vector<std::string> lines = SampleLines(file);
  ASSERT_EQ(lines.size(), size) << file;
  LineParser parser;
  int parsed = 0;
  for (const std::string& line : lines) {
    DeliveryEvent e;
    if (parser.Parse(line, &e) == LineResult::kParsed) ++parsed;
    EXPECT_EQ(parser.last_mta(), mta) << file << ": " << line;
  }
  EXPECT_EQ(parsed, outcomes) << file;
}

// qmail-send's own lines under multilog; OpenSMTPD 6.8's foreground log
// (`smtpd -d` of tests/queue/opensmtpd_lab.sh).
TEST(LineParserTest, RealUntaggedLogs) {
  ExpectWholeSampleIs("tai64n_qmail_send.log", 11, MtaKind::kQmail, 4);
  ExpectWholeSampleIs("opensmtpd_foreground.log", 46, MtaKind::kOpenSmtpd, 6);
}

// Lines with no syslog tag are told apart by content under --mta auto.
TEST(LineParserTest, AutoDetectsUntaggedLogs) {
  struct Case {
    const char* line;
    LineResult result;
    MtaKind mta;
  } cases[] = {
      {"1795786187.123456 starting delivery 1: msg 10979310 to remote a@ok.example.test",
       LineResult::kIgnored, MtaKind::kQmail},
      {"1795786187.223456 delivery 1: success: 127.0.0.1_accepted_message./Remote_host_said:_250/",
       LineResult::kParsed, MtaKind::kQmail},
      {"1795786187.323456 status: local 0/10 remote 0/10", LineResult::kIgnored, MtaKind::kQmail},
      {"status: local 0/10 remote 0/10", LineResult::kIgnored, MtaKind::kQmail},
      {"a662f9d184188bfe mta delivery evpid=8d6c8a451e6c57b6 from=<s@x> to=<b@y> rcpt=<-> "
       "source=\"127.0.0.2\" relay=\"127.0.0.1 (localhost)\" delay=0s result=\"Ok\" "
       "stat=\"250 2.0.0 Ok\"",
       LineResult::kParsed, MtaKind::kOpenSmtpd},
      {"a662f9cafff28527 smtp connected address=127.0.0.1 host=localhost", LineResult::kIgnored,
       MtaKind::kOpenSmtpd},
      {"info: OpenSMTPD 6.8.0p2 starting", LineResult::kIgnored, MtaKind::kOpenSmtpd},
      {"2026-11-27T13:39:52.1Z a662f9d184188bfe mta delivery evpid=1 to=<b@y> relay=\"127.0.0.1\" "
       "result=\"TempFail\" stat=\"421 busy\"",
       LineResult::kParsed, MtaKind::kOpenSmtpd},
      {"-- Boot 0123456789abcdef0123456789abcdef --", LineResult::kIgnored, MtaKind::kAuto},
      {"-- No entries --", LineResult::kIgnored, MtaKind::kAuto},
      {"Nov 27 13:39:52 lab CRON[5]: (root) CMD (true)", LineResult::kIgnored, MtaKind::kAuto},
      {"random text", LineResult::kMalformed, MtaKind::kAuto},
  };
  for (const Case& c : cases) {
    LineParser parser;
    DeliveryEvent e;
    EXPECT_EQ(parser.Parse(c.line, &e), c.result) << c.line;
    EXPECT_EQ(parser.last_mta(), c.mta) << c.line;
  }
}

TEST(LineParserTest, FixedMtaRecognisesOnlyItsLines) {
  LineParser postfix(MtaKind::kPostfix);
  DeliveryEvent e;
  postfix.Parse("Nov 27 13:39:52 lab postfix/qmgr[1]: A1B2C3: removed", &e);
  EXPECT_EQ(postfix.last_mta(), MtaKind::kPostfix);
  postfix.Parse("Nov 27 13:39:52 lab sm-mta[1]: A1B2C3: from=x", &e);
  EXPECT_EQ(postfix.last_mta(), MtaKind::kAuto);
  LineParser qmail(MtaKind::kQmail);
  qmail.Parse("@4000000069287a3b1c3b2a14 status: local 0/10 remote 0/10", &e);
  EXPECT_EQ(qmail.last_mta(), MtaKind::kQmail);
  EXPECT_EQ(MtaKindName(MtaKind::kOpenSmtpd), "opensmtpd");
}

}  // namespace
}  // namespace mailrep
