#include "collectors/dns/dns_cache.h"

#include <gtest/gtest.h>

#include "exporter/core/fake_clock.h"

namespace mailrep {
namespace {

using std::chrono::seconds;

class DnsCacheTest : public ::testing::Test {
 protected:
  void Advance(seconds s) { clock_->Advance(s); }

  static DnsAnswer Data(uint32_t ttl, uint32_t record_ttl) {
    DnsAnswer answer;
    answer.outcome = DnsOutcome::kData;
    answer.canonical_name = "x.example";
    answer.ttl = ttl;
    DnsRecord record;
    record.ttl = record_ttl;
    record.address.bytes[0] = 127;
    record.address.bytes[3] = 2;
    answer.records.push_back(record);
    return answer;
  }
  static DnsAnswer Negative(DnsOutcome outcome, uint32_t ttl) {
    DnsAnswer answer;
    answer.outcome = outcome;
    answer.ttl = ttl;
    return answer;
  }

  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
};

TEST_F(DnsCacheTest, PositiveAnswerLivesForItsTtl) {
  DnsCache cache({}, clock_);
  cache.Insert("X.Example.", RecordType::kA, Data(300, 300));
  std::optional<DnsAnswer> hit = cache.Lookup("x.example", RecordType::kA);
  ASSERT_TRUE(hit.has_value());
  EXPECT_TRUE(hit->from_cache);
  EXPECT_EQ(hit->ttl, 300u);
  EXPECT_FALSE(cache.Lookup("x.example", RecordType::kTxt).has_value());

  Advance(seconds(100));
  hit = cache.Lookup("x.example", RecordType::kA);
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->ttl, 200u);
  EXPECT_EQ(hit->records[0].ttl, 200u);

  Advance(seconds(200));
  EXPECT_FALSE(cache.Lookup("x.example", RecordType::kA).has_value());
  EXPECT_EQ(cache.size(), 0u);
}

TEST_F(DnsCacheTest, NegativeAnswersUseTheirRfc2308Ttl) {
  DnsCache cache({}, clock_);
  cache.Insert("nx.example", RecordType::kA, Negative(DnsOutcome::kNxDomain, 60));
  cache.Insert("nodata.example", RecordType::kAaaa, Negative(DnsOutcome::kNoData, 30));
  cache.Insert("nosoa.example", RecordType::kA, Negative(DnsOutcome::kNxDomain, 0));
  EXPECT_EQ(cache.Lookup("nx.example", RecordType::kA)->outcome, DnsOutcome::kNxDomain);
  EXPECT_EQ(cache.Lookup("nodata.example", RecordType::kAaaa)->outcome, DnsOutcome::kNoData);
  EXPECT_FALSE(cache.Lookup("nosoa.example", RecordType::kA).has_value());
  Advance(seconds(30));
  EXPECT_TRUE(cache.Lookup("nx.example", RecordType::kA).has_value());
  EXPECT_FALSE(cache.Lookup("nodata.example", RecordType::kAaaa).has_value());
  Advance(seconds(30));
  EXPECT_FALSE(cache.Lookup("nx.example", RecordType::kA).has_value());
}

TEST_F(DnsCacheTest, FailuresAreNeverCached) {
  DnsCache cache({}, clock_);
  for (DnsOutcome outcome : {DnsOutcome::kServFail, DnsOutcome::kRefused, DnsOutcome::kTimeout,
                             DnsOutcome::kMalformed, DnsOutcome::kCancelled, DnsOutcome::kError}) {
    cache.Insert("x.example", RecordType::kA, Negative(outcome, 300));
  }
  EXPECT_EQ(cache.size(), 0u);
}

TEST_F(DnsCacheTest, TtlsAreCapped) {
  DnsCache cache({.max_entries = 10, .max_ttl = 100, .max_negative_ttl = 10}, clock_);
  cache.Insert("long.example", RecordType::kA, Data(86400, 86400));
  cache.Insert("nx.example", RecordType::kA, Negative(DnsOutcome::kNxDomain, 3600));
  EXPECT_EQ(cache.Lookup("long.example", RecordType::kA)->records[0].ttl, 100u);
  Advance(seconds(10));
  EXPECT_FALSE(cache.Lookup("nx.example", RecordType::kA).has_value());
  Advance(seconds(90));
  EXPECT_FALSE(cache.Lookup("long.example", RecordType::kA).has_value());
}

TEST_F(DnsCacheTest, EvictsLeastRecentlyUsed) {
  DnsCache cache({.max_entries = 2}, clock_);
  cache.Insert("a.example", RecordType::kA, Data(60, 60));
  cache.Insert("b.example", RecordType::kA, Data(60, 60));
  ASSERT_TRUE(cache.Lookup("a.example", RecordType::kA).has_value());  // b is now oldest
  cache.Insert("c.example", RecordType::kA, Data(60, 60));
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_TRUE(cache.Lookup("a.example", RecordType::kA).has_value());
  EXPECT_FALSE(cache.Lookup("b.example", RecordType::kA).has_value());
  EXPECT_TRUE(cache.Lookup("c.example", RecordType::kA).has_value());
}

TEST_F(DnsCacheTest, ReinsertReplaces) {
  DnsCache cache({}, clock_);
  cache.Insert("a.example", RecordType::kA, Data(60, 60));
  cache.Insert("a.example", RecordType::kA, Negative(DnsOutcome::kNxDomain, 60));
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.Lookup("a.example", RecordType::kA)->outcome, DnsOutcome::kNxDomain);
}

TEST_F(DnsCacheTest, ZeroEntriesDisables) {
  DnsCache cache({.max_entries = 0}, clock_);
  cache.Insert("a.example", RecordType::kA, Data(60, 60));
  EXPECT_FALSE(cache.Lookup("a.example", RecordType::kA).has_value());
}

}  // namespace
}  // namespace mailrep
