// End to end: the TLS-RPT intake (collectors.reports.tlsrpt_intake) through
// the real exporter — its own HTTPS listener with the test's CA, the spool,
// and the reports collector counting what was spooled, once per report —
// and hostile uploads that never disturb /metrics.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "collectors/reports/report_testdata.h"
#include "collectors/reports/reports_collector.h"
#include "exporter/app/exporter.h"
#include "exporter/http/http_test_support.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using std::chrono::milliseconds;
using testing::FetchOptions;
using testing::FetchResult;
using testing::HttpClient;
using testing::ReportTestdata;

constexpr char kSessions[] =
    "mailrep_tlsrpt_sessions_total{policy_domain=\"example.com\",policy_type=\"sts\","
    "result=\"success\"} ";

class TlsRptIntakeE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(testing::MakeCertificates(dir_.MakeDir("certs")));
    std::ofstream(dir_.Path("config.yml"))
        << "collectors:\n"
           "  reports:\n"
           "    enabled: true\n"
           "    interval: 3s\n"
           "    timeout: 2500ms\n"
           "    state_file: "
        << dir_.Path("reports.state")
        << "\n"
           "    policy_domains: [example.com]\n"
           "    tlsrpt_intake:\n"
           "      listen_address: \"127.0.0.1:0\"\n"
           "      tls_cert_file: "
        << dir_.Path("certs/server.pem")
        << "\n      tls_key_file: " << dir_.Path("certs/server.key")
        << "\n      spool_dir: " << dir_.Path("spool")
        << "\n"
           "      max_body_bytes: 65536\n"
           "      max_decompressed_bytes: 1048576\n"
           "      body_timeout: 3s\n";
    flags_.config_file = dir_.Path("config.yml");
    flags_.listen_addresses = {"127.0.0.1:0"};
    exporter_ = std::make_unique<Exporter>(
        flags_, std::vector<CollectorSpec>{ReportsCollectorSpec()}, BuildInfo{"1.0", "rev"});
    ASSERT_OK(exporter_->Start());
    ASSERT_EQ(exporter_->IntakeAddresses().size(), 1u);
    intake_url_ = "https://localhost:" + Port(exporter_->IntakeAddresses()[0]) + "/tlsrpt";
    metrics_url_ = "http://" + exporter_->BoundAddresses()[0] + "/metrics";
  }
  void TearDown() override {
    if (exporter_) exporter_->Stop();
  }

  static std::string Port(const std::string& address) {
    return address.substr(address.rfind(':') + 1);
  }

  FetchResult Post(const std::string& body, const std::string& type) {
    FetchOptions o;
    o.method = "POST";
    o.body = body;
    o.ca_file = dir_.Path("certs/ca.pem");
    o.headers = {"Content-Type: " + type};
    return HttpClient().Fetch(intake_url_, o);
  }

  std::string Metrics() {
    FetchResult r = HttpClient().Fetch(metrics_url_);
    EXPECT_EQ(r.status, 200) << r.error;
    return r.body;
  }

  // The value of the sample line starting with `prefix`, or -1.
  static double Sample(const std::string& metrics, const std::string& prefix) {
    size_t at = metrics.find("\n" + prefix);
    if (at == std::string::npos) return -1;
    return std::stod(metrics.substr(at + 1 + prefix.size()));
  }

  bool WaitForSample(const std::string& prefix, double want) {
    for (int i = 0; i < 200; ++i) {
      if (Sample(Metrics(), prefix) == want) return true;
      std::this_thread::sleep_for(milliseconds(50));
    }
    return false;
  }

  size_t SpooledFiles() {
    size_t n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir_.Path("spool/new"))) {
      n += entry.is_regular_file() ? 1 : 0;
    }
    return n;
  }

  ScopedTempDir dir_{"tlsrpt_e2e"};
  Flags flags_;
  std::unique_ptr<Exporter> exporter_;
  std::string intake_url_, metrics_url_;
};

TEST_F(TlsRptIntakeE2eTest, PostedReportsAreSpooledAndCountedOnce) {
  std::string gz = ReportTestdata("tlsrpt_report.json.gz");
  ASSERT_FALSE(gz.empty());
  FetchResult first = Post(gz, "application/tlsrpt+gzip");
  ASSERT_EQ(first.curl_code, 0) << first.error;
  EXPECT_EQ(first.status, 200) << first.body;
  // The reporter retries: spooled again, counted once by the collector.
  EXPECT_EQ(Post(gz, "application/tlsrpt+gzip").status, 200);
  std::string json = R"({"organization-name": "Other Reporter", "report-id": "json-1",
    "date-range": {"start-datetime": "2026-12-01T00:00:00Z",
                   "end-datetime": "2026-12-01T23:59:59Z"},
    "policies": [{"policy": {"policy-type": "sts", "policy-domain": "example.com"},
                  "summary": {"total-successful-session-count": 10,
                              "total-failure-session-count": 0}}]})";
  EXPECT_EQ(Post(json, "application/tlsrpt+json").status, 200);
  EXPECT_EQ(SpooledFiles(), 3u);

  EXPECT_TRUE(WaitForSample(kSessions, 5326 + 10)) << Metrics();
  std::string metrics = Metrics();
  EXPECT_EQ(Sample(metrics, "mailrep_reports_total{kind=\"tlsrpt\",result=\"duplicate\"} "), 1);
  EXPECT_EQ(Sample(metrics, "mailrep_reports_total{kind=\"tlsrpt\",result=\"ok\"} "), 2);
  EXPECT_EQ(
      Sample(metrics, "mailrep_tlsrpt_intake_requests_total{code=\"200\",reason=\"accepted\"} "),
      3);
  EXPECT_EQ(Sample(metrics, "mailrep_tlsrpt_intake_spool_bytes "),
            static_cast<double>(2 * gz.size() + json.size()));
  // Plain HTTP to the TLS listener gets nowhere.
  FetchResult plain = HttpClient().Fetch("http://" + exporter_->IntakeAddresses()[0] + "/tlsrpt");
  EXPECT_NE(plain.status, 200);
}

TEST_F(TlsRptIntakeE2eTest, HostileUploadsAreRefusedAndMetricsStayValid) {
  std::string gz = ReportTestdata("tlsrpt_report.json.gz");
  // Over max_body_bytes: 413 from the declared length (or the connection closed).
  FetchResult big = Post(std::string(70 * 1024, 'x'), "application/tlsrpt+json");
  EXPECT_TRUE(big.curl_code != 0 || big.status == 413) << big.status;
  EXPECT_EQ(Post(gz, "application/json").status, 415);
  EXPECT_EQ(Post(ReportTestdata("gzip_bomb.xml.gz"), "application/tlsrpt+gzip").status, 400);
  FetchResult truncated = Post(gz.substr(0, gz.size() - 10), "application/tlsrpt+gzip");
  EXPECT_EQ(truncated.status, 400);
  EXPECT_NE(truncated.body.find("bad_gzip"), std::string::npos) << truncated.body;
  FetchOptions get;
  get.ca_file = dir_.Path("certs/ca.pem");
  EXPECT_EQ(HttpClient().Fetch(intake_url_, get).status, 405);

  // A slow body: headers and a little of the body, then nothing. Scrapes
  // complete meanwhile; the intake closes the connection at body_timeout.
  std::string command = "openssl s_client -quiet -connect " + exporter_->IntakeAddresses()[0] +
                        " -CAfile " + dir_.Path("certs/ca.pem") + " >" + dir_.Path("slow.out") +
                        " 2>&1";
  // Writing to openssl after the intake closed the connection (and openssl
  // exited) must not kill the test.
  struct IgnoreSigpipe {
    void (*previous)(int) = std::signal(SIGPIPE, SIG_IGN);
    ~IgnoreSigpipe() { std::signal(SIGPIPE, previous); }
  } ignore_sigpipe;
  FILE* slow = popen(command.c_str(), "w");
  ASSERT_NE(slow, nullptr);
  std::fputs(
      "POST /tlsrpt HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/tlsrpt+json\r\n"
      "Content-Length: 60000\r\n\r\n{\"organization-name\": ",
      slow);
  std::fflush(slow);
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 5; ++i) EXPECT_NE(Metrics().find("mailrep_build_info"), std::string::npos);
  // Well before body_timeout (3s): the upload was still in progress.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  std::this_thread::sleep_for(std::chrono::milliseconds(4000));  // past body_timeout
  std::fputs("\"late\"}", slow);
  std::fflush(slow);
  pclose(slow);
  std::ifstream in(dir_.Path("slow.out"));
  std::string answer((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(answer.find("HTTP/1.1 200"), std::string::npos) << answer;

  std::string metrics = Metrics();
  for (const auto& [code, reason] :
       std::vector<std::pair<std::string, std::string>>{{"415", "content_type"},
                                                        {"400", "decompressed_too_large"},
                                                        {"400", "bad_gzip"},
                                                        {"405", "method"}}) {
    EXPECT_EQ(Sample(metrics, "mailrep_tlsrpt_intake_requests_total{code=\"" + code +
                                  "\",reason=\"" + reason + "\"} "),
              1)
        << code << " " << reason;
  }
  EXPECT_EQ(SpooledFiles(), 0u);
  // And a good report still goes through.
  EXPECT_EQ(Post(gz, "application/tlsrpt+gzip").status, 200);
}

TEST_F(TlsRptIntakeE2eTest, ReloadRefusesAChangedIntake) {
  std::string text;
  {
    std::ifstream in(flags_.config_file);
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  std::ofstream(flags_.config_file) << text << "      max_per_minute: 5\n";
  Status status = exporter_->Reload();
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("tlsrpt_intake"), std::string::npos) << status.message();
  std::ofstream(flags_.config_file) << text;
  EXPECT_OK(exporter_->Reload());
}

}  // namespace
}  // namespace mailrep
