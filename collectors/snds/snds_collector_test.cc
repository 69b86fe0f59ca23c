#include "collectors/snds/snds_collector.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/time.h>

#include <fstream>
#include <sstream>

#include "collectors/http_fetch/http_fetcher_testing.h"
#include "collectors/snds/snds_check_command.h"
#include "collectors/snds/snds_testdata.h"
#include "exporter/core/collector_testing.h"
#include "exporter/core/fake_clock.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::SndsTestdata;

constexpr char kKey[] = "5b1e0f3c-SECRET-key-77d2a9";
const std::string kDataUrl =
    "https://sendersupport.olc.protection.outlook.com/snds/data.aspx?key=" + std::string(kKey);
const std::string kStatusUrl =
    "https://sendersupport.olc.protection.outlook.com/snds/ipStatus.aspx?key=" + std::string(kKey);
constexpr int64_t kNow = 1796112000;  // 2026-12-01 08:00 UTC

std::string Write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// Every label value and HELP text of `set`, one per line.
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

class SndsCollectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Write(tmp_.path() + "/snds.key", std::string(kKey) + "\n");
    http_->Respond(kDataUrl, FakeHttpFetcher::Ok(SndsTestdata("ip_data.csv")));
    http_->Respond(kStatusUrl, FakeHttpFetcher::Ok(SndsTestdata("ip_status.csv")));
  }

  StatusOr<std::unique_ptr<Collector>> Make(const std::string& yaml) {
    StatusOr<ConfigNode> options = ConfigNode::Parse(yaml, "test.yml");
    if (!options.ok()) return options.status();
    return NewSndsCollector({config_, settings_, tmp_.path(), nullptr, clock_, http_}, *options);
  }
  std::unique_ptr<Collector> MakeOk(
      const std::string& yaml =
          "key_file: /snds.key\nips: [192.0.2.10, 192.0.2.11, 192.0.2.12, 192.0.2.99]\n"
          "link_issued: 2026-11-10\n") {
    StatusOr<std::unique_ptr<Collector>> c = Make(yaml);
    EXPECT_OK(c);
    return c.ok() ? std::move(*c) : nullptr;
  }
  MetricSet Run(Collector& c) {
    MetricSet out;
    EXPECT_OK(c.Collect(TestContext(), &out));
    std::string text = AllText(out);
    EXPECT_THAT(text, Not(HasSubstr("SECRET")));
    return out;
  }

  ScopedTempDir tmp_{"snds"};
  Config config_;
  CollectorSettings settings_;
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>(kNow);
  std::shared_ptr<FakeHttpFetcher> http_ = std::make_shared<FakeHttpFetcher>();
};

TEST_F(SndsCollectorTest, ExportsConfiguredIpsOnly) {
  std::unique_ptr<Collector> c = MakeOk();
  MetricSet out = Run(*c);
  auto v = [&](std::string_view name, Labels labels) { return SampleValue(out, name, labels); };
  EXPECT_EQ(v("mailrep_snds_filter_result", {{"ip", "192.0.2.10"}, {"result", "green"}}), 1);
  EXPECT_EQ(v("mailrep_snds_filter_result", {{"ip", "192.0.2.10"}, {"result", "red"}}), 0);
  EXPECT_EQ(v("mailrep_snds_filter_result", {{"ip", "192.0.2.11"}, {"result", "yellow"}}), 1);
  EXPECT_EQ(v("mailrep_snds_filter_result", {{"ip", "192.0.2.12"}, {"result", "red"}}), 1);
  EXPECT_EQ(v("mailrep_snds_complaint_rate", {{"ip", "192.0.2.10"}}), 0.001);
  EXPECT_EQ(v("mailrep_snds_complaint_rate_is_bound", {{"ip", "192.0.2.10"}}), 1);
  EXPECT_EQ(v("mailrep_snds_complaint_rate", {{"ip", "192.0.2.11"}}), 0.004);
  EXPECT_EQ(v("mailrep_snds_complaint_rate_is_bound", {{"ip", "192.0.2.11"}}), 0);
  EXPECT_EQ(v("mailrep_snds_trap_hits", {{"ip", "192.0.2.12"}}), 57);
  EXPECT_EQ(v("mailrep_snds_rcpt_commands", {{"ip", "192.0.2.10"}}), 2410);
  EXPECT_EQ(v("mailrep_snds_data_commands", {{"ip", "192.0.2.10"}}), 2398);
  EXPECT_EQ(v("mailrep_snds_message_recipients", {{"ip", "192.0.2.10"}}), 2405);
  EXPECT_EQ(v("mailrep_snds_activity_start_timestamp_seconds", {{"ip", "192.0.2.10"}}), 1796025600);
  EXPECT_EQ(v("mailrep_snds_activity_end_timestamp_seconds", {{"ip", "192.0.2.10"}}),
            1796025600 + 86340);
  EXPECT_EQ(v("mailrep_snds_blocked", {{"ip", "192.0.2.10"}}), 1);
  EXPECT_EQ(v("mailrep_snds_blocked", {{"ip", "192.0.2.12"}}), 0);
  EXPECT_EQ(v("mailrep_snds_blocked", {{"ip", "192.0.2.99"}}), 0);  // configured, no data row
  EXPECT_EQ(v("mailrep_snds_trap_hits", {{"ip", "192.0.2.99"}}), std::nullopt);
  // 198.51.100.7 is not configured: counted, never a label.
  EXPECT_EQ(v("mailrep_snds_filter_result", {{"ip", "198.51.100.7"}}), std::nullopt);
  EXPECT_EQ(v("mailrep_snds_other_rows", {{"report", "ip_data"}}), 1);
  EXPECT_EQ(v("mailrep_snds_other_rows", {{"report", "ip_status"}}), 1);
  EXPECT_EQ(v("mailrep_snds_fetch_state", {{"report", "ip_data"}, {"state", "ok"}}), 1);
  EXPECT_EQ(v("mailrep_snds_fetch_state", {{"report", "ip_status"}, {"state", "ok"}}), 1);
  EXPECT_EQ(SampleCount(out, "mailrep_snds_fetch_errors_total"), 0u);
  EXPECT_EQ(v("mailrep_snds_data_timestamp_seconds", {{"report", "ip_data"}}), kNow);
  EXPECT_EQ(v("mailrep_snds_link_age_seconds", {}), kNow - 1794268800);  // since 2026-11-10
  ASSERT_EQ(http_->requests().size(), 2u);
  EXPECT_EQ(http_->requests()[0].url, kDataUrl);
}

TEST_F(SndsCollectorTest, SendersAreTheDefaultIps) {
  config_.senders.resize(1);
  config_.senders[0].ips = {*IpNetwork::Parse("192.0.2.8/30")};
  MetricSet out = Run(*MakeOk("key_file: /snds.key\n"));
  EXPECT_EQ(SampleValue(out, "mailrep_snds_trap_hits", {{"ip", "192.0.2.11"}}), 3);
  EXPECT_EQ(SampleValue(out, "mailrep_snds_trap_hits", {{"ip", "192.0.2.12"}}), std::nullopt);
  EXPECT_EQ(SampleValue(out, "mailrep_snds_other_rows", {{"report", "ip_data"}}), 2);
}

TEST_F(SndsCollectorTest, NoConfiguredIpsNoLabels) {
  MetricSet out = Run(*MakeOk("key_file: /snds.key\n"));
  EXPECT_EQ(SampleCount(out, "mailrep_snds_filter_result"), 0u);
  EXPECT_EQ(SampleValue(out, "mailrep_snds_other_rows", {{"report", "ip_data"}}), 4);
}

TEST_F(SndsCollectorTest, FailuresKeepTheLastGoodDataAndCountTheReason) {
  std::unique_ptr<Collector> c = MakeOk();
  Run(*c);
  clock_->Advance(std::chrono::hours(1));
  HttpFetchResponse html = FakeHttpFetcher::Ok(SndsTestdata("login.html"), "text/html");
  HttpFetchResponse sniffed = FakeHttpFetcher::Ok(SndsTestdata("login.html"), "text/plain");
  std::string good = SndsTestdata("ip_data.csv");
  struct Case {
    StatusOr<HttpFetchResponse> answer;
    const char* reason;
  } cases[] = {
      {FakeHttpFetcher::Ok("not found", "text/plain", 404), "no_data"},
      {FakeHttpFetcher::Ok("", "text/plain"), "no_data"},
      {html, "html"},
      {sniffed, "html"},
      {FakeHttpFetcher::Ok("", "", 401), "unauthorized"},
      {FakeHttpFetcher::Ok("", "", 403), "unauthorized"},
      {FakeHttpFetcher::Ok("slow down", "text/plain", 429), "rate_limited"},
      {FakeHttpFetcher::Ok("", "", 400), "bad_request"},
      {FakeHttpFetcher::Ok("", "", 500), "http_error"},
      {FakeHttpFetcher::Ok(good.substr(0, good.size() - 60)), "truncated"},
      {FakeHttpFetcher::Ok("192.0.2.10,yesterday,GREEN\r\n"), "invalid"},
      {Status::DeadlineExceeded("Timeout was reached"), "timeout"},
      {Status::Unavailable("Could not connect to " + kDataUrl), "network"},
      {Status::Unavailable("Transferred a partial file"), "truncated"},
      {Status::ResourceExhausted("response larger than 33554432 bytes"), "too_large"},
  };
  std::map<std::string, double> counts;
  for (const Case& k : cases) {
    SCOPED_TRACE(k.reason);
    http_->Respond(kDataUrl, k.answer);
    ::testing::internal::CaptureStderr();
    MetricSet out = Run(*c);
    std::string logs = ::testing::internal::GetCapturedStderr();
    EXPECT_THAT(logs, Not(HasSubstr(kKey)));
    EXPECT_THAT(logs, HasSubstr(k.reason));
    ++counts[k.reason];
    EXPECT_EQ(
        SampleValue(out, "mailrep_snds_fetch_state", {{"report", "ip_data"}, {"state", k.reason}}),
        1);
    EXPECT_EQ(
        SampleValue(out, "mailrep_snds_fetch_state", {{"report", "ip_data"}, {"state", "ok"}}), 0);
    EXPECT_EQ(SampleValue(out, "mailrep_snds_fetch_errors_total",
                          {{"report", "ip_data"}, {"reason", k.reason}}),
              counts[k.reason]);
    // The last good data stays, with its time.
    EXPECT_EQ(
        SampleValue(out, "mailrep_snds_filter_result", {{"ip", "192.0.2.12"}, {"result", "red"}}),
        1);
    EXPECT_EQ(SampleValue(out, "mailrep_snds_data_timestamp_seconds", {{"report", "ip_data"}}),
              kNow);
    EXPECT_EQ(SampleValue(out, "mailrep_snds_data_timestamp_seconds", {{"report", "ip_status"}}),
              kNow + 3600);
  }
  http_->Respond(kDataUrl, FakeHttpFetcher::Ok(SndsTestdata("ip_data_reordered.csv")));
  MetricSet out = Run(*c);
  EXPECT_EQ(SampleValue(out, "mailrep_snds_filter_result", {{"ip", "192.0.2.12"}}), std::nullopt);
  EXPECT_EQ(SampleValue(out, "mailrep_snds_trap_hits", {{"ip", "192.0.2.10"}}), 2);
  EXPECT_EQ(SampleValue(out, "mailrep_snds_data_timestamp_seconds", {{"report", "ip_data"}}),
            kNow + 3600);
}

TEST_F(SndsCollectorTest, UrlFileLinksAndFileAge) {
  const std::string data = "https://snds.example/reports/ipdata/0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c";
  const std::string status =
      "https://snds.example/reports/IPStatus/0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c";
  std::string file =
      Write(tmp_.path() + "/snds.url", "# renewed 2026-11-20\n" + status + "\n\n" + data + "\r\n");
  timeval times[2] = {{kNow - 86400 * 26, 0}, {kNow - 86400 * 26, 0}};
  ASSERT_EQ(utimes(file.c_str(), times), 0);
  http_->Respond(data, FakeHttpFetcher::Ok(SndsTestdata("ip_data.csv")));
  http_->Respond(status, FakeHttpFetcher::Ok("", "text/plain", 404));
  ::testing::internal::CaptureStderr();
  MetricSet out = Run(*MakeOk("url_file: /snds.url\nips: [192.0.2.10]\n"));
  std::string logs = ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(logs, Not(HasSubstr("0f9e8d7c6b5a")));
  EXPECT_THAT(logs, HasSubstr("https://snds.example/<redacted>"));
  EXPECT_EQ(SampleValue(out, "mailrep_snds_link_age_seconds", {}), 86400 * 26);
  EXPECT_EQ(SampleValue(out, "mailrep_snds_trap_hits", {{"ip", "192.0.2.10"}}), 0);
  EXPECT_EQ(SampleValue(out, "mailrep_snds_blocked", {{"ip", "192.0.2.10"}}), std::nullopt);
  EXPECT_EQ(
      SampleValue(out, "mailrep_snds_fetch_state", {{"report", "ip_status"}, {"state", "no_data"}}),
      1);
}

TEST_F(SndsCollectorTest, AnUnreadableLinkFileIsNoLink) {
  std::unique_ptr<Collector> c = MakeOk("url_file: /missing.url\nips: [192.0.2.10]\n");
  MetricSet out = Run(*c);
  EXPECT_EQ(
      SampleValue(out, "mailrep_snds_fetch_state", {{"report", "ip_data"}, {"state", "no_link"}}),
      1);
  EXPECT_EQ(SampleValue(out, "mailrep_snds_data_timestamp_seconds", {{"report", "ip_data"}}), 0);
  EXPECT_EQ(SampleValue(out, "mailrep_snds_link_age_seconds", {}), std::nullopt);
  EXPECT_TRUE(http_->requests().empty());
}

TEST_F(SndsCollectorTest, NotConfiguredFetchesNothing) {
  MetricSet out = Run(*MakeOk(""));
  EXPECT_TRUE(out.families().empty());
  EXPECT_TRUE(http_->requests().empty());
}

TEST_F(SndsCollectorTest, ReloadKeepsTheLastGoodData) {
  std::unique_ptr<Collector> old = MakeOk();
  Run(*old);
  std::unique_ptr<Collector> fresh = MakeOk("key_file: /snds.key\nips: [192.0.2.12]\n");
  fresh->AdoptState(*old);
  http_->Respond(kDataUrl, FakeHttpFetcher::Ok("", "", 404));
  MetricSet out = Run(*fresh);
  EXPECT_EQ(SampleValue(out, "mailrep_snds_trap_hits", {{"ip", "192.0.2.12"}}), 57);
}

TEST_F(SndsCollectorTest, OptionErrors) {
  for (const char* yaml :
       {"url_file: /a\nkey_file: /b\n", "key_file: /b\nips: [nonsense]\n",
        "key_file: /b\nlink_issued: 10/11/2026\n", "key_file: /b\nbase_url: http://snds.example/\n",
        "key_file: /b\nfetch_timeout: 0s\n", "key_file: /b\nbogus: 1\n"}) {
    EXPECT_FALSE(Make(yaml).ok()) << yaml;
  }
}

TEST_F(SndsCollectorTest, KeyWithOddCharactersIsRefusedWithoutEchoingIt) {
  Write(tmp_.path() + "/bad.key", "abc&def=SECRET\n");
  SndsLinkSource source;
  source.key_file = tmp_.path() + "/bad.key";
  StatusOr<SndsLinks> links = SndsLinks::Read(source);
  ASSERT_FALSE(links.ok());
  EXPECT_THAT(links.status().message(), Not(HasSubstr("SECRET")));
}

TEST_F(SndsCollectorTest, CheckCommandJson) {
  std::ostringstream out, err;
  CheckCommandContext ctx{{"--key-file", tmp_.path() + "/snds.key", "--ip", "192.0.2.10", "--ip",
                           "192.0.2.12", "--format", "json"},
                          "",
                          "",
                          out,
                          err};
  ctx.http = http_;
  EXPECT_EQ(kSndsCheckCommand.run(ctx), 1);  // .12 is red
  EXPECT_EQ(err.str(), "");
  EXPECT_EQ(out.str(),
            "{\"ips\": [{\"ip\": \"192.0.2.10\", \"filter_result\": \"green\", \"blocked\": true, "
            "\"complaint_rate\": 0.001, \"complaint_rate_is_bound\": true, \"trap_hits\": 0, "
            "\"rcpt_commands\": 2410, \"data_commands\": 2398, \"message_recipients\": 2405, "
            "\"activity_start\": 1796025600, \"activity_end\": 1796111940}, {\"ip\": "
            "\"192.0.2.12\", \"filter_result\": \"red\", \"blocked\": false, \"complaint_rate\": "
            "0.025, \"complaint_rate_is_bound\": false, \"trap_hits\": 57, \"rcpt_commands\": 880, "
            "\"data_commands\": 870, \"message_recipients\": 875, \"activity_start\": 1796025600, "
            "\"activity_end\": 1796108400}], \"ip_data\": \"ok\", \"ip_status\": \"ok\"}\n");

  std::ostringstream text, err2;
  http_->Respond(kDataUrl, Status::Unavailable("Could not resolve " + kDataUrl));
  CheckCommandContext ctx2{{"--key-file", tmp_.path() + "/snds.key"}, "", "", text, err2};
  ctx2.http = http_;
  EXPECT_EQ(kSndsCheckCommand.run(ctx2), 1);
  EXPECT_THAT(text.str(), HasSubstr("SNDS ip_data: network"));
  EXPECT_THAT(text.str(), Not(HasSubstr(kKey)));

  std::ostringstream o3, e3;
  CheckCommandContext ctx3{{"--url-file", tmp_.path() + "/none"}, "", "", o3, e3};
  EXPECT_EQ(kSndsCheckCommand.run(ctx3), 2);
  CheckCommandContext ctx4{{}, "", "", o3, e3};
  EXPECT_EQ(kSndsCheckCommand.run(ctx4), 2);
}

}  // namespace
}  // namespace mailrep
