// The postmaster collector and `check postmaster` over real HTTPS: libcurl's
// fetcher against a loopback server (libmicrohttpd) whose certificate a test
// CA signs, playing both Google's token endpoint and the Postmaster Tools API:
// the documented answers, a token refresh, a 401 on an expired token (one
// refresh, then success), 429, a body cut short, a slow answer, HTML with 200
// and JSON that is not the documented shape.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "collectors/http_fetch/curl_http_fetcher.h"
#include "collectors/http_fetch/loopback_http_server_testing.h"
#include "collectors/postmaster/postmaster_check_command.h"
#include "collectors/postmaster/postmaster_collector.h"
#include "collectors/postmaster/postmaster_testdata.h"
#include "exporter/core/collector_testing.h"
#include "exporter/http/http_test_support.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using ::testing::HasSubstr;
using testing::LoopbackHttpServer;
using testing::LoopbackReply;
using testing::LoopbackRequest;
using ::testing::Not;
using testing::PostmasterTestdata;

constexpr char kSecret[] = "GOCSPX-LOOPBACK-CLIENT-SECRET";
constexpr char kRefresh[] = "1//0gLOOPBACK-REFRESH-TOKEN-secret";
const std::string kStatsPath = "/v2/domains/example.com/domainStats:query";
const std::string kCompliancePath = "/v2/domains/example.com/complianceStatus";

class PostmasterHttpsTest : public ::testing::Test {
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
    base_ = "https://localhost:" + std::to_string(server_->port());
    std::ofstream(tmp_.path() + "/creds.json") << PostmasterTestdata("authorized_user.json");
    // The token endpoint hands out "ya29.loopback-N"; the API accepts only
    // the newest one.
    server_->Route("/token", [this](const LoopbackRequest& r) {
      LoopbackReply reply;
      reply.content_type = "application/json; charset=utf-8";
      bool good =
          r.method == "POST" && r.headers.count("content-type") &&
          r.headers.at("content-type") == "application/x-www-form-urlencoded" &&
          r.body.find("grant_type=refresh_token") != std::string::npos &&
          r.body.find("refresh_token=1%2F%2F0gLOOPBACK-REFRESH-TOKEN-secret") != std::string::npos;
      if (!good) {
        reply.status = 400;
        reply.body = "{\"error\": \"invalid_request\"}";
        return reply;
      }
      reply.body = "{\"access_token\": \"ya29.loopback-" + std::to_string(++tokens_) +
                   "\", \"expires_in\": 3599, \"token_type\": \"Bearer\"}";
      return reply;
    });
    ServeApi(Json(PostmasterTestdata("domain_stats.json")),
             Json(PostmasterTestdata("compliance_status.json")));
  }

  static LoopbackReply Json(std::string body, int status = 200,
                            std::string type = "application/json; charset=UTF-8") {
    LoopbackReply reply;
    reply.status = status;
    reply.content_type = std::move(type);
    reply.body = std::move(body);
    return reply;
  }
  // Behind the bearer check: a request without the newest token gets 401.
  LoopbackHttpServer::Handler Authorized(LoopbackReply reply) {
    return [this, reply](const LoopbackRequest& r) {
      auto auth = r.headers.find("authorization");
      if (auth == r.headers.end() ||
          auth->second != "Bearer ya29.loopback-" + std::to_string(tokens_.load())) {
        return Json("{\"error\": {\"code\": 401, \"status\": \"UNAUTHENTICATED\"}}", 401);
      }
      return reply;
    };
  }
  void ServeApi(LoopbackReply stats, LoopbackReply compliance) {
    server_->Route(kStatsPath, Authorized(std::move(stats)));
    server_->Route(kCompliancePath, Authorized(std::move(compliance)));
  }

  std::unique_ptr<Collector> Make() {
    StatusOr<ConfigNode> options = ConfigNode::Parse(
        "credentials_file: /creds.json\nca_file: /ca.pem\nfetch_timeout: 3s\n"
        "domains: [example.com]\ntoken_url: " +
            base_ + "/token\napi_url: " + base_ + "/\n",
        "test.yml");
    EXPECT_OK(options);
    StatusOr<std::unique_ptr<Collector>> c = NewPostmasterCollector(
        {config_, settings_, tmp_.path(), nullptr, Clock::Real(), http_}, *options);
    EXPECT_OK(c);
    return c.ok() ? std::move(*c) : nullptr;
  }

  // Runs `c` once; returns the domain_stats state, checking that neither the
  // metrics nor the log show a secret.
  std::string Run(Collector& c, MetricSet* out) {
    ::testing::internal::CaptureStderr();
    EXPECT_OK(c.Collect(TestContext(std::chrono::seconds(20)), out));
    std::string logs = ::testing::internal::GetCapturedStderr();
    for (const char* secret : {kSecret, kRefresh, "ya29.loopback"}) {
      EXPECT_THAT(logs, Not(HasSubstr(secret)));
      for (const auto& family : out->families()) {
        for (const auto& metric : family.metric) {
          for (const auto& label : metric.label) EXPECT_THAT(label.value, Not(HasSubstr(secret)));
        }
      }
    }
    for (PostmasterFetchReason r : kAllPostmasterFetchReasons) {
      std::string name(PostmasterFetchReasonName(r));
      if (SampleValue(*out, "mailrep_postmaster_fetch_state",
                      {{"domain", "example.com"}, {"request", "domain_stats"}, {"state", name}}) ==
          1) {
        return name;
      }
    }
    return "none";
  }

  ScopedTempDir tmp_{"postmaster_https"};
  Config config_;
  CollectorSettings settings_;
  std::shared_ptr<HttpFetcher> http_ = NewCurlHttpFetcher();
  std::unique_ptr<LoopbackHttpServer> server_;
  std::string base_;
  std::atomic<int> tokens_{0};
};

TEST_F(PostmasterHttpsTest, DocumentedAnswersThenEveryFailureKeepsThem) {
  std::unique_ptr<Collector> c = Make();
  MetricSet first;
  ASSERT_EQ(Run(*c, &first), "ok");
  EXPECT_EQ(SampleValue(first, "mailrep_postmaster_spam_ratio", {{"domain", "example.com"}}),
            0.0015);
  EXPECT_EQ(SampleValue(first, "mailrep_postmaster_compliant",
                        {{"domain", "example.com"}, {"requirement", "dmarc_alignment"}}),
            0);
  EXPECT_EQ(server_->hits("/token"), 1);
  LoopbackRequest query = server_->last(kStatsPath);
  EXPECT_EQ(query.method, "POST");
  EXPECT_THAT(query.body, HasSubstr("\"metricDefinitions\": [{\"name\": \"spam_rate\", "
                                    "\"baseMetric\": {\"standardMetric\": \"SPAM_RATE\"}}"));
  EXPECT_EQ(server_->last(kCompliancePath).method, "GET");

  std::string good = PostmasterTestdata("domain_stats.json");
  LoopbackReply limited =
      Json("{\"error\": {\"code\": 429, \"status\": \"RESOURCE_EXHAUSTED\"}}", 429);
  limited.headers = {{"Retry-After", "60"}};
  LoopbackReply slow = Json(good);
  slow.delay = std::chrono::seconds(10);
  struct Case {
    LoopbackReply reply;
    const char* state;
  } cases[] = {
      {limited, "http_429"},
      {Json(good.substr(0, good.size() - 40)), "malformed"},  // the body cut short
      {slow, "timeout"},
      {Json("<html><body>Sign in - Google Accounts</body></html>", 200, "text/html"), "html"},
      {Json("{\"domainStats\": [\"spam_rate\", 0.001]}"), "malformed"},
      {Json("{\"domainStats\": ", 200), "malformed"},
      {Json("{\"error\": {\"code\": 500, \"status\": \"INTERNAL\"}}", 500), "http_5xx"},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.state);
    ServeApi(k.reply, Json(PostmasterTestdata("compliance_status.json")));
    MetricSet out;
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(Run(*c, &out), k.state);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(8));
    EXPECT_EQ(SampleValue(out, "mailrep_postmaster_spam_ratio", {{"domain", "example.com"}}),
              0.0015);
    EXPECT_EQ(
        SampleValue(out, "mailrep_postmaster_fetch_state",
                    {{"domain", "example.com"}, {"request", "compliance_status"}, {"state", "ok"}}),
        1);
  }
  EXPECT_EQ(server_->hits("/token"), 1);  // the token outlived every failure
}

TEST_F(PostmasterHttpsTest, AnExpiredTokenIsRefreshedOnceThenTheRequestSucceeds) {
  std::unique_ptr<Collector> c = Make();
  MetricSet first;
  ASSERT_EQ(Run(*c, &first), "ok");
  tokens_ = 7;  // Google expired ya29.loopback-1: the next token is the only good one
  MetricSet out;
  EXPECT_EQ(Run(*c, &out), "ok");
  EXPECT_EQ(server_->hits("/token"), 2);
  EXPECT_EQ(SampleValue(out, "mailrep_postmaster_token_refreshes_total", {{"result", "ok"}}), 2);
  EXPECT_EQ(server_->last(kCompliancePath).headers["authorization"], "Bearer ya29.loopback-8");
}

TEST_F(PostmasterHttpsTest, ARefusedRefreshTokenIsOauth) {
  std::ofstream(tmp_.path() + "/creds.json")
      << "{\"type\": \"authorized_user\", \"client_id\": \"id\", \"client_secret\": \"" << kSecret
      << "\", \"refresh_token\": \"1//0g-REVOKED-token\"}";
  std::unique_ptr<Collector> c = Make();
  MetricSet out;
  EXPECT_EQ(Run(*c, &out), "oauth");
  EXPECT_EQ(SampleValue(out, "mailrep_postmaster_token_refreshes_total", {{"result", "failed"}}),
            2);
}

TEST_F(PostmasterHttpsTest, AServerTheCaDoesNotVouchForIsANetworkError) {
  StatusOr<ConfigNode> options = ConfigNode::Parse(
      "credentials_file: /creds.json\nfetch_timeout: 3s\ndomains: [example.com]\ntoken_url: " +
          base_ + "/token\napi_url: " + base_ + "/\n",
      "test.yml");
  ASSERT_OK(options);
  StatusOr<std::unique_ptr<Collector>> c = NewPostmasterCollector(
      {config_, settings_, tmp_.path(), nullptr, Clock::Real(), http_}, *options);
  ASSERT_OK(c);
  MetricSet out;
  EXPECT_EQ(Run(**c, &out), "network");
  EXPECT_EQ(server_->hits("/token"), 0);
}

TEST_F(PostmasterHttpsTest, CheckCommandOverHttps) {
  std::ostringstream out, err;
  CheckCommandContext ctx{{"--credentials-file", tmp_.path() + "/creds.json", "--ca-file",
                           tmp_.path() + "/ca.pem", "--token-url", base_ + "/token", "--api-url",
                           base_, "--domain", "example.com", "--format", "json"},
                          "",
                          "",
                          out,
                          err};
  ctx.http = http_;
  EXPECT_EQ(kPostmasterCheckCommand.run(ctx), 1);  // 0.15 % spam, DMARC alignment needs work
  EXPECT_EQ(
      out.str(),
      "{\"domains\": [{\"domain\": \"example.com\", \"domain_stats\": \"ok\", "
      "\"compliance_status\": \"ok\", \"stats_date\": \"2026-12-05\", \"spam_ratio\": 0.0015, "
      "\"auth_success_ratio\": {\"dkim\": 1, \"dmarc\": 0.98, \"spf\": 0.991}, \"tls_ratio\": "
      "{\"inbound\": 1, \"outbound\": 0.995}, \"delivery_error_ratio\": {\"reject\": "
      "{\"ip_in_rbls\": 0.002, \"other\": 0}, \"temp_fail\": {\"anomalous_traffic_pattern\": "
      "0.0125}}, \"compliance\": {\"spf\": \"compliant\", \"dkim\": \"compliant\", "
      "\"spf_and_dkim\": \"compliant\", \"dmarc_policy\": \"compliant\", \"dmarc_alignment\": "
      "\"needs_work\", \"message_formatting\": \"compliant\", \"dns_records\": \"compliant\", "
      "\"encryption\": \"compliant\", \"user_reported_spam_rate\": \"needs_work\", "
      "\"one_click_unsubscribe\": \"compliant\"}}]}\n");

  ServeApi(Json("<html>Sign in</html>", 200, "text/html"), Json("", 403));
  std::ostringstream text, err2;
  CheckCommandContext ctx2{
      {"--credentials-file", tmp_.path() + "/creds.json", "--ca-file", tmp_.path() + "/ca.pem",
       "--token-url", base_ + "/token", "--api-url", base_, "--domain", "example.com"},
      "",
      "",
      text,
      err2};
  ctx2.http = http_;
  EXPECT_EQ(kPostmasterCheckCommand.run(ctx2), 1);
  EXPECT_THAT(text.str(), HasSubstr("Postmaster example.com: domain_stats html"));
  EXPECT_THAT(text.str(), HasSubstr("compliance_status http_403 (HTTP 403)"));
  for (const char* secret : {kSecret, kRefresh, "ya29.loopback"}) {
    EXPECT_THAT(out.str() + text.str() + err.str() + err2.str(), Not(HasSubstr(secret)));
  }
}

}  // namespace
}  // namespace mailrep
