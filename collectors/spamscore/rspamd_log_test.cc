#include "collectors/spamscore/rspamd_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace mailrep {
namespace {

using ::testing::ElementsAre;

SpamLineResult Parse(std::string_view line, SpamVerdict* v, SpamParseError* e) {
  return ParseRspamdTaskLog(line, v, e);
}

// rspamd 3.x under syslog, the default log_format ($symbols_scores_params):
// options hold commas, spaces, parentheses and percent signs.
constexpr char kSyslogHam[] =
    "Dec  7 23:41:02 out1 rspamd[2817]: <6c0e1f>; proxy; rspamd_task_write_log: "
    "id: <20261207234101.4F1C2@mail.example.org>, qid: <4F1C2A0B33>, ip: 192.0.2.25, "
    "user: alice@example.org, from: <alice@example.org>, (default: F (no action): "
    "[-0.64/20.00] [BAYES_HAM(-3.00){99.20%;},R_DKIM_ALLOW(-0.20){example.org:s=mail;},"
    "R_SPF_ALLOW(-0.20){+ip4:192.0.2.0/24;},IP_SCORE(-0.04){ip: (0.22), ipnet: "
    "192.0.2.0/24(0.18), asn: 64500(0.23), country: ZZ(-0.81);},ASN(0.00){asn:64500, "
    "ipnet:192.0.2.0/24, country:ZZ;},MIME_GOOD(-0.10){text/plain;},RCPT_COUNT_ONE(0.00){1;}]), "
    "len: 2348, time: 312.533ms, dns req: 25, digest: <b1035f4fb07162ba88053d9e38df9c93>, "
    "rcpts: <bob@example.net>, mime_rcpts: <bob@example.net>";

// rspamd's own log file (/var/log/rspamd/rspamd.log), normal worker, no qid.
constexpr char kFileSpam[] =
    "2026-12-07 23:41:09 #4493(normal) <94f35d>; task; rspamd_task_write_log: "
    "id: <a18aec2f@mta1.example.org>, ip: 2001:db8::25, from: <news@example.org>, "
    "(default: T (add header): [7.10/15.00] [URIBL_BLACK(7.50){bad.example;},"
    "DBL_SPAM(6.50){bad.example:url;},FORGED_SENDER(0.30){},ARC_NA(0.00){}]), len: 5120, "
    "time: 80.1ms, dns req: 12, digest: <0123456789abcdef0123456789abcdef>, rcpts: <x@y.example>";

TEST(RspamdLogTest, SyslogLineWithDefaultFormat) {
  SpamVerdict v;
  SpamParseError e;
  ASSERT_EQ(Parse(kSyslogHam, &v, &e), SpamLineResult::kParsed);
  EXPECT_EQ(v.filter, SpamFilter::kRspamd);
  EXPECT_DOUBLE_EQ(v.score, -0.64);
  EXPECT_DOUBLE_EQ(v.threshold, 20);
  EXPECT_EQ(v.action, SpamAction::kNoAction);
  EXPECT_EQ(v.queue_id, "4F1C2A0B33");
  EXPECT_EQ(v.message_id, "20261207234101.4F1C2@mail.example.org");
  EXPECT_EQ(v.user, "alice@example.org");
  EXPECT_THAT(v.symbols, ElementsAre("BAYES_HAM", "R_DKIM_ALLOW", "R_SPF_ALLOW", "IP_SCORE", "ASN",
                                     "MIME_GOOD", "RCPT_COUNT_ONE"));
}

TEST(RspamdLogTest, OwnLogFileSpamWithoutQueueId) {
  SpamVerdict v;
  SpamParseError e;
  ASSERT_EQ(Parse(kFileSpam, &v, &e), SpamLineResult::kParsed);
  EXPECT_DOUBLE_EQ(v.score, 7.1);
  EXPECT_DOUBLE_EQ(v.threshold, 15);
  EXPECT_EQ(v.action, SpamAction::kAddHeader);
  EXPECT_EQ(v.queue_id, "");
  EXPECT_EQ(v.user, "");
  EXPECT_EQ(v.message_id, "a18aec2f@mta1.example.org");
  EXPECT_THAT(v.symbols, ElementsAre("URIBL_BLACK", "DBL_SPAM", "FORGED_SENDER", "ARC_NA"));
}

TEST(RspamdLogTest, OtherSymbolFormatsAndActions) {
  SpamVerdict v;
  SpamParseError e;
  // $symbols_scores
  ASSERT_EQ(Parse("<a1>; task; rspamd_task_write_log: id: <m@x>, qid: <Q1>, (default: T "
                  "(reject): [16.20/15.00] [RBL_SPAMHAUS_XBL(4.00),MIME_GOOD(-0.10)]), len: 1",
                  &v, &e),
            SpamLineResult::kParsed);
  EXPECT_EQ(v.action, SpamAction::kReject);
  EXPECT_THAT(v.symbols, ElementsAre("RBL_SPAMHAUS_XBL", "MIME_GOOD"));
  // $symbols, and a custom action
  ASSERT_EQ(Parse("rspamd_task_write_log: id: <m@x>, (default: T (quarantine): [9.00/15.00] "
                  "[A,B_2, C3])",
                  &v, &e),
            SpamLineResult::kParsed);
  EXPECT_EQ(v.action, SpamAction::kOther);
  EXPECT_THAT(v.symbols, ElementsAre("A", "B_2", "C3"));
  // no symbol list in the log_format at all
  ASSERT_EQ(Parse("rspamd_task_write_log: (default: F (greylist): [5.50/15.00]), len: 3", &v, &e),
            SpamLineResult::kParsed);
  EXPECT_EQ(v.action, SpamAction::kGreylist);
  EXPECT_TRUE(v.symbols.empty());
  for (auto [text, action] : {std::pair{"soft reject", SpamAction::kSoftReject},
                              std::pair{"rewrite subject", SpamAction::kRewriteSubject}}) {
    std::string line =
        std::string("rspamd_task_write_log: (default: T (") + text + "): [8.00/15.00] [])";
    ASSERT_EQ(Parse(line, &v, &e), SpamLineResult::kParsed) << line;
    EXPECT_EQ(v.action, action);
  }
}

TEST(RspamdLogTest, SkippedTaskAndUndefinedMessageId) {
  SpamVerdict v;
  SpamParseError e;
  ASSERT_EQ(Parse("rspamd_task_write_log: id: <undef>, qid: <AB12>, ip: 127.0.0.1, (default: S "
                  "(no action): [0.00/15.00] []), len: 80",
                  &v, &e),
            SpamLineResult::kParsed);
  EXPECT_EQ(v.action, SpamAction::kSkipped);
  EXPECT_EQ(v.message_id, "");
  EXPECT_EQ(v.queue_id, "AB12");
}

TEST(RspamdLogTest, OtherRspamdLinesAreIgnored) {
  SpamVerdict v;
  SpamParseError e;
  EXPECT_EQ(Parse("May 15 02:05:02 mail rspamd[27538]: <8ae27d>; proxy; rspamd_message_parse: "
                  "loaded message; id: <x@y>; queue-id: <A785B308622AB>; size: 2348",
                  &v, &e),
            SpamLineResult::kIgnored);
  EXPECT_EQ(Parse("", &v, &e), SpamLineResult::kIgnored);
  EXPECT_FALSE(IsRspamdTaskLine("rspamd_task_write_log"));
}

TEST(RspamdLogTest, MalformedLinesSayWhy) {
  struct Case {
    const char* line;
    SpamParseError error;
  } cases[] = {
      {"rspamd_task_write_log: id: <m@x>, len: 1", SpamParseError::kNoVerdict},
      {"rspamd_task_write_log: (default: X (no action): [1.00/15.00] [])",
       SpamParseError::kBadAction},
      {"rspamd_task_write_log: (default: F (no action", SpamParseError::kBadAction},
      {"rspamd_task_write_log: (default: F (no action): [nan/15.00] [])",
       SpamParseError::kBadScore},
      {"rspamd_task_write_log: (default: F (no action): [1e999/15.00] [])",
       SpamParseError::kBadScore},
      {"rspamd_task_write_log: (default: F (no action): [1.00] [])", SpamParseError::kBadScore},
      {"rspamd_task_write_log: (default: F (no action): [1.00/15.00", SpamParseError::kBadScore},
      {"rspamd_task_write_log: (default: F (no action): [1.00/15.00] [A(1.0){x;}",
       SpamParseError::kBadSymbols},
      {"rspamd_task_write_log: (default: F (no action): [1.00/15.00] [A{{{}}",
       SpamParseError::kBadSymbols},
      {"rspamd_task_write_log: (default: F (no action): [1.00/15.00] [BAD-NAME])",
       SpamParseError::kBadSymbols},
      {"rspamd_task_write_log: (default: F (no action): [1.00/15.00] [A,,B])",
       SpamParseError::kBadSymbols},
  };
  for (const Case& c : cases) {
    SpamVerdict v;
    SpamParseError e;
    EXPECT_EQ(Parse(c.line, &v, &e), SpamLineResult::kMalformed) << c.line;
    EXPECT_EQ(e, c.error) << c.line;
    EXPECT_TRUE(v.symbols.empty());
  }
}

TEST(RspamdLogTest, EveryPrefixAndHostileBytesAreSafe) {
  std::string line = kSyslogHam;
  for (size_t n = 0; n <= line.size(); ++n) {
    std::string cut = line.substr(0, n);  // its own buffer: ASan sees reads past it
    SpamVerdict v;
    SpamParseError e;
    SpamLineResult r = Parse(cut, &v, &e);
    if (r == SpamLineResult::kParsed) {
      for (std::string_view s : v.symbols) {
        EXPECT_GE(s.data(), cut.data());
        EXPECT_LE(s.data() + s.size(), cut.data() + cut.size());
      }
    }
  }
  std::string many = "rspamd_task_write_log: (default: F (no action): [1.00/15.00] [";
  for (int i = 0; i < 2000; ++i) many += "S,";
  many += "S])";
  SpamVerdict v;
  SpamParseError e;
  ASSERT_EQ(Parse(many, &v, &e), SpamLineResult::kParsed);
  EXPECT_EQ(v.symbols.size(), kMaxSymbols);
  std::string nul("rspamd_task_write_log: (default: F (no action): [1.0\0/15.00] [])", 64);
  EXPECT_EQ(Parse(nul, &v, &e), SpamLineResult::kMalformed);
}

TEST(RspamdLogTest, ScoreText) {
  EXPECT_EQ(ParseSpamScore("-0.64"), -0.64);
  EXPECT_EQ(ParseSpamScore("+3"), 3);
  EXPECT_EQ(ParseSpamScore("15.00"), 15);
  EXPECT_FALSE(ParseSpamScore(""));
  EXPECT_FALSE(ParseSpamScore("-"));
  EXPECT_FALSE(ParseSpamScore("1e3"));
  EXPECT_FALSE(ParseSpamScore("inf"));
  EXPECT_FALSE(ParseSpamScore("1.0.0"));
  EXPECT_FALSE(ParseSpamScore("2000000"));
}

}  // namespace
}  // namespace mailrep
