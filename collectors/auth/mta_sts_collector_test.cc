#include "collectors/auth/mta_sts_collector.h"

#include <gtest/gtest.h>

#include "collectors/dns/dns_engine.h"
#include "collectors/dns/static_resolver.h"
#include "collectors/http_fetch/http_fetcher_testing.h"
#include "exporter/core/collector_testing.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

// The value of `name`{domain=`domain`, `label`=`value`} (label "" = any), -1 if absent.
std::optional<double> Gauge(const MetricSet& set, const std::string& name,
                            const std::string& domain, const std::string& label = "",
                            const std::string& value = "") {
  Labels want = {{"domain", domain}};
  if (!label.empty()) want.emplace_back(label, value);
  return SampleValue(set, name, want);
}

class OneBodyFetcher : public MtaStsFetcher {
 public:
  explicit OneBodyFetcher(std::string body) : body_(std::move(body)) {}
  MtaStsFetchResult Fetch(std::string_view domain, const std::vector<IpAddress>&, SteadyTime,
                          std::stop_token) override {
    ++fetches;
    MtaStsFetchResult r;
    r.url = MtaStsPolicyUrl(domain);
    r.ok = true;
    r.http_status = 200;
    r.content_type = "text/plain";
    r.body = body_;
    return r;
  }
  std::atomic<int> fetches{0};

 private:
  std::string body_;
};

std::shared_ptr<OneBodyFetcher> TestingPolicy() {
  return std::make_shared<OneBodyFetcher>(
      "version: STSv1\nmode: testing\nmx: mail.example.com\nmax_age: 86400\n");
}

TEST(MtaStsCollectorTest, ExportsEveryStateForEveryDomain) {
  auto dns = std::make_shared<StaticResolver>();
  dns->SetTexts("_mta-sts.example.com", {"v=STSv1; id=1"});
  dns->SetAddresses("mta-sts.example.com", {"192.0.2.80"});
  dns->SetTargets("example.com", RecordType::kMx, {"mail.example.com"});
  dns->SetTexts("_smtp._tls.example.com", {"v=TLSRPTv1; rua=mailto:a@example.com"});
  dns->SetOutcome("_mta-sts.broken.example", RecordType::kTxt, DnsOutcome::kServFail);
  dns->SetAddresses("mta-sts.broken.example", {"192.0.2.81"});
  dns->SetOutcome("_smtp._tls.broken.example", RecordType::kTxt, DnsOutcome::kTimeout);
  dns->SetTargets("broken.example", RecordType::kMx, {"mail.example.com"});
  auto fetcher = TestingPolicy();
  MtaStsCollector collector({"example.com", "broken.example", "none.example"}, dns, fetcher);
  MetricSet out;
  ASSERT_OK(collector.Collect(TestContext(), &out));
  // 3 domains x (6 status + 3 mode + 1 max_age + 4 TLS-RPT status).
  EXPECT_EQ(out.series_count(), 3u * 14u);

  EXPECT_EQ(Gauge(out, "mailrep_mta_sts_status", "example.com", "status", "valid"), 1);
  EXPECT_EQ(Gauge(out, "mailrep_mta_sts_mode", "example.com", "mode", "testing"), 1);
  EXPECT_EQ(Gauge(out, "mailrep_mta_sts_mode", "example.com", "mode", "enforce"), 0);
  EXPECT_EQ(Gauge(out, "mailrep_mta_sts_max_age_seconds", "example.com"), 86400);
  EXPECT_EQ(Gauge(out, "mailrep_tls_rpt_status", "example.com", "status", "valid"), 1);

  EXPECT_EQ(Gauge(out, "mailrep_mta_sts_status", "broken.example", "status", "dns_error"), 1);
  EXPECT_EQ(Gauge(out, "mailrep_mta_sts_status", "broken.example", "status", "missing"), 0);
  EXPECT_EQ(Gauge(out, "mailrep_tls_rpt_status", "broken.example", "status", "dns_error"), 1);

  EXPECT_EQ(Gauge(out, "mailrep_mta_sts_status", "none.example", "status", "missing"), 1);
  EXPECT_EQ(Gauge(out, "mailrep_mta_sts_mode", "none.example", "mode", "none"), 0);
  EXPECT_EQ(Gauge(out, "mailrep_mta_sts_mode", "none.example", "mode", "testing"), 0);
  EXPECT_EQ(Gauge(out, "mailrep_mta_sts_max_age_seconds", "none.example"), 0);
  EXPECT_EQ(Gauge(out, "mailrep_tls_rpt_status", "none.example", "status", "missing"), 1);
  EXPECT_EQ(fetcher->fetches, 2) << "none.example has no TXT record: no fetch";
}

TEST(MtaStsCollectorTest, ProbeOnlyForConfiguredDomains) {
  auto dns = std::make_shared<StaticResolver>();
  dns->SetTexts("_mta-sts.example.com", {"v=STSv1; id=1"});
  dns->SetAddresses("mta-sts.example.com", {"192.0.2.80"});
  dns->SetTargets("example.com", RecordType::kMx, {"mail.example.com"});
  auto fetcher = TestingPolicy();
  MtaStsCollector collector({"example.com"}, dns, fetcher);
  std::vector<ProbeModule> modules = collector.ProbeModules();
  ASSERT_EQ(modules.size(), 1u);
  EXPECT_EQ(modules[0].name, "mta_sts");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  MetricSet out;
  EXPECT_EQ(modules[0].run({"other.example", {}, deadline, {}}, &out).status().code(),
            Status::Code::kPermissionDenied);
  EXPECT_EQ(modules[0].run({"bad name!", {}, deadline, {}}, &out).status().code(),
            Status::Code::kInvalidArgument);
  EXPECT_TRUE(dns->queries().empty());
  EXPECT_EQ(fetcher->fetches, 0);
  StatusOr<bool> ran = modules[0].run({"EXAMPLE.com.", {}, deadline, {}}, &out);
  ASSERT_OK(ran);
  EXPECT_TRUE(*ran);
  EXPECT_EQ(Gauge(out, "mailrep_mta_sts_status", "example.com", "status", "valid"), 1);
}

TEST(MtaStsCollectorTest, StopCancelsTheRun) {
  auto dns = std::make_shared<StaticResolver>();
  auto fetcher = TestingPolicy();
  MtaStsCollector collector({"example.com"}, dns, fetcher);
  std::stop_source stop;
  stop.request_stop();
  MetricSet out;
  EXPECT_EQ(collector.Collect({stop.get_token(), SteadyTime::max()}, &out).code(),
            Status::Code::kCancelled);
  EXPECT_EQ(fetcher->fetches, 0);
}

TEST(MtaStsCollectorTest, IdleWithoutSenderDomains) {
  Config config;
  CollectorSettings settings;
  ConfigNode options = ConfigNode::EmptyMap("test", "collectors.mta_sts");
  StatusOr<std::unique_ptr<Collector>> c = NewMtaStsCollector({config, settings, ""}, options);
  ASSERT_OK(c);
  MetricSet out;
  ASSERT_OK((*c)->Collect(TestContext(), &out));
  EXPECT_EQ(out.series_count(), 0u);
}

// The factory fetches through the environment's HTTP fetcher, pinned to the
// addresses the environment's DNS engine found, with the configured CA file
// under the root.
TEST(MtaStsCollectorTest, FactoryUsesTheEnvironmentsDnsAndHttp) {
  auto dns = std::make_shared<StaticResolver>();
  dns->SetTexts("_mta-sts.example.com", {"v=STSv1; id=1"});
  dns->SetAddresses("mta-sts.example.com", {"192.0.2.80"});
  dns->SetTargets("example.com", RecordType::kMx, {"mail.example.com"});
  auto http = std::make_shared<FakeHttpFetcher>();
  http->Respond("https://mta-sts.example.com/.well-known/mta-sts.txt",
                FakeHttpFetcher::Ok("version: STSv1\nmode: enforce\nmx: mail.example.com\n"
                                    "max_age: 86400\n"));
  Config config;
  config.senders.resize(1);
  config.senders[0].domains = {"example.com"};
  CollectorSettings settings;
  StatusOr<ConfigNode> options = ConfigNode::Parse("ca_file: /etc/ca.pem\n", "test.yml");
  ASSERT_OK(options);
  StatusOr<std::unique_ptr<Collector>> c = NewMtaStsCollector(
      {config, settings, "/fixture", DnsEngine::ForResolver(dns), Clock::Real(), http}, *options);
  ASSERT_OK(c);
  MetricSet out;
  ASSERT_OK((*c)->Collect(TestContext(), &out));
  EXPECT_EQ(Gauge(out, "mailrep_mta_sts_status", "example.com", "status", "valid"), 1);
  std::vector<HttpFetchRequest> requests = http->requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].ca_file, "/fixture/etc/ca.pem");
  EXPECT_EQ(requests[0].addresses, std::vector<IpAddress>{*IpAddress::Parse("192.0.2.80")});

  ConfigNode no_options = ConfigNode::EmptyMap("test", "collectors.mta_sts");
  EXPECT_FALSE(
      NewMtaStsCollector({config, settings, "", DnsEngine::ForResolver(dns)}, no_options).ok())
      << "sender domains but no HTTP fetcher";
}

TEST(MtaStsCollectorTest, DomainsFromConfigAreDistinctAndNormalized) {
  Config config;
  config.senders.resize(2);
  config.senders[0].domains = {"Example.COM", "b.example"};
  config.senders[1].domains = {"example.com.", "c.example"};
  EXPECT_EQ(MtaStsDomainsFromConfig(config),
            (std::vector<std::string>{"example.com", "b.example", "c.example"}));
}

TEST(MtaStsCollectorTest, RejectsUnknownOptions) {
  Config config;
  CollectorSettings settings;
  StatusOr<ConfigNode> options = ConfigNode::Parse("bogus: 1\n", "test.yml");
  ASSERT_OK(options);
  EXPECT_FALSE(NewMtaStsCollector({config, settings, ""}, *options).ok());
}

}  // namespace
}  // namespace mailrep
