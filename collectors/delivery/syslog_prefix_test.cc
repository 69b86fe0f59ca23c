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
      {"2026-11-27 13:29:54.217 1xWw1L-0007rn-18 => b@x", nullptr, nullptr},
      {"@4000000069287a3b1c3b2a14 delivery 1: success", nullptr, nullptr},
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

}  // namespace
}  // namespace mailrep
