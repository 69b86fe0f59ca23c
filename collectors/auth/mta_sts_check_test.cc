#include "collectors/auth/mta_sts_check.h"

#include <gtest/gtest.h>

#include <map>

#include "collectors/dns/memory_dns.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

constexpr char kGoodPolicy[] =
    "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.mx.example.net\r\n"
    "max_age: 604800\r\n";

// Answers from a table keyed by domain; unknown domains fail to connect.
class FakeFetcher : public MtaStsFetcher {
 public:
  MtaStsFetchResult Fetch(std::string_view domain, const std::vector<IpAddress>&, SteadyTime,
                          std::stop_token) override {
    ++fetches;
    MtaStsFetchResult r;
    r.url = MtaStsPolicyUrl(domain);
    auto it = bodies.find(std::string(domain));
    if (it == bodies.end()) {
      r.error = "Could not connect";
      return r;
    }
    r.ok = true;
    r.http_status = 200;
    r.content_type = "text/plain";
    r.body = it->second;
    return r;
  }
  std::map<std::string, std::string> bodies;
  int fetches = 0;
};

struct Fixture {
  MemoryDns dns;
  FakeFetcher fetcher;
  Fixture() {
    dns.AddTxt("_mta-sts.example.com", {"v=STSv1; id=2024a"});
    (void)dns.AddAddress("mta-sts.example.com", "192.0.2.80");
    dns.AddTxt("_mta-sts.example.com", {"some other text"});
    dns.AddMx("example.com", 10, "mail.example.com");
    dns.AddMx("example.com", 20, "b.mx.example.net");
    dns.AddTxt("_smtp._tls.example.com", {"v=TLSRPTv1; rua=mailto:tls@example.com"});
    fetcher.bodies["example.com"] = kGoodPolicy;
  }
  MtaStsCheckResult Check(std::string_view domain = "Example.COM.") {
    return CheckMtaSts(domain, dns, fetcher,
                       std::chrono::steady_clock::now() + std::chrono::seconds(5));
  }
};

TEST(MtaStsCheckTest, Valid) {
  Fixture f;
  MtaStsCheckResult r = f.Check();
  EXPECT_EQ(r.domain, "example.com");
  EXPECT_EQ(r.status, MtaStsStatus::kValid);
  EXPECT_EQ(r.policy_id, "2024a");
  ASSERT_TRUE(r.policy.has_value());
  EXPECT_EQ(r.policy->mode, MtaStsMode::kEnforce);
  EXPECT_EQ(r.policy->max_age, 604800);
  ASSERT_EQ(r.mx_hosts.size(), 2u);
  EXPECT_TRUE(r.mx_hosts[0].covered && r.mx_hosts[1].covered);
  EXPECT_EQ(r.tls_rpt_status, TlsRptStatus::kValid);
  EXPECT_EQ(r.tls_rpt_rua, std::vector<std::string>{"mailto:tls@example.com"});
  EXPECT_EQ(r.policy_url, "https://mta-sts.example.com/.well-known/mta-sts.txt");
}

TEST(MtaStsCheckTest, MissingMakesNoFetch) {
  Fixture f;
  f.dns.AddName("other.example");
  MtaStsCheckResult r = f.Check("other.example");
  EXPECT_EQ(r.status, MtaStsStatus::kMissing);
  EXPECT_EQ(r.tls_rpt_status, TlsRptStatus::kMissing);
  EXPECT_EQ(f.fetcher.fetches, 0);
  EXPECT_FALSE(r.policy.has_value());
}

TEST(MtaStsCheckTest, MxNotCovered) {
  Fixture f;
  f.dns.AddMx("example.com", 30, "backup.example.org");
  f.dns.AddMx("example.com", 40, "deep.b.mx.example.net");
  MtaStsCheckResult r = f.Check();
  EXPECT_EQ(r.status, MtaStsStatus::kMxMismatch);
  int uncovered = 0;
  for (const MtaStsMxHost& h : r.mx_hosts) uncovered += h.covered ? 0 : 1;
  EXPECT_EQ(uncovered, 2);
}

TEST(MtaStsCheckTest, ModeNoneSkipsMxCoverage) {
  Fixture f;
  f.fetcher.bodies["example.com"] = "version: STSv1\nmode: none\nmax_age: 86400\n";
  f.dns.AddMx("example.com", 30, "backup.example.org");
  MtaStsCheckResult r = f.Check();
  EXPECT_EQ(r.status, MtaStsStatus::kValid);
  EXPECT_EQ(r.policy->mode, MtaStsMode::kNone);
  EXPECT_TRUE(r.mx_hosts.empty());
}

TEST(MtaStsCheckTest, ImplicitMxIsTheDomain) {
  Fixture f;
  f.dns.AddTxt("_mta-sts.solo.example", {"v=STSv1; id=1"});
  ASSERT_OK(f.dns.AddAddress("mta-sts.solo.example", "192.0.2.81"));
  ASSERT_OK(f.dns.AddAddress("solo.example", "192.0.2.1"));
  f.fetcher.bodies["solo.example"] =
      "version: STSv1\nmode: testing\nmx: solo.example\nmax_age: 86400\n";
  MtaStsCheckResult r = f.Check("solo.example");
  EXPECT_EQ(r.status, MtaStsStatus::kValid);
  ASSERT_EQ(r.mx_hosts.size(), 1u);
  EXPECT_EQ(r.mx_hosts[0].host, "solo.example");
}

TEST(MtaStsCheckTest, InvalidRecordsAndPolicies) {
  struct Case {
    std::vector<std::string> txt;
    const char* policy;
  } cases[] = {
      {{"v=STSv1; id=bad-id"}, kGoodPolicy},
      {{"v=STSv1; id=1", "v=STSv1; id=2"}, kGoodPolicy},
      {{"v=STSv1; id=1"}, "version: STSv1\nmode: enforce\nmax_age: 60\n"},
      {{"v=STSv1; id=1"}, "<html>oops</html>"},
  };
  for (const Case& c : cases) {
    MemoryDns dns;
    for (const std::string& t : c.txt) dns.AddTxt("_mta-sts.example.com", {t});
    (void)dns.AddAddress("mta-sts.example.com", "192.0.2.80");
    dns.AddMx("example.com", 10, "mail.example.com");
    FakeFetcher fetcher;
    fetcher.bodies["example.com"] = c.policy;
    MtaStsCheckResult r = CheckMtaSts("example.com", dns, fetcher,
                                      std::chrono::steady_clock::now() + std::chrono::seconds(5));
    EXPECT_EQ(r.status, MtaStsStatus::kInvalid) << c.txt[0] << " / " << c.policy;
  }
}

TEST(MtaStsCheckTest, SplitTxtStringsAreJoined) {
  Fixture f;
  MemoryDns dns;
  dns.AddTxt("_mta-sts.example.com", {"v=STSv1; ", "id=abc"});
  (void)dns.AddAddress("mta-sts.example.com", "192.0.2.80");
  dns.AddMx("example.com", 10, "mail.example.com");
  MtaStsCheckResult r = CheckMtaSts("example.com", dns, f.fetcher,
                                    std::chrono::steady_clock::now() + std::chrono::seconds(5));
  EXPECT_EQ(r.status, MtaStsStatus::kValid);
  EXPECT_EQ(r.policy_id, "abc");
}

TEST(MtaStsCheckTest, FetchErrorOutranksInvalid) {
  Fixture f;
  f.fetcher.bodies.clear();
  EXPECT_EQ(f.Check().status, MtaStsStatus::kFetchError);
  f.dns.AddTxt("_mta-sts.example.com", {"v=STSv1; id=second"});
  EXPECT_EQ(f.Check().status, MtaStsStatus::kFetchError);
}

TEST(MtaStsCheckTest, DnsErrorsAreNeverMissing) {
  {
    Fixture f;
    f.dns.AddTimeout("_mta-sts.timeout.example");
    f.dns.AddTimeout("_smtp._tls.timeout.example");
    (void)f.dns.AddAddress("mta-sts.timeout.example", "192.0.2.82");
    MtaStsCheckResult r = f.Check("timeout.example");
    EXPECT_EQ(r.status, MtaStsStatus::kDnsError);
    EXPECT_EQ(r.tls_rpt_status, TlsRptStatus::kDnsError);
    EXPECT_EQ(f.fetcher.fetches, 1) << "the policy is still fetched during a DNS failure";
  }
  {
    MemoryDns dns;
    dns.AddTxt("_mta-sts.example.com", {"v=STSv1; id=1"});
    (void)dns.AddAddress("mta-sts.example.com", "192.0.2.80");
    dns.AddTimeout("example.com");  // the MX lookup
    FakeFetcher fetcher;
    fetcher.bodies["example.com"] = kGoodPolicy;
    MtaStsCheckResult r = CheckMtaSts("example.com", dns, fetcher,
                                      std::chrono::steady_clock::now() + std::chrono::seconds(5));
    EXPECT_EQ(r.status, MtaStsStatus::kDnsError);
    EXPECT_TRUE(r.policy.has_value());
  }
}

TEST(MtaStsCheckTest, TlsRptStates) {
  struct Case {
    std::vector<std::string> txt;
    TlsRptStatus status;
  } cases[] = {
      {{"v=TLSRPTv1; rua=mailto:a@example.com"}, TlsRptStatus::kValid},
      {{"unrelated"}, TlsRptStatus::kMissing},
      {{}, TlsRptStatus::kMissing},
      {{"v=TLSRPTv1; rua=ftp://x.example"}, TlsRptStatus::kInvalid},
      {{"v=TLSRPTv1; rua=mailto:a@example.com", "v=TLSRPTv1; rua=mailto:b@example.com"},
       TlsRptStatus::kInvalid},
  };
  for (const Case& c : cases) {
    MemoryDns dns;
    for (const std::string& t : c.txt) dns.AddTxt("_smtp._tls.example.com", {t});
    FakeFetcher fetcher;
    MtaStsCheckResult r = CheckMtaSts("example.com", dns, fetcher,
                                      std::chrono::steady_clock::now() + std::chrono::seconds(5));
    EXPECT_EQ(r.tls_rpt_status, c.status) << (c.txt.empty() ? "" : c.txt[0]);
  }
}

}  // namespace
}  // namespace mailrep

namespace mailrep {
namespace {

// The policy host is resolved by the exporter's resolver, never by curl's.
TEST(MtaStsCheckTest, PolicyHostComesFromOurResolver) {
  {
    Fixture f;
    f.dns.AddTxt("_mta-sts.nohost.example", {"v=STSv1; id=1"});
    MtaStsCheckResult r = f.Check("nohost.example");
    EXPECT_EQ(r.status, MtaStsStatus::kFetchError);
    EXPECT_EQ(f.fetcher.fetches, 0);
  }
  {
    Fixture f;
    f.dns.AddTxt("_mta-sts.flaky.example", {"v=STSv1; id=1"});
    f.dns.AddTimeout("mta-sts.flaky.example");
    MtaStsCheckResult r = f.Check("flaky.example");
    EXPECT_EQ(r.status, MtaStsStatus::kDnsError);
    EXPECT_EQ(f.fetcher.fetches, 0);
  }
}

}  // namespace
}  // namespace mailrep
