#include "collectors/delivery/line_parser.h"

#include <gtest/gtest.h>

#include <string>

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

}  // namespace
}  // namespace mailrep
