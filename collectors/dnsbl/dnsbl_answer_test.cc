#include "collectors/dnsbl/dnsbl_answer.h"

#include <gtest/gtest.h>

#include <ostream>

#include "collectors/dnsbl/dnsbl_test_util.h"

namespace mailrep {
namespace {

using testing::AAnswer;
using testing::OutcomeAnswer;

const DnsblList& List(const char* zone) {
  const DnsblList* list = DnsblCatalogue::BuiltIn().Find(zone);
  EXPECT_NE(list, nullptr) << zone;
  static DnsblList empty;
  return list ? *list : empty;
}

struct Case {
  const char* zone;
  std::vector<std::string> a;  // empty: use `outcome`
  DnsOutcome outcome;
  DnsblVerdict verdict;
  DnsblError error;
  std::vector<std::string> codes;  // expected decoded codes, in order
};

void PrintTo(const Case& c, std::ostream* os) {
  *os << c.zone << " " << (c.a.empty() ? DnsOutcomeName(c.outcome) : "");
  for (const std::string& a : c.a) *os << a << " ";
}

class DecodeTest : public ::testing::TestWithParam<Case> {};

TEST_P(DecodeTest, Decodes) {
  const Case& c = GetParam();
  DnsAnswer answer = c.a.empty() ? OutcomeAnswer(c.outcome) : AAnswer(c.a);
  DnsblResult r = DecodeDnsblAnswer(List(c.zone), answer);
  EXPECT_EQ(DnsblVerdictName(r.verdict), std::string(DnsblVerdictName(c.verdict)))
      << r.error_detail;
  EXPECT_EQ(DnsblErrorName(r.error), std::string(DnsblErrorName(c.error))) << r.error_detail;
  std::vector<std::string> codes;
  for (const DnsblMatch& m : r.matches) codes.push_back(m.code);
  if (r.ok()) {
    EXPECT_EQ(codes, c.codes);
  }
  for (const DnsblMatch& m : r.matches) EXPECT_FALSE(m.meaning.empty());
}

constexpr auto D = DnsOutcome::kData;
constexpr auto kListed = DnsblVerdict::kListed;
constexpr auto kClean = DnsblVerdict::kClean;
constexpr auto kAllow = DnsblVerdict::kAllowlisted;
constexpr auto kErr = DnsblVerdict::kError;
constexpr auto kNone = DnsblError::kNone;

INSTANTIATE_TEST_SUITE_P(
    Catalogue, DecodeTest,
    ::testing::Values(
        // Spamhaus ZEN: every listing code, several at once, refusals never listed.
        Case{"zen.spamhaus.org", {"127.0.0.2"}, D, kListed, kNone, {"127.0.0.2"}},
        Case{"zen.spamhaus.org", {"127.0.0.3"}, D, kListed, kNone, {"127.0.0.3"}},
        Case{"zen.spamhaus.org", {"127.0.0.4"}, D, kListed, kNone, {"127.0.0.4"}},
        Case{"zen.spamhaus.org",
             {"127.0.0.9", "127.0.0.2"},
             D,
             kListed,
             kNone,
             {"127.0.0.9", "127.0.0.2"}},
        Case{"zen.spamhaus.org", {"127.0.0.10"}, D, kListed, kNone, {"127.0.0.10"}},
        Case{"zen.spamhaus.org", {"127.0.0.11"}, D, kListed, kNone, {"127.0.0.11"}},
        Case{"zen.spamhaus.org",
             {"127.0.0.2", "127.0.0.4", "127.0.0.10", "127.0.0.4"},
             D,
             kListed,
             kNone,
             {"127.0.0.2", "127.0.0.4", "127.0.0.10"}},
        Case{"zen.spamhaus.org", {"127.255.255.254"}, D, kErr, DnsblError::kRefusalCode, {}},
        Case{"zen.spamhaus.org", {"127.255.255.252"}, D, kErr, DnsblError::kRefusalCode, {}},
        Case{"zen.spamhaus.org", {"127.255.255.255"}, D, kErr, DnsblError::kRefusalCode, {}},
        Case{"zen.spamhaus.org", {"127.255.255.1"}, D, kErr, DnsblError::kRefusalCode, {}},
        Case{"zen.spamhaus.org",
             {"127.0.0.2", "127.255.255.254"},
             D,
             kErr,
             DnsblError::kRefusalCode,
             {}},
        Case{"zen.spamhaus.org", {"127.0.0.1"}, D, kErr, DnsblError::kUnexpectedAnswer, {}},
        Case{"zen.spamhaus.org", {"127.0.0.8"}, D, kErr, DnsblError::kUnexpectedAnswer, {}},
        Case{"zen.spamhaus.org", {"192.0.2.53"}, D, kErr, DnsblError::kUnexpectedAnswer, {}},
        Case{"zen.spamhaus.org",
             {"127.0.0.2", "192.0.2.53"},
             D,
             kErr,
             DnsblError::kUnexpectedAnswer,
             {}},
        Case{"zen.spamhaus.org", {}, DnsOutcome::kNxDomain, kClean, kNone, {}},
        Case{"zen.spamhaus.org", {}, DnsOutcome::kNoData, kClean, kNone, {}},
        Case{"zen.spamhaus.org", {}, DnsOutcome::kTimeout, kErr, DnsblError::kTimeout, {}},
        Case{"zen.spamhaus.org", {}, DnsOutcome::kServFail, kErr, DnsblError::kServFail, {}},
        Case{"zen.spamhaus.org", {}, DnsOutcome::kRefused, kErr, DnsblError::kRefused, {}},
        Case{"zen.spamhaus.org", {}, DnsOutcome::kMalformed, kErr, DnsblError::kMalformed, {}},
        Case{"zen.spamhaus.org", {}, DnsOutcome::kCancelled, kErr, DnsblError::kOther, {}},
        Case{"zen.spamhaus.org", {}, DnsOutcome::kError, kErr, DnsblError::kOther, {}},
        // DBL: 127.0.1.x only; 127.0.0.x from DBL is not a DBL listing.
        Case{"dbl.spamhaus.org", {"127.0.1.2"}, D, kListed, kNone, {"127.0.1.2"}},
        Case{"dbl.spamhaus.org", {"127.0.1.106"}, D, kListed, kNone, {"127.0.1.106"}},
        Case{"dbl.spamhaus.org", {"127.0.1.255"}, D, kErr, DnsblError::kRefusalCode, {}},
        Case{"dbl.spamhaus.org", {"127.0.0.2"}, D, kErr, DnsblError::kUnexpectedAnswer, {}},
        Case{"dbl.spamhaus.org", {"127.255.255.254"}, D, kErr, DnsblError::kRefusalCode, {}},
        // Bitmask lists.
        Case{"multi.surbl.org", {"127.0.0.8"}, D, kListed, kNone, {"127.0.0.8"}},
        Case{"multi.surbl.org", {"127.0.0.80"}, D, kListed, kNone, {"127.0.0.80"}},
        Case{"multi.surbl.org", {"127.0.0.1"}, D, kErr, DnsblError::kRefusalCode, {}},
        Case{"multi.surbl.org", {"127.0.1.8"}, D, kErr, DnsblError::kUnexpectedAnswer, {}},
        Case{"multi.uribl.com", {"127.0.0.2"}, D, kListed, kNone, {"127.0.0.2"}},
        Case{"multi.uribl.com", {"127.0.0.14"}, D, kListed, kNone, {"127.0.0.14"}},
        Case{"multi.uribl.com", {"127.0.0.1"}, D, kErr, DnsblError::kRefusalCode, {}},
        Case{"multi.uribl.com", {"127.0.0.16"}, D, kErr, DnsblError::kUnexpectedAnswer, {}},
        // Allowlists and reputation lists.
        Case{"list.dnswl.org", {"127.0.10.0"}, D, kAllow, kNone, {"127.0.10.0"}},
        Case{"list.dnswl.org", {"127.0.5.3"}, D, kAllow, kNone, {"127.0.5.3"}},
        Case{"list.dnswl.org", {"127.0.0.255"}, D, kErr, DnsblError::kRefusalCode, {}},
        Case{"list.dnswl.org", {"127.0.5.255"}, D, kErr, DnsblError::kUnexpectedAnswer, {}},
        Case{"rep.mailspike.net", {"127.0.0.10"}, D, kListed, kNone, {"127.0.0.10"}},
        Case{"rep.mailspike.net", {"127.0.0.15"}, D, kClean, kNone, {"127.0.0.15"}},
        Case{"rep.mailspike.net", {"127.0.0.18"}, D, kAllow, kNone, {"127.0.0.18"}},
        Case{"hostkarma.junkemailfilter.com", {"127.0.0.1"}, D, kAllow, kNone, {"127.0.0.1"}},
        Case{"hostkarma.junkemailfilter.com", {"127.0.0.2"}, D, kListed, kNone, {"127.0.0.2"}},
        Case{"all.spamrats.com", {"127.0.0.38"}, D, kListed, kNone, {"127.0.0.38"}},
        Case{"all.spamrats.com", {"127.0.0.2"}, D, kErr, DnsblError::kUnexpectedAnswer, {}},
        Case{"bl.spamcop.net", {"127.0.0.2"}, D, kListed, kNone, {"127.0.0.2"}}),
    [](const ::testing::TestParamInfo<Case>& info) { return std::to_string(info.index); });

TEST(DecodeTest, BitmaskMeaningsAreJoined) {
  DnsblResult r = DecodeDnsblAnswer(List("multi.surbl.org"), AAnswer({"127.0.0.80"}));
  ASSERT_EQ(r.matches.size(), 1u);
  EXPECT_EQ(r.matches[0].meaning, "MW: malware; ABUSE: spam and abuse");
}

// No list of the catalogue ever reports a listing for one of its error
// codes, for the Spamhaus refusal codes, or for an answer outside 127/8.
TEST(DecodeTest, RefusalsAndForeignAnswersAreNeverListings) {
  for (const DnsblList& list : DnsblCatalogue::BuiltIn().lists()) {
    if (!list.defunct.empty()) continue;
    std::vector<std::string> values = {"127.255.255.252", "127.255.255.254", "127.255.255.255",
                                       "192.0.2.53",      "10.0.0.2",        "0.0.0.0",
                                       "255.255.255.255"};
    for (const DnsblCodeRange& e : list.errors) {
      for (uint32_t v : {e.first, e.last}) {
        values.push_back(std::to_string(v >> 24) + "." + std::to_string((v >> 16) & 255) + "." +
                         std::to_string((v >> 8) & 255) + "." + std::to_string(v & 255));
      }
    }
    for (const std::string& v : values) {
      DnsblResult r = DecodeDnsblAnswer(list, AAnswer({v}));
      EXPECT_EQ(r.verdict, DnsblVerdict::kError) << list.zone << " " << v;
    }
    for (DnsOutcome o : {DnsOutcome::kTimeout, DnsOutcome::kServFail, DnsOutcome::kRefused,
                         DnsOutcome::kMalformed, DnsOutcome::kCancelled, DnsOutcome::kError}) {
      EXPECT_EQ(DecodeDnsblAnswer(list, OutcomeAnswer(o)).verdict, DnsblVerdict::kError);
    }
  }
}

TEST(DecodeTest, AaaaRecordsAreIgnoredAndNoARecordIsUnexpected) {
  DnsAnswer answer = AAnswer({});
  DnsRecord aaaa;
  aaaa.type = RecordType::kAaaa;
  aaaa.address = *IpAddress::Parse("::1");
  answer.records.push_back(aaaa);
  DnsblResult r = DecodeDnsblAnswer(List("zen.spamhaus.org"), answer);
  EXPECT_EQ(r.error, DnsblError::kUnexpectedAnswer);
}

}  // namespace
}  // namespace mailrep
