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
  EXPECT_TRUE(sweep.results[0][0].has_value());
  EXPECT_FALSE(sweep.results[0][2].has_value());  // an IP on a domain list
  EXPECT_FALSE(sweep.results[2][0].has_value());
  // NXDOMAIN everywhere: clean targets, but no list passes its listed point.
  EXPECT_EQ(sweep.results[0][0]->verdict, DnsblVerdict::kClean);
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
  ASSERT_TRUE(sweep.results[0][0].has_value());
  EXPECT_EQ(sweep.results[0][0]->verdict, DnsblVerdict::kError);
  EXPECT_FALSE(sweep.lists[0].health.healthy);
  // Late answers after the sweep returned are ignored safely.
  for (DnsCallback& done : resolver.pending_) {
    DnsAnswer a;
    a.outcome = DnsOutcome::kNxDomain;
    done(a);
  }
}

}  // namespace
}  // namespace mailrep
