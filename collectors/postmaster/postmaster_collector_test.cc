#include "collectors/postmaster/postmaster_collector.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <map>
#include <mutex>

#include "collectors/postmaster/postmaster_testdata.h"
#include "exporter/config/config.h"
#include "exporter/core/collector_testing.h"
#include "exporter/core/fake_clock.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/source_file.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::PostmasterTestdata;

constexpr int64_t kNow = 1796630400;  // 2026-12-07 08:00 UTC
constexpr char kSecret[] = "GOCSPX-LOOPBACK-CLIENT-SECRET";
constexpr char kRefresh[] = "1//0gLOOPBACK-REFRESH-TOKEN-secret";
const std::string kApi = "https://gmailpostmastertools.googleapis.com/v2/domains/";
const std::string kStatsUrl = kApi + "example.com/domainStats:query";
const std::string kComplianceUrl = kApi + "example.com/complianceStatus";
const std::string kTokenUrl = "https://oauth2.googleapis.com/token";

// An HttpFetcher whose answers come from a function of the request; records
// every request.
class ScriptedFetcher : public HttpFetcher {
 public:
  using Handler = std::function<StatusOr<HttpFetchResponse>(const HttpFetchRequest&)>;
  explicit ScriptedFetcher(Handler handler) : handler_(std::move(handler)) {}
  StatusOr<HttpFetchResponse> Fetch(const HttpFetchRequest& request) override {
    std::lock_guard lock(mu_);
    requests_.push_back(request);
    return handler_(request);
  }
  std::vector<HttpFetchRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  size_t count(const std::string& url) const {
    std::lock_guard lock(mu_);
    return std::count_if(requests_.begin(), requests_.end(),
                         [&](const HttpFetchRequest& r) { return r.url == url; });
  }
  void set(Handler handler) {
    std::lock_guard lock(mu_);
    handler_ = std::move(handler);
  }

 private:
  mutable std::mutex mu_;  // guards the members below
  Handler handler_;
  std::vector<HttpFetchRequest> requests_;
};

HttpFetchResponse Json(std::string body, long status = 200,
                       std::string type = "application/json; charset=UTF-8") {
  HttpFetchResponse r;
  r.status = status;
  r.content_type = std::move(type);
  r.body = std::move(body);
  return r;
}

std::string AllText(const MetricSet& set) {
  std::string text;
  for (const auto& family : set.families()) {
    text += family.name + " " + family.help + "\n";
    for (const auto& metric : family.metric) {
      for (const auto& label : metric.label) text += label.name + "=" + label.value + "\n";
    }
  }
  return text;
}

class PostmasterCollectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(tmp_.path() + "/creds.json") << PostmasterTestdata("authorized_user.json");
    http_ =
        std::make_shared<ScriptedFetcher>([this](const HttpFetchRequest& r) { return Serve(r); });
  }

  // Google, as far as these tests need it: tokens "ya29.token-N"; the API
  // accepts only the newest token unless `reject_all_`.
  StatusOr<HttpFetchResponse> Serve(const HttpFetchRequest& r) {
    if (r.url == kTokenUrl) {
      ++tokens_;
      return Json("{\"access_token\": \"ya29.token-" + std::to_string(tokens_) +
                  "\", \"expires_in\": 3599, \"token_type\": \"Bearer\"}");
    }
    std::string want = "Bearer ya29.token-" + std::to_string(tokens_);
    bool authorized = !reject_all_ && HttpHeaderValue(r.headers, "Authorization") == want;
    if (!authorized)
      return Json("{\"error\": {\"code\": 401, \"status\": \"UNAUTHENTICATED\"}}", 401);
    if (r.url.ends_with("/domainStats:query")) return stats_;
    if (r.url.ends_with("/complianceStatus")) return compliance_;
    return Json("", 404);
  }

  StatusOr<std::unique_ptr<Collector>> Make(const std::string& yaml) {
    StatusOr<ConfigNode> options = ConfigNode::Parse(yaml, "test.yml");
    if (!options.ok()) return options.status();
    return NewPostmasterCollector({config_, settings_, tmp_.path(), nullptr, clock_, http_},
                                  *options);
  }
  std::unique_ptr<Collector> MakeOk(
      const std::string& yaml = "credentials_file: /creds.json\ndomains: [example.com]\n") {
    StatusOr<std::unique_ptr<Collector>> c = Make(yaml);
    EXPECT_OK(c);
    return c.ok() ? std::move(*c) : nullptr;
  }
  // Runs `c` once; no secret may reach the log or the metrics.
  MetricSet Run(Collector& c, std::string* logs = nullptr) {
    MetricSet out;
    ::testing::internal::CaptureStderr();
    EXPECT_OK(c.Collect(TestContext(), &out));
    std::string log = ::testing::internal::GetCapturedStderr();
    for (const std::string& s :
         {std::string(kSecret), std::string(kRefresh), std::string("ya29.token")}) {
      EXPECT_THAT(log + AllText(out), Not(HasSubstr(s)));
    }
    if (logs != nullptr) *logs = log;
    return out;
  }
  std::string State(const MetricSet& out, const std::string& request = "domain_stats") {
    for (PostmasterFetchReason r : kAllPostmasterFetchReasons) {
      std::string name(PostmasterFetchReasonName(r));
      if (SampleValue(out, "mailrep_postmaster_fetch_state",
                      {{"domain", "example.com"}, {"request", request}, {"state", name}}) == 1) {
        return name;
      }
    }
    return "none";
  }

  ScopedTempDir tmp_{"postmaster"};
  Config config_;
  CollectorSettings settings_;
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>(kNow);
  std::shared_ptr<ScriptedFetcher> http_;
  int tokens_ = 0;
  bool reject_all_ = false;
  StatusOr<HttpFetchResponse> stats_ = Json(PostmasterTestdata("domain_stats.json"));
  StatusOr<HttpFetchResponse> compliance_ = Json(PostmasterTestdata("compliance_status.json"));
};

TEST_F(PostmasterCollectorTest, ExportsTheNewestDayAndTheComplianceRows) {
  std::unique_ptr<Collector> c = MakeOk();
  MetricSet out = Run(*c);
  auto v = [&](std::string_view name, Labels labels) {
    labels.insert(labels.begin(), {"domain", "example.com"});
    return SampleValue(out, name, labels);
  };
  EXPECT_EQ(v("mailrep_postmaster_spam_ratio", {}), 0.0015);  // 2026-12-05, not 12-04's
  EXPECT_EQ(v("mailrep_postmaster_stats_date_timestamp_seconds", {}), 1796428800);
  EXPECT_EQ(v("mailrep_postmaster_auth_success_ratio", {{"auth", "spf"}}), 0.991);
  EXPECT_EQ(v("mailrep_postmaster_auth_success_ratio", {{"auth", "dkim"}}), 1);
  EXPECT_EQ(v("mailrep_postmaster_auth_success_ratio", {{"auth", "dmarc"}}), 0.98);
  EXPECT_EQ(v("mailrep_postmaster_tls_ratio", {{"direction", "inbound"}}), 1);
  EXPECT_EQ(v("mailrep_postmaster_tls_ratio", {{"direction", "outbound"}}), 0.995);
  EXPECT_EQ(
      v("mailrep_postmaster_delivery_error_ratio", {{"type", "reject"}, {"reason", "ip_in_rbls"}}),
      0.002);
  EXPECT_EQ(v("mailrep_postmaster_delivery_error_ratio", {{"type", "reject"}, {"reason", "other"}}),
            0);
  EXPECT_EQ(v("mailrep_postmaster_delivery_error_ratio",
              {{"type", "temp_fail"}, {"reason", "anomalous_traffic_pattern"}}),
            0.0125);
  EXPECT_EQ(v("mailrep_postmaster_delivery_error_ratio",
              {{"type", "reject"}, {"reason", "bad_attachment"}}),
            std::nullopt);
  EXPECT_EQ(SampleCount(out, "mailrep_postmaster_compliant"), 10u);
  EXPECT_EQ(v("mailrep_postmaster_compliant", {{"requirement", "spf"}}), 1);
  EXPECT_EQ(v("mailrep_postmaster_compliant", {{"requirement", "dmarc_alignment"}}), 0);
  EXPECT_EQ(v("mailrep_postmaster_compliant", {{"requirement", "user_reported_spam_rate"}}), 0);
  EXPECT_EQ(v("mailrep_postmaster_compliant", {{"requirement", "honor_unsubscribe"}}),
            std::nullopt);
  EXPECT_EQ(State(out), "ok");
  EXPECT_EQ(State(out, "compliance_status"), "ok");
  EXPECT_EQ(v("mailrep_postmaster_last_success_timestamp_seconds", {{"request", "domain_stats"}}),
            kNow);
  EXPECT_EQ(v("mailrep_postmaster_skipped_values_total", {{"request", "domain_stats"}}), 2);
  EXPECT_EQ(SampleCount(out, "mailrep_postmaster_fetch_errors_total"), 0u);
  EXPECT_EQ(SampleValue(out, "mailrep_postmaster_token_refreshes_total", {{"result", "ok"}}), 1);

  std::vector<HttpFetchRequest> requests = http_->requests();
  ASSERT_EQ(requests.size(), 3u);
  const HttpFetchRequest& token = requests[0];
  EXPECT_EQ(token.url, kTokenUrl);
  EXPECT_EQ(token.method, HttpMethod::kPost);
  EXPECT_EQ(HttpHeaderValue(token.headers, "content-type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(token.body,
            "grant_type=refresh_token&client_id=123456789012-loopback.apps.googleusercontent.com"
            "&client_secret=GOCSPX-LOOPBACK-CLIENT-SECRET"
            "&refresh_token=1%2F%2F0gLOOPBACK-REFRESH-TOKEN-secret");
  const HttpFetchRequest& stats = requests[1];
  EXPECT_EQ(stats.url, kStatsUrl);
  EXPECT_EQ(stats.method, HttpMethod::kPost);
  EXPECT_EQ(HttpHeaderValue(stats.headers, "content-type"), "application/json");
  // The lookback: the 7 days before today (2026-12-07), 11-30 to 12-06.
  EXPECT_THAT(stats.body, HasSubstr("\"start\": {\"year\": 2026, \"month\": 11, \"day\": 30}, "
                                    "\"end\": {\"year\": 2026, \"month\": 12, \"day\": 6}"));
  EXPECT_EQ(requests[2].url, kComplianceUrl);
  EXPECT_EQ(requests[2].method, HttpMethod::kGet);
  EXPECT_EQ(HttpHeaderValue(requests[2].headers, "authorization"), "Bearer ya29.token-1");
}

TEST_F(PostmasterCollectorTest, TheTokenIsKeptUntilShortlyBeforeItExpires) {
  std::unique_ptr<Collector> c =
      MakeOk("credentials_file: /creds.json\ndomains: [example.com, Example.ORG., example.com]\n");
  MetricSet out = Run(*c);
  EXPECT_EQ(http_->count(kTokenUrl), 1u);  // two domains, one token
  EXPECT_EQ(http_->count(kApi + "example.org/complianceStatus"), 1u);
  clock_->Advance(std::chrono::minutes(55));
  Run(*c);
  EXPECT_EQ(http_->count(kTokenUrl), 1u);
  clock_->Advance(std::chrono::minutes(3));  // 58 min: within the 2-minute margin
  MetricSet later = Run(*c);
  EXPECT_EQ(http_->count(kTokenUrl), 2u);
  EXPECT_EQ(State(later), "ok");
  EXPECT_EQ(SampleValue(later, "mailrep_postmaster_token_refreshes_total", {{"result", "ok"}}), 2);
}

TEST_F(PostmasterCollectorTest, A401RefreshesOnceThenSucceeds) {
  std::unique_ptr<Collector> c = MakeOk();
  Run(*c);
  // Google revoked ya29.token-1 early: the server now accepts only ya29.token-5,
  // which nobody has; the refresh hands out ya29.token-6, which it accepts.
  tokens_ = 5;
  MetricSet out = Run(*c);
  EXPECT_EQ(State(out), "ok");
  EXPECT_EQ(http_->count(kTokenUrl), 2u);
  EXPECT_EQ(SampleValue(out, "mailrep_postmaster_token_refreshes_total", {{"result", "ok"}}), 2);
}

TEST_F(PostmasterCollectorTest, A401AfterARefreshIsHttp401AndKeepsTheData) {
  std::unique_ptr<Collector> c = MakeOk();
  Run(*c);
  reject_all_ = true;
  MetricSet out = Run(*c);
  EXPECT_EQ(State(out), "http_401");
  EXPECT_EQ(State(out, "compliance_status"), "http_401");
  // One refresh per request, never a loop.
  EXPECT_EQ(http_->count(kTokenUrl), 3u);
  EXPECT_EQ(SampleValue(out, "mailrep_postmaster_spam_ratio", {{"domain", "example.com"}}), 0.0015);
  EXPECT_EQ(SampleValue(out, "mailrep_postmaster_compliant",
                        {{"domain", "example.com"}, {"requirement", "spf"}}),
            1);
  EXPECT_EQ(
      SampleValue(out, "mailrep_postmaster_fetch_errors_total",
                  {{"domain", "example.com"}, {"request", "domain_stats"}, {"reason", "http_401"}}),
      1);
  EXPECT_EQ(SampleValue(out, "mailrep_postmaster_last_success_timestamp_seconds",
                        {{"domain", "example.com"}, {"request", "domain_stats"}}),
            kNow);
}

TEST_F(PostmasterCollectorTest, EveryFailureKeepsTheLastGoodData) {
  std::unique_ptr<Collector> c = MakeOk();
  Run(*c);
  std::string good = PostmasterTestdata("domain_stats.json");
  struct Case {
    StatusOr<HttpFetchResponse> answer;
    const char* state;
  } cases[] = {
      {Json("{\"error\": {\"code\": 429, \"status\": \"RESOURCE_EXHAUSTED\"}}", 429), "http_429"},
      {Json(PostmasterTestdata("permission_denied.json"), 403), "http_403"},
      {Json("{\"error\": {\"code\": 404, \"status\": \"NOT_FOUND\"}}", 404), "http_404"},
      {Json("", 400), "http_4xx"},
      {Json("<html>oops</html>", 502, "text/html"), "http_5xx"},
      {Json("", 302), "http_other"},
      {Json("<!DOCTYPE html><html>Sign in</html>", 200, "text/html; charset=utf-8"), "html"},
      {Json("  <html>Sign in</html>", 200), "html"},
      {Json(good.substr(0, good.size() / 2)), "malformed"},
      {Json("{\"domainStats\": \"none\"}"), "malformed"},
      {Json("{}"), "no_data"},
      {Status::DeadlineExceeded("Timeout was reached"), "timeout"},
      {Status::Unavailable("Could not connect to server"), "network"},
      {Status::Unavailable("Transferred a partial file"), "truncated"},
      {Status::ResourceExhausted("response larger than 4194304 bytes"), "too_large"},
  };
  std::map<std::string, int> counts;
  for (const Case& k : cases) {
    SCOPED_TRACE(k.state);
    stats_ = k.answer;
    ++counts[k.state];
    MetricSet out = Run(*c);
    EXPECT_EQ(State(out), k.state);
    EXPECT_EQ(State(out, "compliance_status"), "ok");
    EXPECT_EQ(SampleValue(out, "mailrep_postmaster_spam_ratio", {{"domain", "example.com"}}),
              0.0015);
    EXPECT_EQ(
        SampleValue(out, "mailrep_postmaster_fetch_errors_total",
                    {{"domain", "example.com"}, {"request", "domain_stats"}, {"reason", k.state}}),
        counts[k.state]);
  }
  compliance_ = Json("{\"complianceData\": {\"rowData\": []}}");
  stats_ = Json(good);
  MetricSet out = Run(*c);
  EXPECT_EQ(State(out), "ok");
  EXPECT_EQ(State(out, "compliance_status"), "no_data");
  EXPECT_EQ(SampleCount(out, "mailrep_postmaster_compliant"), 10u);
}

TEST_F(PostmasterCollectorTest, TokenEndpointFailuresAreOauthAndNeverShowTheSecrets) {
  std::unique_ptr<Collector> c = MakeOk();
  http_->set([](const HttpFetchRequest& r) -> StatusOr<HttpFetchResponse> {
    if (r.url == kTokenUrl) {
      return Json("{\"error\": \"invalid_grant\", \"error_description\": \"Bad token " +
                      std::string(kRefresh) + "\"}",
                  400);
    }
    return Json("", 500);
  });
  std::string logs;
  MetricSet out = Run(*c, &logs);
  EXPECT_EQ(State(out), "oauth");
  EXPECT_EQ(State(out, "compliance_status"), "oauth");
  EXPECT_THAT(logs, HasSubstr("HTTP 400 invalid_grant"));
  EXPECT_EQ(SampleValue(out, "mailrep_postmaster_token_refreshes_total", {{"result", "failed"}}),
            2);
  EXPECT_EQ(SampleValue(out, "mailrep_postmaster_spam_ratio", {{"domain", "example.com"}}),
            std::nullopt);

  // A transport error that quotes the secrets (a proxy, a server echo).
  http_->set([](const HttpFetchRequest& r) -> StatusOr<HttpFetchResponse> {
    return Status::Unavailable("connect failed for " + r.body);
  });
  MetricSet echo = Run(*c, &logs);
  EXPECT_EQ(State(echo), "network");
  EXPECT_THAT(logs, HasSubstr("client_secret=<redacted>"));

  // A token answer that is not a Bearer token.
  http_->set([](const HttpFetchRequest&) -> StatusOr<HttpFetchResponse> {
    return Json("{\"access_token\": \"ya29.token-x\", \"token_type\": \"MAC\"}");
  });
  EXPECT_EQ(State(Run(*c, &logs)), "oauth");
}

TEST_F(PostmasterCollectorTest, UnreadableCredentialsAreNoCredentials) {
  std::unique_ptr<Collector> c = MakeOk(
      "client_id: id.apps.googleusercontent.com\nclient_secret_file: /secret\n"
      "refresh_token_file: /refresh\ndomains: [example.com]\n");
  MetricSet out = Run(*c);
  EXPECT_EQ(State(out), "no_credentials");
  EXPECT_TRUE(http_->requests().empty());
  std::ofstream(tmp_.path() + "/secret") << kSecret << "\n";
  std::ofstream(tmp_.path() + "/refresh") << kRefresh << "\n";
  EXPECT_EQ(State(Run(*c)), "ok");  // read anew: no reload needed
}

TEST_F(PostmasterCollectorTest, ConfigErrorsAndDefaults) {
  struct Case {
    const char* yaml;
    const char* error;
  } cases[] = {
      {"credentials_file: /c\nclient_id: x\n", "not both"},
      {"client_id: x\nclient_secret_file: /s\n", "go together"},
      {"credentials_file: /c\ntoken_url: http://127.0.0.1/token\n", "https://"},
      {"credentials_file: /c\napi_url: ftp://x/\n", "https://"},
      {"credentials_file: /c\ndomains: [\"exa mple.com\"]\n", "not a domain name"},
      {"credentials_file: /c\nlookback_days: 90\n", "lookback_days"},
      {"credentials_file: /c\nunknown_key: 1\n", "unknown_key"},
  };
  for (const Case& k : cases) {
    StatusOr<std::unique_ptr<Collector>> c = Make(k.yaml);
    ASSERT_FALSE(c.ok()) << k.yaml;
    EXPECT_THAT(c.status().message(), HasSubstr(k.error)) << k.yaml;
  }
  // Default: every senders[].domains, lower-cased, once each.
  SenderConfig a, b;
  a.domains = {"Example.COM", "example.net"};
  b.domains = {"example.com"};
  config_.senders = {a, b};
  std::unique_ptr<Collector> c =
      MakeOk("credentials_file: /creds.json\napi_url: https://pm.example/api\n");
  http_->set([](const HttpFetchRequest& r) -> StatusOr<HttpFetchResponse> {
    if (r.url == kTokenUrl) return Json("{\"access_token\": \"ya29.token-1\", \"expires_in\": 60}");
    return Json("{}");
  });
  Run(*c);
  std::vector<std::string> urls;
  for (const HttpFetchRequest& r : http_->requests()) urls.push_back(r.url);
  EXPECT_EQ(urls, (std::vector<std::string>{
                      kTokenUrl, "https://pm.example/api/v2/domains/example.com/domainStats:query",
                      "https://pm.example/api/v2/domains/example.com/complianceStatus",
                      "https://pm.example/api/v2/domains/example.net/domainStats:query",
                      "https://pm.example/api/v2/domains/example.net/complianceStatus"}));
}

TEST_F(PostmasterCollectorTest, ValidFullConfig) {
  StatusOr<Config> config =
      ParseConfig(testing::ReadSourceFile("collectors/postmaster/testdata/valid-full.yml"),
                  "valid-full.yml", {PostmasterCollectorSpec().defaults});
  ASSERT_OK(config);
  const CollectorSettings& settings = config->collectors.at("postmaster");
  EXPECT_TRUE(settings.enabled);
  EXPECT_EQ(settings.timeout, std::chrono::minutes(5));
  ConfigNode options = settings.options->WithOwnErrors();
  StatusOr<std::unique_ptr<Collector>> c =
      NewPostmasterCollector({*config, settings, tmp_.path(), nullptr, clock_, http_}, options);
  ASSERT_OK(c);
}

TEST_F(PostmasterCollectorTest, WithoutCredentialsItFetchesNothing) {
  std::unique_ptr<Collector> c = MakeOk("domains: [example.com]\n");
  MetricSet out = Run(*c);
  EXPECT_TRUE(http_->requests().empty());
  EXPECT_EQ(SampleCount(out, "mailrep_postmaster_fetch_state"), 0u);
}

TEST_F(PostmasterCollectorTest, PagesAreFollowedAndBounded) {
  std::unique_ptr<Collector> c = MakeOk();
  int pages = 0;
  http_->set([&](const HttpFetchRequest& r) -> StatusOr<HttpFetchResponse> {
    if (r.url == kTokenUrl)
      return Json("{\"access_token\": \"ya29.token-1\", \"expires_in\": 3600}");
    if (r.url == kComplianceUrl) return Json(PostmasterTestdata("compliance_status.json"));
    ++pages;
    // Every page points to another one: the client stops after max_pages (5).
    return Json(
        "{\"domainStats\": [{\"metric\": \"spam_rate\", \"date\": {\"year\": 2026, "
        "\"month\": 12, \"day\": " +
        std::to_string(pages) + "}, \"value\": {\"doubleValue\": 0.00" + std::to_string(pages) +
        "}}], \"nextPageToken\": \"page-" + std::to_string(pages) + "\"}");
  });
  MetricSet out = Run(*c);
  EXPECT_EQ(pages, 5);
  EXPECT_EQ(SampleValue(out, "mailrep_postmaster_spam_ratio", {{"domain", "example.com"}}), 0.005);
  EXPECT_THAT(http_->requests()[2].body, HasSubstr("\"pageToken\": \"page-1\""));
}

TEST_F(PostmasterCollectorTest, AReloadKeepsTheLastGoodData) {
  std::unique_ptr<Collector> old = MakeOk();
  Run(*old);
  std::unique_ptr<Collector> fresh = MakeOk();
  fresh->AdoptState(*old);
  stats_ = Json("", 503);
  MetricSet out = Run(*fresh);
  EXPECT_EQ(State(out), "http_5xx");
  EXPECT_EQ(SampleValue(out, "mailrep_postmaster_spam_ratio", {{"domain", "example.com"}}), 0.0015);
  EXPECT_EQ(SampleValue(out, "mailrep_postmaster_token_refreshes_total", {{"result", "ok"}}), 2);
}

}  // namespace
}  // namespace mailrep
