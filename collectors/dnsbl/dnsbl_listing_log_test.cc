#include "collectors/dnsbl/dnsbl_listing_log.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mailrep {
namespace {

DnsblResult Listed(std::vector<std::pair<std::string, std::string>> codes) {
  DnsblResult r;
  r.verdict = DnsblVerdict::kListed;
  for (auto& [code, meaning] : codes) r.matches.push_back({code, meaning, DnsblCodeClass::kListed});
  return r;
}

DnsblResult Clean() {
  DnsblResult r;
  r.verdict = DnsblVerdict::kClean;
  return r;
}

DnsblResult Error() {
  DnsblResult r;
  r.error = DnsblError::kTimeout;
  return r;
}

struct Recorder {
  std::vector<std::string> records;
  DnsblListingLog::Sink sink() {
    return [this](LogLevel level, std::string_view msg, LogFields fields) {
      records.push_back(FormatLogRecord(false, level, msg, fields));
    };
  }
};

const char kZen[] = "zen.spamhaus.org";

TEST(DnsblListingLogTest, ListedOnceThenQuietOverSweeps) {
  Recorder rec;
  DnsblListingLog log(rec.sink());
  // First sweep after start: the current listing, once.
  for (int sweep = 0; sweep < 5; ++sweep) {
    log.Observe("192.0.2.7", kZen, Listed({{"127.0.0.2", "SBL: Spamhaus SBL"}}));
    log.Observe("192.0.2.8", kZen, Clean());
  }
  ASSERT_EQ(rec.records.size(), 1u);
  EXPECT_EQ(rec.records[0],
            "level=warn msg=\"Listed on a DNSBL\" target=192.0.2.7 dnsbl=zen.spamhaus.org "
            "codes=127.0.0.2 meaning=\"SBL: Spamhaus SBL\"");
}

TEST(DnsblListingLogTest, ThousandsOfListedAddressesLogOncePerSweepChange) {
  Recorder rec;
  DnsblListingLog log(rec.sink());
  for (int sweep = 0; sweep < 3; ++sweep) {
    for (int i = 0; i < 1024; ++i) {
      log.Observe("198.18." + std::to_string(i / 256) + "." + std::to_string(i % 256), kZen,
                  Listed({{"127.0.0.4", "XBL"}}));
    }
  }
  EXPECT_EQ(rec.records.size(), 1024u);  // the first sweep only
  EXPECT_EQ(log.listed_pairs(), 1024u);
}

TEST(DnsblListingLogTest, CodeOrderIsNotAChangeButNewCodesAre) {
  Recorder rec;
  DnsblListingLog log(rec.sink());
  log.Observe("192.0.2.7", kZen, Listed({{"127.0.0.4", "XBL"}, {"127.0.0.2", "SBL"}}));
  log.Observe("192.0.2.7", kZen, Listed({{"127.0.0.2", "SBL"}, {"127.0.0.4", "XBL"}}));
  ASSERT_EQ(rec.records.size(), 1u);
  EXPECT_NE(rec.records[0].find("codes=127.0.0.2,127.0.0.4 meaning=\"SBL; XBL\""),
            std::string::npos)
      << rec.records[0];
  log.Observe("192.0.2.7", kZen, Listed({{"127.0.0.2", "SBL"}}));
  ASSERT_EQ(rec.records.size(), 2u);
  EXPECT_NE(rec.records[1].find("level=warn msg=\"Listed on a DNSBL\""), std::string::npos);
  EXPECT_NE(rec.records[1].find("codes=127.0.0.2 "), std::string::npos) << rec.records[1];
}

TEST(DnsblListingLogTest, DelistedAtInfoOnceAndErrorsChangeNothing) {
  Recorder rec;
  DnsblListingLog log(rec.sink());
  log.Observe("192.0.2.7", kZen, Listed({{"127.0.0.2", "SBL"}}));
  log.Observe("192.0.2.7", kZen, Error());  // a timeout is no delisting
  log.Observe("192.0.2.7", kZen, Clean());
  log.Observe("192.0.2.7", kZen, Clean());
  ASSERT_EQ(rec.records.size(), 2u);
  EXPECT_EQ(rec.records[1],
            "level=info msg=\"No longer listed on a DNSBL\" target=192.0.2.7 "
            "dnsbl=zen.spamhaus.org");
  EXPECT_EQ(log.listed_pairs(), 0u);
  // Listed again: logged again.
  log.Observe("192.0.2.7", kZen, Listed({{"127.0.0.2", "SBL"}}));
  EXPECT_EQ(rec.records.size(), 3u);
}

TEST(DnsblListingLogTest, ListsAreSeparateAndDroppedTargetsAreForgotten) {
  Recorder rec;
  DnsblListingLog log(rec.sink());
  log.Observe("192.0.2.7", kZen, Listed({{"127.0.0.2", "SBL"}}));
  log.Observe("192.0.2.7", "bl.spamcop.net", Listed({{"127.0.0.2", ""}}));
  EXPECT_EQ(rec.records.size(), 2u);
  log.Retain({"192.0.2.9"});
  EXPECT_EQ(log.listed_pairs(), 0u);
  EXPECT_EQ(rec.records.size(), 2u);  // forgetting is silent
  log.Observe("192.0.2.7", kZen, Listed({{"127.0.0.2", "SBL"}}));
  EXPECT_EQ(rec.records.size(), 3u);
  // A target still checked keeps its pairs: the same listing is not logged again.
  log.Retain({"192.0.2.9", "192.0.2.7"});
  EXPECT_EQ(log.listed_pairs(), 1u);
  log.Observe("192.0.2.7", kZen, Listed({{"127.0.0.2", "SBL"}}));
  EXPECT_EQ(rec.records.size(), 3u);
}

}  // namespace
}  // namespace mailrep
