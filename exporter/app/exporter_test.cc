#include "exporter/app/exporter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <thread>

#include "collectors/http_fetch/http_fetcher_testing.h"
#include "collectors/registry.h"
#include "exporter/http/http_test_support.h"
#include "exporter/util/testing/gunzip.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Emits its configured `value`; offers a probe module "echo".
class FakeCollector : public Collector {
 public:
  explicit FakeCollector(int64_t value) : value_(value) {}
  Status Collect(const CollectContext&, MetricSet* out) override {
    out->AddGauge("test_value", "The configured value.", {}, static_cast<double>(value_));
    return Status::OK();
  }
  std::vector<ProbeModule> ProbeModules() override {
    return {{"echo", "Succeeds for target ok.",
             [](const ProbeRequest& request, MetricSet* out) -> StatusOr<bool> {
               if (request.target == "forbidden") return Status::PermissionDenied("not allowed");
               out->AddGauge("echo_target_length", "Length.", {},
                             static_cast<double>(request.target.size()));
               return request.target == "ok";
             }},
            {"wait", "Waits for its deadline or a stop request.",
             [](const ProbeRequest& request, MetricSet*) -> StatusOr<bool> {
               while (!request.stop.stop_requested() &&
                      std::chrono::steady_clock::now() < request.deadline) {
                 std::this_thread::sleep_for(milliseconds(5));
               }
               return false;
             }}};
  }

 private:
  int64_t value_;
};

StatusOr<std::unique_ptr<Collector>> NewFake(const CollectorEnv&, ConfigNode& options) {
  int64_t value = options.GetInt("value", 1, 0, 1000);
  if (Status s = options.Finish(); !s.ok()) return s;
  return std::unique_ptr<Collector>(new FakeCollector(value));
}

// Counts its runs in a counter that a changed instance adopts on reload.
class CountingCollector : public Collector {
 public:
  Status Collect(const CollectContext&, MetricSet* out) override {
    out->AddCounter("test_runs_total", "Runs.", {}, static_cast<double>(++runs_));
    return Status::OK();
  }
  void AdoptState(Collector& previous) override {
    runs_ = dynamic_cast<CountingCollector&>(previous).runs_;
  }

 private:
  int runs_ = 0;
};

StatusOr<std::unique_ptr<Collector>> NewCounting(const CollectorEnv&, ConfigNode& options) {
  (void)options.GetInt("tag", 0, 0, 1000);
  if (Status s = options.Finish(); !s.ok()) return s;
  return std::unique_ptr<Collector>(new CountingCollector());
}

std::vector<CollectorSpec> Specs() {
  return {{{"fake", true, seconds(1), milliseconds(500)}, "Fake.", NewFake, {}},
          {{"counting", false, seconds(60), seconds(1)}, "Counting.", NewCounting, {}}};
}

class ExporterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.Path("config.yml");
    WriteConfig("collectors:\n  fake: {interval: 1s, value: 7}\n");
    flags_.config_file = path_;
    flags_.listen_addresses = {"127.0.0.1:0"};
  }
  void WriteConfig(const std::string& text) { std::ofstream(path_) << text; }

  HttpResponse Get(Exporter& e, const std::string& path,
                   std::map<std::string, std::string> query = {}, std::string method = "GET",
                   std::map<std::string, std::string> headers = {}, std::stop_token stop = {}) {
    HttpRequest r;
    r.method = std::move(method);
    r.path = path;
    r.query = std::move(query);
    r.headers = std::move(headers);
    r.stop = std::move(stop);
    HttpResponse response = e.Handle(r);
    response.InlineTail();
    return response;
  }

  bool WaitForBody(Exporter& e, const std::string& path, const std::string& needle) {
    for (int i = 0; i < 500; ++i) {
      if (Get(e, path).body.find(needle) != std::string::npos) return true;
      std::this_thread::sleep_for(milliseconds(10));
    }
    return false;
  }

  ScopedTempDir dir_{"exporter"};
  std::string path_;
  Flags flags_;
};

TEST_F(ExporterTest, ServesRoutes) {
  Exporter e(flags_, Specs(), {"1.0", "rev"});
  ASSERT_OK(e.Start());
  ASSERT_EQ(e.BoundAddresses().size(), 1u);
  EXPECT_EQ(Get(e, "/-/healthy").status, 200);
  ASSERT_TRUE(WaitForBody(e, "/metrics", "test_value 7"));
  EXPECT_EQ(Get(e, "/-/ready").status, 200);
  HttpResponse metrics = Get(e, "/metrics");
  EXPECT_EQ(metrics.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_TRUE(metrics.compressible);
  EXPECT_NE(metrics.body.find("mailrep_build_info{version=\"1.0\",revision=\"rev\"} 1"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("mailrep_collector_success{collector=\"fake\"} 1"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("process_open_fds"), std::string::npos);
  // Without collectors.reports.tlsrpt_intake there is no intake.
  EXPECT_EQ(metrics.body.find("mailrep_tlsrpt_intake"), std::string::npos);
  EXPECT_TRUE(e.IntakeAddresses().empty());
  EXPECT_EQ(Get(e, "/").status, 200);
  EXPECT_NE(Get(e, "/").body.find("fake"), std::string::npos);
  EXPECT_EQ(Get(e, "/nope").status, 404);
  EXPECT_EQ(Get(e, "/metrics", {}, "POST").status, 405);
  EXPECT_EQ(Get(e, "/-/reload").status, 405);
  e.Stop();
}

// A gzip scrape is the self-metrics compressed per scrape joined with the
// collectors' part deflated in advance: it must read as the plain text does.
TEST_F(ExporterTest, GzipMetricsDecompressToThePlainText) {
  Exporter e(flags_, Specs(), {"1.0", "rev"});
  ASSERT_OK(e.Start());
  ASSERT_TRUE(WaitForBody(e, "/metrics", "test_value 7"));
  std::string url = "http://" + e.BoundAddresses()[0] + "/metrics";
  testing::HttpClient client;
  testing::FetchResult plain = client.Fetch(url);
  testing::FetchOptions raw;
  raw.headers = {"Accept-Encoding: gzip"};
  testing::FetchResult zipped = client.Fetch(url, raw);
  ASSERT_EQ(zipped.curl_code, 0) << zipped.error;
  EXPECT_EQ(zipped.headers["content-encoding"], "gzip");
  EXPECT_EQ(plain.headers.count("content-encoding"), 0u);
  std::string text = testing::ZlibGunzip(zipped.body);
  EXPECT_EQ(testing::PythonGunzip(zipped.body), text);
  // The self-metrics (first) change between scrapes; the collectors' part
  // (from the first collector family on) is the same snapshot's text.
  size_t at = text.find("# HELP test_value");
  ASSERT_NE(at, std::string::npos) << text;
  EXPECT_EQ(text.substr(at), plain.body.substr(plain.body.find("# HELP test_value")));
  EXPECT_EQ(text.find("# HELP mailrep_build_info"), plain.body.find("# HELP mailrep_build_info"));
  e.Stop();
}

TEST_F(ExporterTest, ProbeValidatesModuleAndTarget) {
  Exporter e(flags_, Specs(), {"1.0", "rev"});
  ASSERT_OK(e.Start());
  EXPECT_EQ(Get(e, "/probe", {{"target", "ok"}}).status, 400);
  HttpResponse unknown = Get(e, "/probe", {{"module", "nope"}, {"target", "ok"}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_NE(unknown.body.find("Unknown module \"nope\" (enabled modules: echo, wait)"),
            std::string::npos);
  EXPECT_EQ(Get(e, "/probe", {{"module", "echo"}}).status, 400);
  EXPECT_EQ(Get(e, "/probe", {{"module", "echo"}, {"target", "forbidden"}}).status, 403);
  HttpResponse ok = Get(e, "/probe", {{"module", "echo"}, {"target", "ok"}});
  EXPECT_EQ(ok.status, 200);
  EXPECT_NE(ok.body.find("probe_success 1"), std::string::npos);
  EXPECT_NE(ok.body.find("echo_target_length 2"), std::string::npos);
  EXPECT_EQ(ok.body.find("mailrep_build_info"), std::string::npos)
      << "self metrics stay off /probe";
  EXPECT_NE(Get(e, "/probe", {{"module", "echo"}, {"target", "bad"}}).body.find("probe_success 0"),
            std::string::npos);
}

TEST_F(ExporterTest, ProbeTimeoutHeaderIsClampedAndNonFiniteRefused) {
  Exporter e(flags_, Specs(), {"1.0", "rev"});
  ASSERT_OK(e.Start());
  auto probe = [&](const std::string& announced) {
    return Get(e, "/probe", {{"module", "echo"}, {"target", "ok"}}, "GET",
               {{"x-prometheus-scrape-timeout-seconds", announced}});
  };
  for (const char* bad : {"inf", "-inf", "nan", "1e999"}) {
    HttpResponse r = probe(bad);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_NE(r.body.find("not a finite number"), std::string::npos) << r.body;
  }
  struct Case {
    const char* announced;
    const char* expected;
  } cases[] = {{"1e300", "probe_timeout_seconds 120\n"},
               {"30", "probe_timeout_seconds 29.5\n"},
               {"0.2", "probe_timeout_seconds 0.1\n"},
               {"-5", "probe_timeout_seconds 10\n"},
               {"soon", "probe_timeout_seconds 10\n"}};
  for (const Case& c : cases) {
    HttpResponse r = probe(c.announced);
    EXPECT_EQ(r.status, 200) << c.announced;
    EXPECT_NE(r.body.find(c.expected), std::string::npos) << c.announced << ":\n" << r.body;
  }
}

TEST_F(ExporterTest, ProbeEndsWhenTheRequestIsCancelled) {
  Exporter e(flags_, Specs(), {"1.0", "rev"});
  ASSERT_OK(e.Start());
  std::stop_source stop;
  std::thread canceller([&] {
    std::this_thread::sleep_for(milliseconds(100));
    stop.request_stop();
  });
  auto start = std::chrono::steady_clock::now();
  HttpResponse r =
      Get(e, "/probe", {{"module", "wait"}, {"target", "x"}}, "GET", {}, stop.get_token());
  canceller.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(5)) << "default timeout is 10 s";
  EXPECT_NE(r.body.find("probe_success 0"), std::string::npos) << r.body;
}

TEST_F(ExporterTest, ReloadAppliesGoodConfigAndKeepsOldOnBadOne) {
  Exporter e(flags_, Specs(), {"1.0", "rev"});
  ASSERT_OK(e.Start());
  ASSERT_TRUE(WaitForBody(e, "/metrics", "test_value 7"));

  WriteConfig("collectors:\n  fake: {interval: 1s, value: 8}\n");
  EXPECT_EQ(Get(e, "/-/reload", {}, "POST").status, 200);
  ASSERT_TRUE(WaitForBody(e, "/metrics", "test_value 8"));
  EXPECT_NE(Get(e, "/metrics").body.find("mailrep_config_last_reload_successful 1"),
            std::string::npos);

  WriteConfig("collectors:\n  fake: {interval: 1s, value: 9999}\n");
  HttpResponse failed = Get(e, "/-/reload", {}, "POST");
  EXPECT_EQ(failed.status, 500);
  EXPECT_NE(failed.body.find(path_ + ":2:"), std::string::npos) << failed.body;
  std::string metrics = Get(e, "/metrics").body;
  EXPECT_NE(metrics.find("mailrep_config_last_reload_successful 0"), std::string::npos);
  EXPECT_NE(metrics.find("test_value 8"), std::string::npos);
  EXPECT_EQ(Get(e, "/-/ready").status, 200);

  WriteConfig("collectors:\n  fake: {enabled: false}\n");
  EXPECT_OK(e.Reload());
  metrics = Get(e, "/metrics").body;
  EXPECT_EQ(metrics.find("test_value"), std::string::npos);
  EXPECT_EQ(metrics.find("mailrep_collector_success{collector=\"fake\"}"), std::string::npos);
}

TEST_F(ExporterTest, ReloadKeepsUnchangedCollectorsWithoutRerunningThem) {
  WriteConfig("collectors:\n  fake: {interval: 1s, value: 7}\n  counting: {enabled: true}\n");
  Exporter e(flags_, Specs(), {"1.0", "rev"});
  ASSERT_OK(e.Start());
  ASSERT_TRUE(WaitForBody(e, "/metrics", "test_runs_total 1"));
  ASSERT_TRUE(WaitForBody(e, "/metrics", "test_value 7"));

  // Comments, layout, and another collector's section: "counting" is kept.
  WriteConfig("# edited\ncollectors:\n  counting:\n    enabled: true\n  fake: {value: 8}\n");
  ASSERT_OK(e.Reload());
  ASSERT_OK(e.Reload());
  ASSERT_TRUE(WaitForBody(e, "/metrics", "test_value 8"));
  EXPECT_EQ(Get(e, "/probe", {{"module", "echo"}, {"target", "ok"}}).status, 200);
  std::this_thread::sleep_for(milliseconds(1200));  // past any first-run delay
  std::string metrics = Get(e, "/metrics").body;
  EXPECT_NE(metrics.find("test_runs_total 1\n"), std::string::npos) << "re-ran on reload";
  EXPECT_NE(metrics.find("mailrep_collector_runs_total{collector=\"counting\"} 1"),
            std::string::npos);

  // Its own section changed: a new instance that adopts the count and keeps
  // the 60s schedule (so no run yet).
  WriteConfig("collectors:\n  counting: {enabled: true, tag: 2}\n  fake: {value: 8}\n");
  ASSERT_OK(e.Reload());
  std::this_thread::sleep_for(milliseconds(1200));
  metrics = Get(e, "/metrics").body;
  EXPECT_NE(metrics.find("test_runs_total 1\n"), std::string::npos);
  EXPECT_NE(metrics.find("mailrep_collector_runs_total{collector=\"counting\"} 1"),
            std::string::npos);

  // An empty file is an error, not the defaults.
  WriteConfig("# nothing\n");
  Status empty = e.Reload();
  EXPECT_FALSE(empty.ok());
  EXPECT_NE(empty.message().find("has no settings"), std::string::npos) << empty.message();
  e.Stop();
}

TEST_F(ExporterTest, StartFailsOnBadConfigNamingTheFile) {
  WriteConfig("collectors:\n  fake: {value: -1}\n");
  Exporter e(flags_, Specs(), {"1.0", "rev"});
  Status s = e.Start();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find(path_ + ":2:"), std::string::npos) << s.message();
}

TEST_F(ExporterTest, GenericAndCollectorErrorsComeInOnePassInDocumentOrder) {
  WriteConfig(
      "collectors:\n"
      "  fake: {value: -1}\n"
      "senders:\n"
      "  - ips: [192.0.2.300]\n"
      "dns: {timeout: 0s}\n");
  StatusOr<LoadedConfig> loaded = LoadConfig(flags_, Specs());
  ASSERT_FALSE(loaded.ok());
  std::string m = loaded.status().message();
  size_t fake = m.find(path_ + ":2:");
  size_t ip = m.find(path_ + ":4:");
  size_t dns = m.find(path_ + ":5:");
  ASSERT_NE(fake, std::string::npos) << "the collector's own error too:\n" << m;
  ASSERT_NE(ip, std::string::npos) << m;
  ASSERT_NE(dns, std::string::npos) << m;
  EXPECT_LT(fake, ip) << m;
  EXPECT_LT(ip, dns) << m;
}

TEST_F(ExporterTest, SyntaxErrorsStillComeAlone) {
  WriteConfig("collectors: [\n");
  StatusOr<LoadedConfig> loaded = LoadConfig(flags_, Specs());
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().message().find("YAML syntax error"), std::string::npos)
      << loaded.status().message();
}

TEST_F(ExporterTest, FlagOverrideDisablesCollector) {
  flags_.collector_overrides["fake"] = false;
  StatusOr<LoadedConfig> loaded = LoadConfig(flags_, Specs());
  ASSERT_OK(loaded);
  EXPECT_TRUE(loaded->collectors.empty());
}

TEST_F(ExporterTest, ReloadKeepsTheDnsEngineUnlessTheDnsSectionChanged) {
  WriteConfig("dns: {servers: [127.0.0.1:9], timeout: 1s}\ncollectors:\n  fake: {value: 1}\n");
  StatusOr<LoadedConfig> first = LoadConfig(flags_, Specs());
  ASSERT_OK(first);
  ASSERT_NE(first->dns, nullptr);

  WriteConfig("dns: {servers: [127.0.0.1:9], timeout: 1s}\ncollectors:\n  fake: {value: 2}\n");
  StatusOr<LoadedConfig> same_dns = LoadConfig(flags_, Specs(), first->dns);
  ASSERT_OK(same_dns);
  EXPECT_EQ(same_dns->dns, first->dns);

  WriteConfig("dns: {servers: [127.0.0.1:9], timeout: 2s}\ncollectors:\n  fake: {value: 2}\n");
  StatusOr<LoadedConfig> new_dns = LoadConfig(flags_, Specs(), first->dns);
  ASSERT_OK(new_dns);
  EXPECT_NE(new_dns->dns, first->dns);
  EXPECT_EQ(new_dns->dns->config().timeout, seconds(2));
}

TEST_F(ExporterTest, EveryCollectorGetsTheProcessHttpFetcher) {
  WriteConfig("collectors:\n  fake: {value: 1}\n");
  std::vector<std::shared_ptr<HttpFetcher>> seen;
  std::vector<CollectorSpec> specs = Specs();
  specs[0].factory = [&seen](const CollectorEnv& env, ConfigNode& options) {
    seen.push_back(env.http);
    return NewFake(env, options);
  };
  auto http = std::make_shared<FakeHttpFetcher>();
  StatusOr<LoadedConfig> first = LoadConfig(flags_, specs, nullptr, Clock::Real(), http);
  ASSERT_OK(first);
  WriteConfig("collectors:\n  fake: {value: 2}\n");
  StatusOr<LoadedConfig> reloaded = LoadConfig(flags_, specs, first->dns, Clock::Real(), http);
  ASSERT_OK(reloaded);
  EXPECT_EQ(first->http, http);
  EXPECT_EQ(reloaded->http, http);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], http);
  EXPECT_EQ(seen[1], http);

  StatusOr<LoadedConfig> standalone = LoadConfig(flags_, Specs());  // e.g. --config.check
  ASSERT_OK(standalone);
  EXPECT_NE(standalone->http, nullptr);
}

// The store of sending IPs seen is the process's: every collector gets the
// same one, and a reload keeps it with what it holds.
TEST_F(ExporterTest, SeenSendingIpsSurviveAReload) {
  std::vector<std::shared_ptr<SeenSendingIps>> seen;
  std::vector<CollectorSpec> specs = Specs();
  specs[0].factory = [&seen](const CollectorEnv& env, ConfigNode& options) {
    seen.push_back(env.seen_sending_ips);
    // What the delivery collector would note: 11.0.0.<value>.
    int64_t value = options.GetInt("value", 1, 0, 1000);
    env.seen_sending_ips->Record("11.0.0." + std::to_string(value), env.clock->UnixSeconds());
    return NewFake(env, options);
  };
  Exporter e(flags_, specs, {"1.0", "rev"});
  ASSERT_OK(e.Start());
  ASSERT_TRUE(WaitForBody(e, "/metrics", "test_value 7"));
  EXPECT_NE(Get(e, "/metrics").body.find("\nmailrep_seen_sending_ips 1\n"), std::string::npos);

  WriteConfig("collectors:\n  fake: {interval: 1s, value: 8}\n");
  ASSERT_OK(e.Reload());
  std::string body = Get(e, "/metrics").body;
  EXPECT_NE(body.find("\nmailrep_seen_sending_ips 2\n"), std::string::npos) << body;
  EXPECT_NE(body.find("\nmailrep_seen_sending_ips_dropped_total 0\n"), std::string::npos);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_NE(seen[0], nullptr);
  EXPECT_EQ(seen[0], seen[1]);
  e.Stop();
}

// Without DNS targets the engine never starts: no thread, no query.
TEST_F(ExporterTest, NoDnsEngineWithoutDnsChecks) {
  Exporter e(flags_, Specs(), {"1.0", "rev"});
  ASSERT_OK(e.Start());
  ASSERT_TRUE(WaitForBody(e, "/metrics", "test_value 7"));
  std::string body = Get(e, "/metrics").body;
  EXPECT_NE(body.find("\nmailrep_dns_engines 0\n"), std::string::npos) << body;
  EXPECT_NE(body.find("\nmailrep_dns_queries_total 0\n"), std::string::npos) << body;
  e.Stop();
}

// Every DNS collector on, each with targets: they share one engine (one
// c-ares channel and thread), kept across a reload that leaves `dns` alone.
TEST_F(ExporterTest, AllDnsCollectorsShareOneDnsEngine) {
  const std::vector<std::string> dns_collectors = {"spf", "dkim",    "dmarc",
                                                   "ptr", "mta_sts", "dnsbl"};
  std::string config =
      "dns: {servers: [127.0.0.1:9], timeout: 1s}\n"
      "senders:\n"
      "  - ips: [192.0.2.1]\n"
      "    helo: mail.example.test\n"
      "    domains: [example.test]\n"
      "    dkim: [{selector: s1, domain: example.test}]\n"
      "collectors:\n";
  for (const CollectorSpec& spec : AllCollectors()) {
    const std::string& name = spec.defaults.name;
    bool dns =
        std::find(dns_collectors.begin(), dns_collectors.end(), name) != dns_collectors.end();
    flags_.collector_overrides[name] = dns;
    if (dns) config += "  " + name + ": {interval: 1h, timeout: 20s}\n";
  }
  WriteConfig(config);
  Exporter e(flags_, AllCollectors(), {"1.0", "rev"});
  Status started = e.Start();
  ASSERT_OK(started);
  for (const std::string& name : dns_collectors) {
    ASSERT_TRUE(
        WaitForBody(e, "/metrics", "mailrep_collector_runs_total{collector=\"" + name + "\"} 1"))
        << name << " did not run:\n"
        << Get(e, "/metrics").body;
  }
  std::string body = Get(e, "/metrics").body;
  EXPECT_NE(body.find("\nmailrep_dns_engines 1\n"), std::string::npos) << body;
  EXPECT_EQ(body.find("\nmailrep_dns_queries_total 0\n"), std::string::npos) << body;

  // dnsbl changes (it runs again at once, on the kept engine), `dns` does not.
  std::string changed = config;
  changed.replace(changed.find("dnsbl: {interval: 1h, timeout: 20s}"), 35,
                  "dnsbl: {interval: 1h, timeout: 21s}");
  WriteConfig(changed);
  ASSERT_OK(e.Reload());
  (void)WaitForBody(e, "/metrics", "mailrep_collector_runs_total{collector=\"dnsbl\"} 2");
  body = Get(e, "/metrics").body;
  EXPECT_NE(body.find("\nmailrep_dns_engines 1\n"), std::string::npos) << body;
  e.Stop();
}

}  // namespace
}  // namespace mailrep
