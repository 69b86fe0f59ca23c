#include "collectors/dnsbl/dnsbl_local_answer.h"

#include <gtest/gtest.h>

#include "collectors/dnsbl/dnsbl_answer.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

constexpr int64_t kNow = 1700000000;

RbldnsdZone Zone(std::string_view text, RbldnsdFormat format) {
  StatusOr<RbldnsdZone> zone = RbldnsdZone::Parse(text, format, "t.zone", kNow);
  EXPECT_OK(zone);
  return std::move(zone).value();
}

TEST(LocalAnswerTest, ParsesReversedIpv4Only) {
  EXPECT_EQ(ParseReversedIp4("10.2.0.192"), 0xC000020Au);
  EXPECT_EQ(ParseReversedIp4("2.0.0.127"), 0x7F000002u);
  for (std::string_view bad : {"", "1.2.3", "1.2.3.4.5", "256.0.0.1", "01.0.0.127", "a.b.c.d",
                               "1..2.3", "example.com", "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0"}) {
    EXPECT_EQ(ParseReversedIp4(bad), std::nullopt) << bad;
  }
}

TEST(LocalAnswerTest, Ip4SetAnswersLikeRbldnsd) {
  RbldnsdZone zone = Zone(
      ":127.0.0.2:Listed: $\n127.0.0.2\n192.0.2.0/30\n!192.0.2.2\n192.0.2.9 :127.0.0.4:Exploit\n",
      RbldnsdFormat::kIp4set);
  DnsAnswer listed = LocalDnsblAnswer(zone, "1.2.0.192");
  ASSERT_EQ(listed.outcome, DnsOutcome::kData);
  ASSERT_EQ(listed.records.size(), 1u);
  EXPECT_EQ(listed.records[0].type, RecordType::kA);
  EXPECT_EQ(listed.records[0].address.ToString(), "127.0.0.2");
  EXPECT_EQ(listed.ttl, 0u);

  EXPECT_EQ(LocalDnsblAnswer(zone, "2.2.0.192").outcome, DnsOutcome::kNxDomain);  // excluded
  EXPECT_EQ(LocalDnsblAnswer(zone, "1.0.0.127").outcome, DnsOutcome::kNxDomain);
  EXPECT_EQ(LocalDnsblAnswer(zone, "example.com").outcome, DnsOutcome::kNxDomain);

  DnsAnswer txt = LocalDnsblAnswer(zone, "9.2.0.192", RecordType::kTxt);
  ASSERT_EQ(txt.outcome, DnsOutcome::kData);
  ASSERT_EQ(txt.records.size(), 1u);
  EXPECT_EQ(txt.records[0].texts, std::vector<std::string>{"Exploit"});
  txt = LocalDnsblAnswer(zone, "1.2.0.192", RecordType::kTxt);
  ASSERT_EQ(txt.records.size(), 1u);
  EXPECT_EQ(txt.records[0].texts, std::vector<std::string>{"Listed: 192.0.2.1"});
  EXPECT_EQ(LocalDnsblAnswer(zone, "1.2.0.192", RecordType::kAaaa).outcome, DnsOutcome::kNoData);
}

TEST(LocalAnswerTest, AnswersDecodeThroughTheCatalogue) {
  RbldnsdZone zone =
      Zone("127.0.0.2 :127.0.0.2\n192.0.2.9 :127.0.0.4\n192.0.2.10 :127.255.255.254\n",
           RbldnsdFormat::kIp4trie);
  const DnsblList& zen = *DnsblCatalogue::BuiltIn().Find("zen.spamhaus.org");
  DnsblResult xbl = DecodeDnsblAnswer(zen, LocalDnsblAnswer(zone, "9.2.0.192"));
  EXPECT_EQ(xbl.verdict, DnsblVerdict::kListed);
  ASSERT_EQ(xbl.matches.size(), 1u);
  EXPECT_EQ(xbl.matches[0].code, "127.0.0.4");
  EXPECT_EQ(DecodeDnsblAnswer(zen, LocalDnsblAnswer(zone, "1.0.0.127")).verdict,
            DnsblVerdict::kClean);
  // The list's own error code in the data is a refusal, never a listing.
  EXPECT_EQ(DecodeDnsblAnswer(zen, LocalDnsblAnswer(zone, "10.2.0.192")).error,
            DnsblError::kRefusalCode);
}

TEST(LocalAnswerTest, DnsetAnswersDomains) {
  RbldnsdZone zone =
      Zone(":127.0.1.2:Spam domain\ndbltest.com\n.spam.example\n", RbldnsdFormat::kDnset);
  EXPECT_EQ(LocalDnsblAnswer(zone, "dbltest.com").outcome, DnsOutcome::kData);
  EXPECT_EQ(LocalDnsblAnswer(zone, "a.spam.example").records[0].address.ToString(), "127.0.1.2");
  EXPECT_EQ(LocalDnsblAnswer(zone, "invalid").outcome, DnsOutcome::kNxDomain);
  EXPECT_EQ(LocalDnsblAnswer(zone, "example.com").outcome, DnsOutcome::kNxDomain);
}

}  // namespace
}  // namespace mailrep
