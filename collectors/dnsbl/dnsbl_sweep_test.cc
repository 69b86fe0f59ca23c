#include "collectors/dnsbl/dnsbl_sweep.h"

#include <gtest/gtest.h>

#include "collectors/dns/static_resolver.h"

namespace mailrep {
namespace {

std::vector<DnsblListConfig> Lists(std::initializer_list<const char*> zones) {
  std::vector<DnsblListConfig> out;
  for (const char* zone : zones) out.push_back({*DnsblCatalogue::BuiltIn().Find(zone), ""});
  return out;
}

SteadyTime Soon() { return std::chrono::steady_clock::now() + std::chrono::seconds(5); }

TEST(SweepTest, TestPointsFirstThenTargetMajor) {
  StaticResolver resolver;
  std::vector<DnsblTarget> targets = {*ParseDnsblTarget("192.0.2.1"),
                                      *ParseDnsblTarget("192.0.2.2"),
                                      *ParseDnsblTarget("example.com")};
  DnsblSweep sweep =
      RunDnsblSweep(&resolver, Lists({"zen.spamhaus.org", "bl.spamcop.net", "dbl.spamhaus.org"}),
                    targets, Soon());
  std::vector<std::string> names;
  for (const DnsQuery& q : resolver.queries()) names.push_back(q.name);
  EXPECT_EQ(
      names,
      (std::vector<std::string>{
          "2.0.0.127.zen.spamhaus.org", "1.0.0.127.zen.spamhaus.org", "2.0.0.127.bl.spamcop.net",
          "1.0.0.127.bl.spamcop.net", "dbltest.com.dbl.spamhaus.org", "invalid.dbl.spamhaus.org",
          "1.2.0.192.zen.spamhaus.org", "1.2.0.192.bl.spamcop.net", "2.2.0.192.zen.spamhaus.org",
          "2.2.0.192.bl.spamcop.net", "example.com.dbl.spamhaus.org"}));
  EXPECT_EQ(sweep.lists[0].queries, 4u);
  EXPECT_TRUE(sweep.results.Has(0, 0));
  EXPECT_FALSE(sweep.results.Has(0, 2));  // an IP on a domain list
  EXPECT_FALSE(sweep.results.Has(2, 0));
  // NXDOMAIN everywhere: clean targets, but no list passes its listed point.
  EXPECT_EQ(sweep.results.Get(0, 0)->verdict, DnsblVerdict::kClean);
  EXPECT_FALSE(sweep.lists[0].health.healthy);
}

TEST(SweepTest, KeysGoBeforeTheZoneAndNotInTheRateKey) {
  StaticResolver resolver;
  std::vector<DnsblListConfig> lists = {
      {*DnsblCatalogue::BuiltIn().Find("zen.dq.spamhaus.net"), "secretkey"}};
  RunDnsblSweep(&resolver, lists, {*ParseDnsblTarget("2001:db8::1")}, Soon());
  ASSERT_EQ(resolver.queries().size(), 3u);
  EXPECT_EQ(resolver.queries()[0].name, "2.0.0.127.secretkey.zen.dq.spamhaus.net");
  EXPECT_EQ(resolver.queries()[2].name,
            "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.secretkey.zen.dq."
            "spamhaus.net");
  for (const DnsQuery& q : resolver.queries()) EXPECT_EQ(q.rate_key, "zen.dq.spamhaus.net");
}

// A resolver that never answers: a stopped sweep returns promptly, with
// every lookup an error and no listing.
class SilentResolver : public Resolver {
 public:
  void Submit(DnsQuery, DnsCallback done) override { pending_.push_back(std::move(done)); }
  std::vector<DnsCallback> pending_;
};

TEST(SweepTest, StopReturnsPromptlyWithErrors) {
  SilentResolver resolver;
  std::stop_source stop;
  stop.request_stop();
  DnsblSweep sweep = RunDnsblSweep(&resolver, Lists({"zen.spamhaus.org"}),
                                   {*ParseDnsblTarget("192.0.2.1")}, Soon(), stop.get_token());
  ASSERT_TRUE(sweep.results.Has(0, 0));
  EXPECT_EQ(sweep.results.Get(0, 0)->verdict, DnsblVerdict::kError);
  EXPECT_FALSE(sweep.lists[0].health.healthy);
  // Late answers after the sweep returned are ignored safely.
  for (DnsCallback& done : resolver.pending_) {
    DnsAnswer a;
    a.outcome = DnsOutcome::kNxDomain;
    done(a);
  }
}

std::shared_ptr<const RbldnsdZone> LocalZone(std::string_view text) {
  StatusOr<RbldnsdZone> zone =
      RbldnsdZone::Parse(text, RbldnsdFormat::kIp4set, "zen.zone", 1700000000);
  EXPECT_TRUE(zone.ok());
  return std::make_shared<const RbldnsdZone>(std::move(zone).value());
}

TEST(SweepTest, LocalListsSendNoQueryAndDecodeAlike) {
  StaticResolver resolver;
  resolver.SetAddresses("2.0.0.127.bl.spamcop.net", {"127.0.0.2"});
  DnsblLocalZones local;
  local["zen.spamhaus.org"] = {LocalZone("127.0.0.2\n192.0.2.1 :127.0.0.4\n"), ""};
  std::vector<DnsblTarget> targets = {*ParseDnsblTarget("192.0.2.1"),
                                      *ParseDnsblTarget("192.0.2.2")};
  DnsblSweep sweep = RunDnsblSweep(&resolver, Lists({"zen.spamhaus.org", "bl.spamcop.net"}),
                                   targets, Soon(), {}, &local);
  for (const DnsQuery& q : resolver.queries()) EXPECT_EQ(q.rate_key, "bl.spamcop.net") << q.name;
  EXPECT_EQ(resolver.queries().size(), 4u);
  EXPECT_TRUE(sweep.lists[0].local);
  EXPECT_EQ(sweep.lists[0].queries, 0u);
  EXPECT_TRUE(sweep.lists[0].health.healthy) << sweep.lists[0].health.reason;
  ASSERT_TRUE(sweep.results.Has(0, 0));
  EXPECT_EQ(sweep.results.Get(0, 0)->verdict, DnsblVerdict::kListed);
  EXPECT_EQ(sweep.results.Get(0, 0)->matches[0].meaning,
            DnsblCatalogue::BuiltIn().Find("zen.spamhaus.org")->codes[2].meaning);
  EXPECT_EQ(sweep.results.Get(1, 0)->verdict, DnsblVerdict::kClean);
  EXPECT_TRUE(sweep.lists[1].health.healthy);
}

TEST(SweepTest, LocalListsNeedNoResolver) {
  DnsblLocalZones local;
  local["zen.spamhaus.org"] = {LocalZone("127.0.0.2\n"), ""};
  DnsblSweep sweep = RunDnsblSweep(nullptr, Lists({"zen.spamhaus.org"}),
                                   {*ParseDnsblTarget("192.0.2.1")}, Soon(), {}, &local);
  EXPECT_TRUE(sweep.lists[0].health.healthy);
  EXPECT_EQ(sweep.results.Get(0, 0)->verdict, DnsblVerdict::kClean);
}

TEST(SweepTest, LocalTestPointsJudgeHealth) {
  DnsblLocalZones local;
  local["zen.spamhaus.org"] = {LocalZone("192.0.2.1\n"), ""};  // no 127.0.0.2: empty or wrong
  DnsblSweep sweep = RunDnsblSweep(nullptr, Lists({"zen.spamhaus.org"}),
                                   {*ParseDnsblTarget("192.0.2.1")}, Soon(), {}, &local);
  EXPECT_FALSE(sweep.lists[0].health.healthy);
  EXPECT_NE(sweep.lists[0].health.reason.find("\"must be listed\" test point is not listed"),
            std::string::npos)
      << sweep.lists[0].health.reason;

  local["zen.spamhaus.org"] = {LocalZone("127.0.0.0/8\n"), ""};  // lists both test points
  sweep = RunDnsblSweep(nullptr, Lists({"zen.spamhaus.org"}), {*ParseDnsblTarget("192.0.2.1")},
                        Soon(), {}, &local);
  EXPECT_FALSE(sweep.lists[0].health.healthy);
  EXPECT_NE(sweep.lists[0].health.reason.find("answers for everything"), std::string::npos);
}

TEST(SweepTest, UnusableLocalListIsUnhealthyWithItsReason) {
  DnsblLocalZones local;
  local["zen.spamhaus.org"] = {nullptr, "the mirror file /x has not loaded yet"};
  DnsblSweep sweep = RunDnsblSweep(nullptr, Lists({"zen.spamhaus.org"}),
                                   {*ParseDnsblTarget("192.0.2.1")}, Soon(), {}, &local);
  EXPECT_TRUE(sweep.lists[0].queried);
  EXPECT_FALSE(sweep.lists[0].health.healthy);
  EXPECT_EQ(sweep.lists[0].health.reason, "the mirror file /x has not loaded yet");
  ASSERT_TRUE(sweep.results.Has(0, 0));
  EXPECT_FALSE(sweep.results.Get(0, 0)->ok());
  for (uint64_t e : sweep.lists[0].errors) EXPECT_EQ(e, 0u);  // nothing was looked up
}

}  // namespace
}  // namespace mailrep
