#include "collectors/delivery/syslog_prefix.h"

#include <gtest/gtest.h>

namespace mailrep {
namespace {

struct Case {
  const char* line;
  const char* tag;  // nullptr: no header
  const char* message;
};

TEST(SyslogPrefixTest, Formats) {
  const Case cases[] = {
      {"Nov 27 13:39:52 lab postfix/smtp[32351]: 0C9DAA7836C: to=<a@x>", "postfix/smtp",
       "0C9DAA7836C: to=<a@x>"},
      {"Nov  7 03:09:02 lab postfix-out1/smtp[1]: X", "postfix-out1/smtp", "X"},
      {"2026-11-27T13:39:52.123456+00:00 lab postfix/qmgr[9]: A: removed", "postfix/qmgr",
       "A: removed"},
      {"2026-11-27T13:39:52Z lab sm-mta[31588]: 6ARDc8: to=a", "sm-mta", "6ARDc8: to=a"},
      {"<22>sendmail[31577]: 6ARDc8Bt031577: from=x", "sendmail", "6ARDc8Bt031577: from=x"},
      {"<22>Nov 27 13:39:52 lab smtpd[5]: a662 mta", "smtpd", "a662 mta"},
      {"<22>1 2026-11-27T13:39:52.1Z lab postfix/smtp 42 - - ID: to=<a>", "postfix/smtp",
       "ID: to=<a>"},
      {"<22>1 2026-11-27T13:39:52Z lab exim 42 - [x@1 a=\"]\"] text", "exim", "text"},
      {"Nov 27 13:39:52 lab qmail: 1795786187.1 delivery 1: success: ok", "qmail",
       "1795786187.1 delivery 1: success: ok"},
      {"Nov 27 13:39:52 postfix/smtp[1]: no host field", "postfix/smtp", "no host field"},
      // No HOSTNAME: the tag is told from the queue id by its shape, not position.
      {"<22>Nov 27 13:38:08 sendmail[31561]: 6ARDc8NJ031561: to=<a@x>, stat=Sent", "sendmail",
       "6ARDc8NJ031561: to=<a@x>, stat=Sent"},
      {"Nov 27 13:39:52 postfix/smtp[1]: 0C9DAA7836C: to=<a@x>", "postfix/smtp",
       "0C9DAA7836C: to=<a@x>"},
      // A line with neither HOSTNAME nor tag: its first "word:" is all there is.
      {"Nov 27 13:18:56 B6F01A749FE: to=<u@x>", "B6F01A749FE", "to=<u@x>"},
      {"Nov 27 13:39:52 lab qmail: 1795786187.1 delivery 1", "qmail", "1795786187.1 delivery 1"},
      {"Nov 27 13:39:52 qmail: 1795786187.1 delivery 1", "qmail", "1795786187.1 delivery 1"},
      // journalctl -o short-precise / short-iso / short-iso-precise / short-full / short-unix.
      {"Nov 27 13:29:52.123456 lab postfix/smtp[32351]: A: x", "postfix/smtp", "A: x"},
      {"2026-11-27T13:29:52+0000 lab postfix/smtp[32351]: A: x", "postfix/smtp", "A: x"},
      {"2026-11-27T13:29:52.123456+0000 lab sm-mta[1]: A: x", "sm-mta", "A: x"},
      {"Fri 2026-11-27 13:29:52 UTC lab postfix/smtp[32351]: A: x", "postfix/smtp", "A: x"},
      {"1795786192.123456 lab postfix/smtp[32351]: A: x", "postfix/smtp", "A: x"},
      {"1795786192 sendmail[2]: A: x", "sendmail", "A: x"},
      // Extra stamps in front: a relay's, `ts`, multilog's TAI64N (before a <PRI>).
      {"2026-12-07T13:29:04.717196+0000 <13>Dec  7 13:29:02 vm sendmail[31588]: A: x", "sendmail",
       "A: x"},
      {"2026-12-07T13:29:04+00:00 Nov 27 13:38:08 sendmail[31561]: A: x", "sendmail", "A: x"},
      {"@400000006b16b49e2ae934e4 <13>Dec  7 13:28:51 postfix/smtp[32351]: A: x", "postfix/smtp",
       "A: x"},
      {"@400000006b16b49e2ae934e4 postfix/smtp[32351]: A: x", "postfix/smtp", "A: x"},
      {"2026-11-27_13:39:52.12345 postfix/smtp[1]: A: x", "postfix/smtp", "A: x"},
      // A relay's own stamp and host before the whole original line.
      {"2026-11-27T13:39:53+00:00 relay1 Nov 27 13:39:52 lab postfix/smtp[1]: A: x", "postfix/smtp",
       "A: x"},
      {"2026-11-27T13:39:53+00:00 relay1 <22>Nov 27 13:39:52 sendmail[1]: A: x", "sendmail",
       "A: x"},
      // Container stdout: a tag with [pid] and nothing before it.
      {"postfix/smtp[32351]: A: x", "postfix/smtp", "A: x"},
      {"status: local 0/10 remote 0/10", nullptr, nullptr},
      {"delivery 1: success: ok", nullptr, nullptr},
      {"@4000000069287a3b1c3b2a14 delivery 1: success", nullptr, nullptr},
      {"1795786187.123 delivery 1: success", nullptr, nullptr},
      {"a662f9d184188bfe mta delivery evpid=1", nullptr, nullptr},
      {"2026-11-27T13:39:52Z a662f9d184188bfe mta delivery evpid=1", nullptr, nullptr},
      // RFC 5424 from logger(1), and written to a file without its <PRI>.
      {"<13>1 2026-12-07T13:28:51.930969+00:00 vm postfix/smtp 32351 - [timeQuality "
       "tzKnown=\"1\" isSynced=\"0\"] A: x",
       "postfix/smtp", "A: x"},
      {"1 2026-12-07T13:28:51Z vm sendmail 1 - - A: x", "sendmail", "A: x"},
      {"2026-11-27 13:29:54.217 1xWw1L-0007rn-18 => b@x", nullptr, nullptr},
      {"garbage", nullptr, nullptr},
      {"", nullptr, nullptr},
      {"<999999>x: y", nullptr, nullptr},
      {"Nov 27 13:39:52 lab", nullptr, nullptr},
  };
  for (const Case& c : cases) {
    std::optional<SyslogLine> got = ParseSyslogPrefix(c.line);
    if (c.tag == nullptr) {
      EXPECT_FALSE(got.has_value()) << c.line;
      continue;
    }
    ASSERT_TRUE(got.has_value()) << c.line;
    EXPECT_EQ(got->tag, c.tag) << c.line;
    EXPECT_EQ(got->message, c.message) << c.line;
  }
}

TEST(SyslogPrefixTest, SkipLogStamps) {
  EXPECT_EQ(SkipLogStamps("@4000000069287a3b1c3b2a14 delivery 1: x"), "delivery 1: x");
  EXPECT_EQ(SkipLogStamps("1795786187.123456 delivery 1: x"), "delivery 1: x");
  EXPECT_EQ(SkipLogStamps("2026-11-27T13:39:52Z a662f9d184188bfe mta"), "a662f9d184188bfe mta");
  EXPECT_EQ(SkipLogStamps("a662f9d184188bfe mta"), "a662f9d184188bfe mta");
  EXPECT_EQ(SkipLogStamps("<13>"), "");
  EXPECT_EQ(SkipLogStamps(""), "");
}

}  // namespace
}  // namespace mailrep
