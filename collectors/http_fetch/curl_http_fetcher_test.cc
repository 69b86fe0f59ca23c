// The libcurl fetcher against LoopbackHttpServer on 127.0.0.1: plain HTTP for
// the transport rules, HTTPS (a CA made with the openssl CLI) for the
// certificate checks and pinned addresses.
#include "collectors/http_fetch/curl_http_fetcher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <thread>

#include "collectors/http_fetch/loopback_http_server_testing.h"
#include "exporter/http/http_test_support.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::LoopbackHttpServer;
using testing::LoopbackReply;
using testing::LoopbackRequest;

class CurlHttpFetcherTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Only loopback: no proxy may carry the test's requests elsewhere.
    for (const char* var :
         {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"}) {
      unsetenv(var);
    }
  }

  void SetUp() override {
    StatusOr<std::unique_ptr<LoopbackHttpServer>> server = LoopbackHttpServer::Start();
    ASSERT_OK(server);
    server_ = std::move(server).value();
    LoopbackReply hello;
    hello.content_type = "text/plain; charset=utf-8";
    hello.headers = {{"X-Answer", "42"}};
    hello.body = "hello\n";
    server_->Route("/hello", hello);
  }

  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + path;
  }

  // A plain-HTTP GET of `path` with 10 s to run.
  HttpFetchRequest Get(const std::string& path) const {
    HttpFetchRequest request;
    request.url = Url(path);
    request.allow_plain_http = true;
    request.deadline = std::chrono::steady_clock::now() + seconds(10);
    return request;
  }

  std::shared_ptr<HttpFetcher> fetcher_ = NewCurlHttpFetcher();
  std::unique_ptr<LoopbackHttpServer> server_;
};

TEST_F(CurlHttpFetcherTest, ReturnsStatusHeadersAndBody) {
  HttpFetchRequest request = Get("/hello");
  request.headers = {{"Authorization", "Bearer token-1"}};
  StatusOr<HttpFetchResponse> response = fetcher_->Fetch(request);
  ASSERT_OK(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(HttpHeaderValue(response->headers, "x-answer"), "42");
  EXPECT_EQ(response->body, "hello\n");
  LoopbackRequest seen = server_->last("/hello");
  EXPECT_EQ(seen.method, "GET");
  EXPECT_EQ(seen.headers["authorization"], "Bearer token-1");
  EXPECT_EQ(seen.headers["user-agent"], "mailrep_exporter");
}

TEST_F(CurlHttpFetcherTest, ErrorStatusIsAResponse) {
  StatusOr<HttpFetchResponse> response = fetcher_->Fetch(Get("/nothing-here"));
  ASSERT_OK(response);
  EXPECT_EQ(response->status, 404);
}

TEST_F(CurlHttpFetcherTest, RedirectNotFollowedUnlessAsked) {
  LoopbackReply redirect;
  redirect.status = 302;
  redirect.headers = {{"Location", "/hello"}};
  server_->Route("/moved", redirect);

  StatusOr<HttpFetchResponse> response = fetcher_->Fetch(Get("/moved"));
  ASSERT_OK(response);
  EXPECT_EQ(response->status, 302);
  EXPECT_EQ(HttpHeaderValue(response->headers, "Location"), "/hello");
  EXPECT_EQ(server_->hits("/hello"), 0);

  HttpFetchRequest follow = Get("/moved");
  follow.follow_redirects = true;
  response = fetcher_->Fetch(follow);
  ASSERT_OK(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "hello\n");
  EXPECT_EQ(HttpHeaderValue(response->headers, "X-Answer"), "42");  // the final response's
  EXPECT_EQ(HttpHeaderValue(response->headers, "Location"), std::nullopt);
}

TEST_F(CurlHttpFetcherTest, PostSendsBodyAndHeaders) {
  server_->Route("/token", [](const LoopbackRequest& request) {
    LoopbackReply reply;
    reply.content_type = "application/json";
    reply.body = "{\"got\": " + std::to_string(request.body.size()) + "}";
    return reply;
  });
  HttpFetchRequest request = Get("/token");
  request.method = HttpMethod::kPost;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  request.body = "grant_type=refresh_token&refresh_token=" + std::string(5000, 'r');
  StatusOr<HttpFetchResponse> response = fetcher_->Fetch(request);
  ASSERT_OK(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "{\"got\": 5039}");
  LoopbackRequest seen = server_->last("/token");
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.body, request.body);
  EXPECT_EQ(seen.headers["content-type"], "application/x-www-form-urlencoded");
}

TEST_F(CurlHttpFetcherTest, BodyCapIsAnErrorNeverATruncation) {
  LoopbackReply big;
  big.body = std::string(100000, 'x');
  server_->Route("/big", big);
  big.chunked = true;
  server_->Route("/big-chunked", big);
  LoopbackReply exact;
  exact.body = std::string(65536, 'x');
  server_->Route("/exact", exact);

  for (const char* path : {"/big", "/big-chunked"}) {
    HttpFetchRequest request = Get(path);
    request.max_response_bytes = 65536;
    StatusOr<HttpFetchResponse> response = fetcher_->Fetch(request);
    ASSERT_FALSE(response.ok()) << path;
    EXPECT_EQ(response.status().code(), Status::Code::kResourceExhausted) << path;
    EXPECT_EQ(response.status().message(), "response larger than 65536 bytes") << path;
  }
  HttpFetchRequest request = Get("/exact");
  request.max_response_bytes = 65536;
  StatusOr<HttpFetchResponse> response = fetcher_->Fetch(request);
  ASSERT_OK(response);
  EXPECT_EQ(response->body.size(), 65536u);
}

TEST_F(CurlHttpFetcherTest, DeadlineHonoured) {
  LoopbackReply slow;
  slow.delay = seconds(20);
  server_->Route("/slow", slow);
  HttpFetchRequest request = Get("/slow");
  auto start = std::chrono::steady_clock::now();
  request.deadline = start + milliseconds(500);
  StatusOr<HttpFetchResponse> response = fetcher_->Fetch(request);
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), Status::Code::kDeadlineExceeded)
      << response.status().ToString();
  EXPECT_GE(took, milliseconds(450));
  EXPECT_LT(took, seconds(3));

  request.deadline = std::chrono::steady_clock::now() - milliseconds(1);
  response = fetcher_->Fetch(request);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().message(), "no time left before the deadline");
  EXPECT_EQ(server_->hits("/slow"), 1);
}

TEST_F(CurlHttpFetcherTest, StopHonouredPromptly) {
  LoopbackReply slow;
  slow.delay = seconds(20);
  server_->Route("/slow", slow);
  std::stop_source stop;
  HttpFetchRequest request = Get("/slow");
  request.stop = stop.get_token();
  auto start = std::chrono::steady_clock::now();
  std::thread stopper([&] {
    std::this_thread::sleep_for(milliseconds(300));
    stop.request_stop();
  });
  StatusOr<HttpFetchResponse> response = fetcher_->Fetch(request);
  auto took = std::chrono::steady_clock::now() - start;
  stopper.join();
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), Status::Code::kCancelled);
  EXPECT_EQ(response.status().message(), "cancelled");
  // The wake-up ends the wait, not libcurl's once-a-second progress tick.
  EXPECT_LT(took, milliseconds(900));

  response = fetcher_->Fetch(request);  // already stopped: no request at all
  EXPECT_EQ(response.status().code(), Status::Code::kCancelled);
  EXPECT_EQ(server_->hits("/slow"), 1);
}

TEST_F(CurlHttpFetcherTest, RefusesWhatTheRequestDoesNotAllow) {
  HttpFetchRequest plain = Get("/hello");
  plain.allow_plain_http = false;
  StatusOr<HttpFetchResponse> response = fetcher_->Fetch(plain);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(response.status().message().find("HTTPS only"), std::string::npos);

  HttpFetchRequest injected = Get("/hello");
  injected.headers = {{"X-A", "1\r\nX-B: 2"}};
  EXPECT_EQ(fetcher_->Fetch(injected).status().code(), Status::Code::kInvalidArgument);

  HttpFetchRequest get_with_body = Get("/hello");
  get_with_body.body = "x";
  EXPECT_EQ(fetcher_->Fetch(get_with_body).status().code(), Status::Code::kInvalidArgument);

  HttpFetchRequest pinned_and_redirects = Get("/hello");
  pinned_and_redirects.addresses = {*IpAddress::Parse("127.0.0.1")};
  pinned_and_redirects.follow_redirects = true;
  EXPECT_EQ(fetcher_->Fetch(pinned_and_redirects).status().code(), Status::Code::kInvalidArgument);

  HttpFetchRequest bad_url = Get("/hello");
  bad_url.url = "not a url";
  EXPECT_EQ(fetcher_->Fetch(bad_url).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(server_->hits("/hello"), 0);
}

TEST_F(CurlHttpFetcherTest, ConnectionRefusedIsUnavailable) {
  HttpFetchRequest request = Get("/hello");
  int port = server_->port();
  server_->Stop();
  request.url = "http://127.0.0.1:" + std::to_string(port) + "/hello";
  StatusOr<HttpFetchResponse> response = fetcher_->Fetch(request);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), Status::Code::kUnavailable) << response.status().ToString();
}

TEST_F(CurlHttpFetcherTest, ConcurrentRequests) {
  LoopbackReply slowish;
  slowish.delay = milliseconds(200);
  slowish.body = "ok";
  server_->Route("/slowish", slowish);
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      StatusOr<HttpFetchResponse> response = fetcher_->Fetch(Get("/slowish"));
      if (response.ok() && response->body == "ok") ++ok;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok.load(), 8);
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(1));  // not one after another
}

// HTTPS on a certificate for localhost / 127.0.0.1 signed by a test CA.
class CurlHttpsFetcherTest : public CurlHttpFetcherTest {
 protected:
  void SetUp() override {
    tmp_.emplace("http_fetch");
    if (!testing::MakeCertificates(tmp_->path())) GTEST_SKIP() << "the openssl CLI failed";
    StatusOr<std::unique_ptr<LoopbackHttpServer>> server =
        LoopbackHttpServer::StartHttps(tmp_->path());
    ASSERT_OK(server);
    server_ = std::move(server).value();
    LoopbackReply hello;
    hello.body = "hello over TLS\n";
    server_->Route("/hello", hello);
  }

  HttpFetchRequest HttpsGet(const std::string& url) const {
    HttpFetchRequest request;
    request.url = url;
    request.ca_file = tmp_->path() + "/ca.pem";
    request.deadline = std::chrono::steady_clock::now() + seconds(10);
    return request;
  }
  std::string Port() const { return std::to_string(server_->port()); }

  std::optional<ScopedTempDir> tmp_;
};

TEST_F(CurlHttpsFetcherTest, VerifiesTheCertificate) {
  StatusOr<HttpFetchResponse> response =
      fetcher_->Fetch(HttpsGet("https://localhost:" + Port() + "/hello"));
  ASSERT_OK(response);
  EXPECT_EQ(response->body, "hello over TLS\n");

  HttpFetchRequest system_store = HttpsGet("https://localhost:" + Port() + "/hello");
  system_store.ca_file.clear();
  response = fetcher_->Fetch(system_store);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), Status::Code::kUnavailable);
  EXPECT_NE(response.status().message().find("certificate"), std::string::npos)
      << response.status().ToString();
}

TEST_F(CurlHttpsFetcherTest, PinnedAddressesKeepTheNameForTls) {
  // The name resolves nowhere; the fetch connects to the pinned address and
  // port, and checks the certificate against "localhost".
  HttpFetchRequest pinned = HttpsGet("https://localhost/hello");
  pinned.addresses = {*IpAddress::Parse("127.0.0.1")};
  pinned.connect_port = static_cast<uint16_t>(server_->port());
  StatusOr<HttpFetchResponse> response = fetcher_->Fetch(pinned);
  ASSERT_OK(response);
  EXPECT_EQ(response->body, "hello over TLS\n");
  EXPECT_EQ(server_->last("/hello").headers["host"], "localhost");

  HttpFetchRequest wrong_name = HttpsGet("https://policy.invalid/hello");
  wrong_name.addresses = {*IpAddress::Parse("127.0.0.1")};
  wrong_name.connect_port = static_cast<uint16_t>(server_->port());
  response = fetcher_->Fetch(wrong_name);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), Status::Code::kUnavailable);
  EXPECT_NE(response.status().message().find("SSL"), std::string::npos)
      << response.status().ToString();
}

}  // namespace
}  // namespace mailrep
