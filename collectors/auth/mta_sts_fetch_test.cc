// Real HTTPS fetches of MTA-STS policies through the process's libcurl
// fetcher (collectors/http_fetch/), against tests/mta_sts/https_server.py on
// 127.0.0.1 with a CA the helper makes with openssl: the RFC 8461 rules of
// mta_sts_fetcher.cc over the real transport. Exits 77 (ctest: skipped) when
// python3 or openssl is missing.
#include <gtest/gtest.h>
#include <unistd.h>

#include <optional>

#include "collectors/auth/mta_sts_check.h"
#include "collectors/auth/mta_sts_fetcher.h"
#include "collectors/dns/memory_dns.h"
#include "collectors/http_fetch/curl_http_fetcher.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"
#include "tests/dns/child_process.h"

namespace mailrep {
namespace {

class HttpsServer : public ::testing::Environment {
 public:
  void SetUp() override {
    tmp_.emplace("mta_sts");
    dir_ = tmp_->path();
    auto child = testing::ChildProcess::Start(
        {"/usr/bin/python3", testing::SourceDir() + "/tests/mta_sts/https_server.py", "--dir",
         dir_});
    ASSERT_OK(child);
    child_ = std::move(*child);
    StatusOr<std::string> line = child_->ReadLine(std::chrono::seconds(60));
    ASSERT_OK(line);
    ASSERT_EQ(line->rfind("READY ", 0), 0u) << *line;
    port_ = std::stoi(line->substr(6));
  }
  void TearDown() override {
    if (child_) child_->Stop();
    tmp_.reset();
  }

  static inline std::optional<ScopedTempDir> tmp_;
  static inline std::string dir_;
  static inline int port_ = 0;

 private:
  std::unique_ptr<testing::ChildProcess> child_;
};

// Every mta-sts.*.test name is at 127.0.0.1, on the helper's port.
MtaStsFetcherOptions Options(const std::string& ca = "ca.pem") {
  MtaStsFetcherOptions o;
  o.ca_file = HttpsServer::dir_ + "/" + ca;
  o.connect_timeout = std::chrono::seconds(5);
  o.total_timeout = std::chrono::seconds(5);
  o.connect_port = static_cast<uint16_t>(HttpsServer::port_);
  return o;
}

std::unique_ptr<MtaStsFetcher> NewFetcher(MtaStsFetcherOptions options = Options()) {
  return NewMtaStsFetcher(NewCurlHttpFetcher(), std::move(options));
}

const std::vector<IpAddress> kLoopback = {*IpAddress::Parse("127.0.0.1")};

MtaStsFetchResult Fetch(const std::string& domain, MtaStsFetcherOptions options = Options()) {
  return NewFetcher(std::move(options))
      ->Fetch(domain, kLoopback, std::chrono::steady_clock::now() + std::chrono::seconds(20), {});
}

TEST(MtaStsFetchTest, GoodPolicy) {
  MtaStsFetchResult r = Fetch("good.test");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.url, "https://mta-sts.good.test/.well-known/mta-sts.txt");
  EXPECT_OK(ParseMtaStsPolicy(r.body));
}

TEST(MtaStsFetchTest, ContentTypeParametersAllowed) {
  MtaStsFetchResult r = Fetch("params.test");
  EXPECT_TRUE(r.ok) << r.error;
}

TEST(MtaStsFetchTest, Failures) {
  struct Case {
    const char* domain;
    const char* error_part;
  } cases[] = {
      {"redirect.test", "redirect"},
      {"html.test", "text/html"},
      {"nocontenttype.test", "Content-Type"},
      {"big.test", "larger than 65536"},
      {"bigchunked.test", "larger than 65536"},
      {"notfound.test", "404"},
      {"unlisted.test", "SSL"},  // certificate lacks the name
  };
  for (const Case& c : cases) {
    MtaStsFetchResult r = Fetch(c.domain);
    EXPECT_FALSE(r.ok) << c.domain;
    EXPECT_TRUE(r.body.empty()) << c.domain;
    EXPECT_NE(r.error.find(c.error_part), std::string::npos) << c.domain << ": " << r.error;
  }
}

TEST(MtaStsFetchTest, UntrustedCertificate) {
  MtaStsFetchResult r = Fetch("good.test", Options("other_ca.pem"));
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("certificate"), std::string::npos) << r.error;
}

TEST(MtaStsFetchTest, TimeoutAndStop) {
  MtaStsFetcherOptions o = Options();
  o.total_timeout = std::chrono::milliseconds(800);
  auto start = std::chrono::steady_clock::now();
  MtaStsFetchResult r = Fetch("slow.test", o);
  EXPECT_FALSE(r.ok);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4)) << r.error;

  std::stop_source stop;
  stop.request_stop();
  r = NewFetcher()->Fetch("good.test", kLoopback,
                          std::chrono::steady_clock::now() + std::chrono::seconds(5),
                          stop.get_token());
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "cancelled");
}

TEST(MtaStsFetchTest, WholeCheckOverRealHttps) {
  MemoryDns dns;
  dns.AddTxt("_mta-sts.good.test", {"v=STSv1; id=1"});
  (void)dns.AddAddress("mta-sts.good.test", "127.0.0.1");
  dns.AddMx("good.test", 10, "mail.good.test");
  dns.AddMx("good.test", 20, "b.mx.good.test");
  auto fetcher = NewFetcher();
  MtaStsCheckResult r = CheckMtaSts("good.test", dns, *fetcher,
                                    std::chrono::steady_clock::now() + std::chrono::seconds(20));
  EXPECT_EQ(r.status, MtaStsStatus::kValid);
  ASSERT_TRUE(r.policy.has_value());
  EXPECT_EQ(r.policy->mode, MtaStsMode::kEnforce);

  dns.AddTxt("_mta-sts.redirect.test", {"v=STSv1; id=1"});
  (void)dns.AddAddress("mta-sts.redirect.test", "127.0.0.1");
  r = CheckMtaSts("redirect.test", dns, *fetcher,
                  std::chrono::steady_clock::now() + std::chrono::seconds(20));
  EXPECT_EQ(r.status, MtaStsStatus::kFetchError);
}

}  // namespace
}  // namespace mailrep

int main(int argc, char** argv) {
  for (const char* tool : {"/usr/bin/python3", "/usr/bin/openssl"}) {
    if (access(tool, X_OK) != 0) {
      fprintf(stderr, "SKIP: %s is not installed\n", tool);
      return 77;
    }
  }
  // Only loopback: no proxy may carry the test's requests elsewhere.
  for (const char* var : {"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"}) unsetenv(var);
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new mailrep::HttpsServer);
  return RUN_ALL_TESTS();
}
