// The snds collector and `check snds` over real HTTPS: libcurl's fetcher
// against a loopback server (libmicrohttpd) whose certificate a test CA made
// with the openssl CLI signs, replaying the documented answers and SNDS's
// failure modes: 404, HTML with 200, 401, 429, a body cut mid-row, slow
// answers, and a server the CA does not vouch for. (A transfer cut short, fewer
// bytes than Content-Length, is libcurl's "partial file": snds_collector_test.)
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "collectors/http_fetch/curl_http_fetcher.h"
#include "collectors/http_fetch/loopback_http_server_testing.h"
#include "collectors/snds/snds_check_command.h"
#include "collectors/snds/snds_collector.h"
#include "collectors/snds/snds_testdata.h"
#include "exporter/core/collector_testing.h"
#include "exporter/http/http_test_support.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;
using testing::LoopbackHttpServer;
using testing::LoopbackReply;
using ::testing::Not;
using testing::SndsTestdata;

constexpr char kKey[] = "8c3f-LOOPBACK-SECRET-41aa";

class SndsHttpsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    for (const char* var :
         {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"}) {
      unsetenv(var);
    }
  }

  void SetUp() override {
    if (!testing::MakeCertificates(tmp_.path())) GTEST_SKIP() << "the openssl CLI failed";
    StatusOr<std::unique_ptr<LoopbackHttpServer>> server =
        LoopbackHttpServer::StartHttps(tmp_.path());
    ASSERT_OK(server);
    server_ = std::move(server).value();
    std::string base = "https://localhost:" + std::to_string(server_->port()) + "/snds/";
    std::ofstream(tmp_.path() + "/snds.url") << base << "data.aspx?key=" << kKey << "\n"
                                             << base << "ipStatus.aspx?key=" << kKey << "\n";
    Serve(DataReply(SndsTestdata("ip_data.csv")), StatusReply());
  }

  static LoopbackReply DataReply(std::string body, std::string type = "text/plain") {
    LoopbackReply reply;
    reply.content_type = std::move(type);
    reply.body = std::move(body);
    return reply;
  }
  static LoopbackReply StatusReply() { return DataReply(SndsTestdata("ip_status.csv")); }
  void Serve(LoopbackReply data, LoopbackReply status) {
    server_->Route("/snds/data.aspx", std::move(data));
    server_->Route("/snds/ipStatus.aspx", std::move(status));
  }

  std::unique_ptr<Collector> Make(const std::string& extra = "") {
    StatusOr<ConfigNode> options = ConfigNode::Parse(
        "url_file: /snds.url\nca_file: /ca.pem\nfetch_timeout: 3s\nips: [192.0.2.12]\n" + extra,
        "test.yml");
    EXPECT_OK(options);
    StatusOr<std::unique_ptr<Collector>> c = NewSndsCollector(
        {config_, settings_, tmp_.path(), nullptr, Clock::Real(), http_}, *options);
    EXPECT_OK(c);
    return c.ok() ? std::move(*c) : nullptr;
  }

  // Runs `c` once; returns the state of the IP data report, checking that
  // neither the metrics nor the log show the key.
  std::string Run(Collector& c, MetricSet* out) {
    ::testing::internal::CaptureStderr();
    EXPECT_OK(c.Collect(TestContext(std::chrono::seconds(20)), out));
    std::string logs = ::testing::internal::GetCapturedStderr();
    EXPECT_THAT(logs, Not(HasSubstr(kKey)));
    for (const auto& family : out->families()) {
      for (const auto& metric : family.metric) {
        for (const auto& label : metric.label) EXPECT_THAT(label.value, Not(HasSubstr(kKey)));
      }
    }
    for (SndsFetchReason r : kAllSndsFetchReasons) {
      std::string name(SndsFetchReasonName(r));
      if (SampleValue(*out, "mailrep_snds_fetch_state", {{"report", "ip_data"}, {"state", name}}) ==
          1) {
        return name;
      }
    }
    return "none";
  }

  ScopedTempDir tmp_{"snds_https"};
  Config config_;
  CollectorSettings settings_;
  std::shared_ptr<HttpFetcher> http_ = NewCurlHttpFetcher();
  std::unique_ptr<LoopbackHttpServer> server_;
};

TEST_F(SndsHttpsTest, DocumentedReportsThenEveryFailureKeepsThem) {
  std::unique_ptr<Collector> c = Make();
  MetricSet first;
  ASSERT_EQ(Run(*c, &first), "ok");
  EXPECT_EQ(SampleValue(first, "mailrep_snds_trap_hits", {{"ip", "192.0.2.12"}}), 57);
  EXPECT_EQ(
      SampleValue(first, "mailrep_snds_filter_result", {{"ip", "192.0.2.12"}, {"result", "red"}}),
      1);
  EXPECT_EQ(SampleValue(first, "mailrep_snds_blocked", {{"ip", "192.0.2.12"}}), 0);
  EXPECT_EQ(server_->last("/snds/data.aspx").headers["user-agent"], "mailrep_exporter");

  std::string good = SndsTestdata("ip_data.csv");
  LoopbackReply not_found = DataReply("not found", "text/plain");
  not_found.status = 404;
  LoopbackReply unauthorized = DataReply("", "");
  unauthorized.status = 401;
  LoopbackReply limited = DataReply("Too many requests", "text/plain");
  limited.status = 429;
  limited.headers = {{"Retry-After", "3600"}};
  LoopbackReply slow = DataReply(good);
  slow.delay = std::chrono::seconds(10);
  struct Case {
    LoopbackReply reply;
    const char* state;
  } cases[] = {
      {not_found, "no_data"},
      {DataReply(SndsTestdata("login.html"), "text/html; charset=utf-8"), "html"},
      {DataReply(SndsTestdata("login.html"), "text/plain"), "html"},
      {unauthorized, "unauthorized"},
      {limited, "rate_limited"},
      {DataReply(good.substr(0, good.size() - 60)), "truncated"},
      {slow, "timeout"},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.state);
    Serve(k.reply, StatusReply());
    MetricSet out;
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(Run(*c, &out), k.state);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(8));
    EXPECT_EQ(SampleValue(out, "mailrep_snds_trap_hits", {{"ip", "192.0.2.12"}}), 57);
    EXPECT_EQ(
        SampleValue(out, "mailrep_snds_fetch_state", {{"report", "ip_status"}, {"state", "ok"}}),
        1);
  }
}

TEST_F(SndsHttpsTest, AServerTheCaDoesNotVouchForIsANetworkError) {
  StatusOr<ConfigNode> options =
      ConfigNode::Parse("url_file: /snds.url\nips: [192.0.2.12]\nfetch_timeout: 3s\n", "test.yml");
  ASSERT_OK(options);
  StatusOr<std::unique_ptr<Collector>> system_store =
      NewSndsCollector({config_, settings_, tmp_.path(), nullptr, Clock::Real(), http_}, *options);
  ASSERT_OK(system_store);
  MetricSet out;
  EXPECT_EQ(Run(**system_store, &out), "network");
  EXPECT_EQ(SampleCount(out, "mailrep_snds_trap_hits"), 0u);
}

TEST_F(SndsHttpsTest, CheckCommandOverHttps) {
  std::ostringstream out, err;
  CheckCommandContext ctx{{"--url-file", tmp_.path() + "/snds.url", "--ca-file",
                           tmp_.path() + "/ca.pem", "--ip", "192.0.2.10", "--format", "json"},
                          "",
                          "",
                          out,
                          err};
  ctx.http = http_;
  EXPECT_EQ(kSndsCheckCommand.run(ctx), 1);  // 192.0.2.10 is blocked
  EXPECT_THAT(out.str(), HasSubstr("{\"ips\": [{\"ip\": \"192.0.2.10\", \"filter_result\": "
                                   "\"green\", \"blocked\": true, \"complaint_rate\": 0.001, "));
  EXPECT_THAT(out.str(), HasSubstr("\"ip_data\": \"ok\", \"ip_status\": \"ok\"}"));

  LoopbackReply html = DataReply(SndsTestdata("login.html"), "text/html");
  Serve(html, html);
  std::ostringstream text, err2;
  CheckCommandContext ctx2{
      {"--url-file", tmp_.path() + "/snds.url", "--ca-file", tmp_.path() + "/ca.pem"},
      "",
      "",
      text,
      err2};
  ctx2.http = http_;
  EXPECT_EQ(kSndsCheckCommand.run(ctx2), 1);
  EXPECT_THAT(text.str(), HasSubstr("SNDS ip_data: html"));
  EXPECT_THAT(text.str() + err.str() + err2.str(), Not(HasSubstr(kKey)));
}

}  // namespace
}  // namespace mailrep
