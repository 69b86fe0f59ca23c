#include "collectors/spamscore/spamd_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace mailrep {
namespace {

using ::testing::ElementsAre;

SpamLineResult Parse(std::string_view line, SpamVerdict* v, SpamParseError* e) {
  return ParseSpamdResultLog(line, v, e);
}

// spamd 3.4/4.0 under syslog (Debian's spamd.service logs to facility mail).
constexpr char kSyslogSpam[] =
    "Dec  7 23:50:12 out1 spamd[8772]: spamd: result: Y 12 - DKIM_SIGNED,DKIM_VALID,"
    "RCVD_IN_SBL,URIBL_BLACK,URIBL_DBL_SPAM scantime=0.4,size=3138,user=debian-spamd,uid=114,"
    "required_score=5.0,rhost=::1,raddr=::1,rport=34624,mid=<5afa242e.aa@mail.example.org>,"
    "bayes=0.998,autolearn=no autolearn_force=no";

TEST(SpamdLogTest, SyslogSpamLine) {
  SpamVerdict v;
  SpamParseError e;
  ASSERT_EQ(Parse(kSyslogSpam, &v, &e), SpamLineResult::kParsed);
  EXPECT_EQ(v.filter, SpamFilter::kSpamAssassin);
  EXPECT_EQ(v.action, SpamAction::kSpam);
  EXPECT_DOUBLE_EQ(v.score, 12);
  EXPECT_DOUBLE_EQ(v.threshold, 5);
  EXPECT_EQ(v.user, "debian-spamd");
  EXPECT_EQ(v.message_id, "5afa242e.aa@mail.example.org");
  EXPECT_EQ(v.queue_id, "");
  EXPECT_THAT(v.symbols, ElementsAre("DKIM_SIGNED", "DKIM_VALID", "RCVD_IN_SBL", "URIBL_BLACK",
                                     "URIBL_DBL_SPAM"));
}

TEST(SpamdLogTest, HamShortcircuitAndOwnLogFile) {
  SpamVerdict v;
  SpamParseError e;
  ASSERT_EQ(Parse("Dec  7 23:51:00 out1 spamd[1800]: spamd: result: . -20 - SHORTCIRCUIT,"
                  "USER_IN_WELCOMELIST scantime=0.0,size=982,user=spamd,uid=1003,"
                  "required_score=5.0,rhost=localhost,raddr=127.0.0.1,rport=41857,"
                  "mid=<56515923.8060206@example.org>,autolearn=disabled,shortcircuit=ham",
                  &v, &e),
            SpamLineResult::kParsed);
  EXPECT_EQ(v.action, SpamAction::kNotSpam);
  EXPECT_DOUBLE_EQ(v.score, -20);
  EXPECT_THAT(v.symbols, ElementsAre("SHORTCIRCUIT", "USER_IN_WELCOMELIST"));
  // spamd --syslog=/var/log/spamd.log, a padded score, no symbols, no Message-ID
  ASSERT_EQ(Parse("Mon Dec  7 23:52:01 2026 [9675] info: spamd: result: .  0 -  scantime=0.1,"
                  "size=300,user=mailer,uid=1000,required_score=6.5,rhost=localhost,"
                  "raddr=127.0.0.1,rport=50000,mid=(unknown),autolearn=no",
                  &v, &e),
            SpamLineResult::kParsed);
  EXPECT_DOUBLE_EQ(v.score, 0);
  EXPECT_DOUBLE_EQ(v.threshold, 6.5);
  EXPECT_TRUE(v.symbols.empty());
  EXPECT_EQ(v.message_id, "");
  EXPECT_EQ(v.user, "mailer");
}

TEST(SpamdLogTest, CompanionLinesAreIgnored) {
  SpamVerdict v;
  SpamParseError e;
  EXPECT_EQ(Parse("spamd[23286]: spamd: identified spam (999.8/3.0) for vmail:5000 in 2.4 "
                  "seconds, 3235 bytes.",
                  &v, &e),
            SpamLineResult::kIgnored);
  EXPECT_EQ(Parse("spamd[23286]: spamd: clean message (-0.2/5.0) for debian-spamd:130 in 0.3 "
                  "seconds, 1234 bytes.",
                  &v, &e),
            SpamLineResult::kIgnored);
  EXPECT_EQ(Parse("spamd[1]: spamd: processing message <x@y> for spamd:1002", &v, &e),
            SpamLineResult::kIgnored);
}

TEST(SpamdLogTest, MalformedLinesSayWhy) {
  struct Case {
    const char* line;
    SpamParseError error;
  } cases[] = {
      {"spamd: result: N 5 - A required_score=5.0", SpamParseError::kBadAction},
      {"spamd: result: ", SpamParseError::kBadAction},
      {"spamd: result: Y five - A required_score=5.0", SpamParseError::kBadScore},
      {"spamd: result: Y 5 A required_score=5.0", SpamParseError::kNoVerdict},
      {"spamd: result: Y 5 - A scantime=0.1,size=3", SpamParseError::kBadScore},
      {"spamd: result: Y 5 - A required_score=lots", SpamParseError::kBadScore},
      {"spamd: result: Y 5 - A,,B required_score=5.0", SpamParseError::kBadSymbols},
      {"spamd: result: Y 5 - A,B, required_score=5.0", SpamParseError::kBadSymbols},
      {"spamd: result: Y 5 - A;B required_score=5.0", SpamParseError::kBadSymbols},
  };
  for (const Case& c : cases) {
    SpamVerdict v;
    SpamParseError e;
    EXPECT_EQ(Parse(c.line, &v, &e), SpamLineResult::kMalformed) << c.line;
    EXPECT_EQ(e, c.error) << c.line;
  }
}

TEST(SpamdLogTest, HostileFieldsStayInside) {
  SpamVerdict v;
  SpamParseError e;
  // A forged key inside mid= does not override the real fields; an
  // unterminated mid is empty.
  ASSERT_EQ(
      Parse("spamd: result: Y 9 - A required_score=5.0,user=u,mid=<x,required_score=99", &v, &e),
      SpamLineResult::kParsed);
  EXPECT_DOUBLE_EQ(v.threshold, 5);
  EXPECT_EQ(v.message_id, "");
  std::string line = kSyslogSpam;
  for (size_t n = 0; n <= line.size(); ++n) {
    std::string cut = line.substr(0, n);
    (void)Parse(cut, &v, &e);
  }
}

}  // namespace
}  // namespace mailrep
