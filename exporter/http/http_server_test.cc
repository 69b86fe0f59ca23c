#include "exporter/http/http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <thread>

#include "exporter/http/http_test_support.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

using testing::FetchOptions;
using testing::FetchResult;
using testing::HttpClient;

// Echoes the request so tests can see what reached the handler.
HttpResponse Echo(const HttpRequest& request) {
  std::string body = request.method + " " + request.path + "\n";
  for (const auto& [k, v] : request.query) body += "q " + k + "=" + v + "\n";
  for (const auto& [k, v] : request.headers) body += "h " + k + "=" + v + "\n";
  body += "remote " + request.remote_address + "\n";
  HttpResponse response = HttpResponse::Text(200, body);
  if (request.path == "/big") {
    response.body.clear();
    for (int i = 0; response.body.size() < 200000; ++i) {
      response.body += "mailrep_metric{ip=\"192.0.2." + std::to_string(i % 256) + "\"} 1\n";
    }
    response.compressible = true;
  }
  // A body followed by a tail, deflated in advance ("/tail"), not deflated
  // ("/tail-raw"), or after an empty body ("/tail-only").
  if (request.path.starts_with("/tail")) {
    auto tail = std::make_shared<PrecompressedText>();
    for (int i = 0; tail->text.size() < 100000; ++i) {
      tail->text += "mailrep_tail{n=\"" + std::to_string(i) + "\"} 2\n";
    }
    if (request.path != "/tail-raw") tail->deflated = *DeflatePart(tail->text);
    response.body = request.path == "/tail-only" ? "" : "# HELP head H.\nhead 1\n";
    response.tail = std::move(tail);
    response.compressible = true;
  }
  if (request.path == "/teapot") {
    response.status = 418;
    response.headers.emplace_back("X-Handler", "yes");
  }
  return response;
}

std::unique_ptr<HttpServer> StartOrDie(const std::vector<std::string>& addresses,
                                       const WebConfig& config = {}, HttpHandler handler = Echo,
                                       HttpServer::Options options = {}) {
  options.listen_addresses = addresses;
  if (options.threads == HttpServer::Options().threads) options.threads = 2;
  StatusOr<std::unique_ptr<HttpServer>> server =
      HttpServer::Start(options, config, std::move(handler));
  EXPECT_OK(server);
  return server.ok() ? std::move(server).value() : nullptr;
}

std::string Gunzip(const std::string& in, size_t max_size) {
  z_stream s{};
  inflateInit2(&s, 15 + 16);
  std::string out(max_size, '\0');
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  s.avail_in = static_cast<uInt>(in.size());
  s.next_out = reinterpret_cast<Bytef*>(out.data());
  s.avail_out = static_cast<uInt>(out.size());
  int rc = inflate(&s, Z_FINISH);
  out.resize(s.total_out);
  inflateEnd(&s);
  return rc == Z_STREAM_END ? out : "<inflate failed>";
}

class HttpServerTest : public ::testing::TestWithParam<std::string> {};

TEST_P(HttpServerTest, RequestReachesHandlerWithQueryHeadersAndRemote) {
  auto server = StartOrDie({GetParam()});
  ASSERT_NE(server, nullptr);
  std::string base = "http://" + server->BoundAddresses()[0];
  HttpClient client;
  FetchOptions opts;
  opts.headers = {"X-Test-Header: Some Value"};
  FetchResult r =
      client.Fetch(base + "/probe?target=a%20b%2Fc&module=smtp&target=second&flag", opts);
  ASSERT_EQ(r.curl_code, 0) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-type"], "text/plain; charset=utf-8");
  EXPECT_NE(r.body.find("GET /probe\n"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("q target=a b/c\n"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("q module=smtp\n"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("q flag=\n"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("h x-test-header=Some Value\n"), std::string::npos) << r.body;
  std::string host = GetParam().substr(0, GetParam().rfind(':'));
  EXPECT_NE(r.body.find("remote " + host + ":"), std::string::npos) << r.body;

  r = client.Fetch(base + "/teapot");
  EXPECT_EQ(r.status, 418);
  EXPECT_EQ(r.headers["x-handler"], "yes");
}

TEST_P(HttpServerTest, HeadSendsHeadersOnly) {
  auto server = StartOrDie({GetParam()});
  ASSERT_NE(server, nullptr);
  HttpClient client;
  FetchOptions opts;
  opts.method = "HEAD";
  FetchResult r = client.Fetch("http://" + server->BoundAddresses()[0] + "/x", opts);
  ASSERT_EQ(r.curl_code, 0) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.body.empty());
  ASSERT_EQ(r.headers.count("content-length"), 1u);
  EXPECT_NE(r.headers["content-length"], "0");
}

TEST_P(HttpServerTest, GzipWhenAcceptedAndCompressible) {
  auto server = StartOrDie({GetParam()});
  ASSERT_NE(server, nullptr);
  std::string base = "http://" + server->BoundAddresses()[0];
  HttpClient client;
  FetchResult plain = client.Fetch(base + "/big");
  ASSERT_EQ(plain.curl_code, 0) << plain.error;
  EXPECT_EQ(plain.headers.count("content-encoding"), 0u);
  EXPECT_EQ(plain.headers["vary"], "Accept-Encoding");
  ASSERT_GT(plain.body.size(), 200000u);

  FetchOptions raw;
  raw.headers = {"Accept-Encoding: deflate, gzip;q=0.5"};
  FetchResult zipped = client.Fetch(base + "/big", raw);
  EXPECT_EQ(zipped.headers["content-encoding"], "gzip");
  EXPECT_LT(zipped.body.size(), plain.body.size() / 5);
  EXPECT_EQ(Gunzip(zipped.body, plain.body.size() + 1), plain.body);

  FetchOptions decoded;
  decoded.accept_encoding = "gzip";
  FetchResult roundtrip = client.Fetch(base + "/big", decoded);
  EXPECT_EQ(roundtrip.headers["content-encoding"], "gzip");
  EXPECT_EQ(roundtrip.body, plain.body);

  FetchOptions refused;
  refused.headers = {"Accept-Encoding: gzip;q=0"};
  EXPECT_EQ(client.Fetch(base + "/big", refused).headers.count("content-encoding"), 0u);
  // Not compressible: never gzipped.
  EXPECT_EQ(client.Fetch(base + "/small", raw).headers.count("content-encoding"), 0u);
}

TEST_P(HttpServerTest, PrecompressedTailJoinsTheBodyInOneGzipMember) {
  auto server = StartOrDie({GetParam()});
  ASSERT_NE(server, nullptr);
  std::string base = "http://" + server->BoundAddresses()[0];
  HttpClient client;
  HttpResponse expected = Echo({"GET", "/tail", {}, {}, ""});
  expected.InlineTail();
  FetchOptions raw;
  raw.headers = {"Accept-Encoding: gzip"};
  FetchOptions decoded;
  decoded.accept_encoding = "gzip";
  for (const char* path : {"/tail", "/tail-raw", "/tail-only"}) {
    SCOPED_TRACE(path);
    std::string want = expected.body;
    if (std::string_view(path) == "/tail-only") want = want.substr(want.find("mailrep_tail"));
    FetchResult plain = client.Fetch(base + path);
    EXPECT_EQ(plain.headers.count("content-encoding"), 0u);
    EXPECT_EQ(plain.headers["vary"], "Accept-Encoding");
    EXPECT_EQ(plain.body, want);
    FetchResult zipped = client.Fetch(base + path, raw);
    EXPECT_EQ(zipped.headers["content-encoding"], "gzip");
    EXPECT_LT(zipped.body.size(), want.size() / 4);
    EXPECT_EQ(Gunzip(zipped.body, want.size() + 1), want);
    EXPECT_EQ(client.Fetch(base + path, decoded).body, want) << "curl --compressed";
  }
}

TEST_P(HttpServerTest, KeepAliveReusesOneConnection) {
  auto server = StartOrDie({GetParam()});
  ASSERT_NE(server, nullptr);
  std::string base = "http://" + server->BoundAddresses()[0];
  HttpClient client;
  EXPECT_EQ(client.Fetch(base + "/a").new_connections, 1);
  for (int i = 0; i < 5; ++i) {
    FetchResult r = client.Fetch(base + "/big");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.new_connections, 0) << "request " << i << " opened a new connection";
  }
}

TEST_P(HttpServerTest, RequestBodyOverCapIsRejected) {
  auto server = StartOrDie({GetParam()});
  ASSERT_NE(server, nullptr);
  std::string base = "http://" + server->BoundAddresses()[0];
  HttpClient client;
  FetchOptions small;
  small.method = "POST";
  small.body = "x=1";
  FetchResult ok = client.Fetch(base + "/-/reload", small);
  EXPECT_EQ(ok.status, 200) << ok.error;
  EXPECT_NE(ok.body.find("POST /-/reload"), std::string::npos);

  FetchOptions big = small;
  big.body.assign(200 * 1024, 'x');
  FetchResult rejected = client.Fetch(base + "/-/reload", big);
  EXPECT_TRUE(rejected.curl_code != 0 || rejected.status == 413)
      << rejected.status << " " << rejected.error;
  // The server still serves afterwards.
  EXPECT_EQ(client.Fetch(base + "/after").status, 200);
}

TEST_P(HttpServerTest, BodyPathsHandTheBodyToTheHandler) {
  HttpServer::Options options;
  options.body_paths = {"/upload"};
  options.max_request_body_bytes = 100 * 1024;
  auto server = StartOrDie(
      {GetParam()}, {},
      [](const HttpRequest& r) { return HttpResponse::Text(200, "[" + r.body + "]"); }, options);
  ASSERT_NE(server, nullptr);
  std::string base = "http://" + server->BoundAddresses()[0];
  HttpClient client;
  FetchOptions post;
  post.method = "POST";
  post.body.assign(90 * 1024, 'b');
  post.body += "end";
  EXPECT_EQ(client.Fetch(base + "/upload", post).body, "[" + post.body + "]");
  // Any other path's body is read and dropped.
  EXPECT_EQ(client.Fetch(base + "/other", post).body, "[]");
  post.body.assign(101 * 1024, 'b');
  FetchResult rejected = client.Fetch(base + "/upload", post);
  EXPECT_TRUE(rejected.curl_code != 0 || rejected.status == 413) << rejected.status;
  EXPECT_EQ(client.Fetch(base + "/upload").body, "[]");
}

INSTANTIATE_TEST_SUITE_P(Loopback, HttpServerTest, ::testing::Values("127.0.0.1:0", "[::1]:0"),
                         [](const auto& info) { return info.index == 0 ? "IPv4" : "IPv6"; });

TEST(HttpServer, AllAddressesIsDualStack) {
  auto server = StartOrDie({":0"});
  ASSERT_NE(server, nullptr);
  std::string bound = server->BoundAddresses()[0];
  std::string port = bound.substr(bound.rfind(':') + 1);
  HttpClient client;
  EXPECT_EQ(client.Fetch("http://127.0.0.1:" + port + "/").status, 200);
  EXPECT_EQ(client.Fetch("http://[::1]:" + port + "/").status, 200);
}

TEST(HttpServer, SeveralListenAddresses) {
  auto server = StartOrDie({"127.0.0.1:0", "[::1]:0"});
  ASSERT_NE(server, nullptr);
  ASSERT_EQ(server->BoundAddresses().size(), 2u);
  HttpClient client;
  for (const std::string& address : server->BoundAddresses()) {
    EXPECT_EQ(client.Fetch("http://" + address + "/").status, 200) << address;
  }
}

TEST(HttpServer, BindFailureNamesTheAddress) {
  auto first = StartOrDie({"127.0.0.1:0"});
  ASSERT_NE(first, nullptr);
  std::string taken = first->BoundAddresses()[0];
  HttpServer::Options options;
  options.listen_addresses = {"[::1]:0", taken};
  auto second = HttpServer::Start(options, {}, Echo);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("listen on " + taken), std::string::npos)
      << second.status().ToString();

  // The real address and the reason, not the "port 0" MHD was given.
  EXPECT_EQ(second.status().message().find("port 0"), std::string::npos)
      << second.status().ToString();
  EXPECT_NE(second.status().message().find("cannot bind: Address already in use"),
            std::string::npos)
      << second.status().ToString();

  options.listen_addresses = {"127.0.0.1"};
  auto bad = HttpServer::Start(options, {}, Echo);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("127.0.0.1"), std::string::npos);
}

TEST(HttpServer, ExtraHeadersAndLiveUpdate) {
  WebConfig config;
  config.headers = {{"X-Frame-Options", "deny"}, {"Strict-Transport-Security", "max-age=60"}};
  auto server = StartOrDie({"127.0.0.1:0"}, config);
  ASSERT_NE(server, nullptr);
  std::string base = "http://" + server->BoundAddresses()[0];
  HttpClient client;
  FetchResult r = client.Fetch(base + "/");
  EXPECT_EQ(r.headers["x-frame-options"], "deny");
  EXPECT_EQ(r.headers["strict-transport-security"], "max-age=60");

  config.headers = {{"X-Content-Type-Options", "nosniff"}};
  ASSERT_OK(server->UpdateWebConfig(config));
  r = client.Fetch(base + "/");
  EXPECT_EQ(r.headers.count("x-frame-options"), 0u);
  EXPECT_EQ(r.headers["x-content-type-options"], "nosniff");
}

TEST(HttpServer, BasicAuthGuardsAllButHealthy) {
  WebConfig config;
  config.basic_auth_users = {{"alice", testing::BcryptHash("s3cret")}};
  std::atomic<int> calls{0};
  auto server = StartOrDie({"127.0.0.1:0"}, config, [&](const HttpRequest& request) {
    ++calls;
    return Echo(request);
  });
  ASSERT_NE(server, nullptr);
  std::string base = "http://" + server->BoundAddresses()[0];
  HttpClient client;
  FetchResult r = client.Fetch(base + "/metrics");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.headers["www-authenticate"], "Basic realm=\"mailrep_exporter\"");
  EXPECT_EQ(calls, 0);

  FetchOptions wrong;
  wrong.user = "alice";
  wrong.password = "nope";
  EXPECT_EQ(client.Fetch(base + "/metrics", wrong).status, 401);
  wrong.user = "mallory";
  EXPECT_EQ(client.Fetch(base + "/metrics", wrong).status, 401);

  FetchOptions right;
  right.user = "alice";
  right.password = "s3cret";
  EXPECT_EQ(client.Fetch(base + "/metrics", right).status, 200);
  EXPECT_EQ(client.Fetch(base + "/probe?target=x", right).status, 200);
  EXPECT_EQ(client.Fetch(base + "/-/healthy").status, 200);
  EXPECT_EQ(calls, 3);

  ASSERT_OK(server->UpdateWebConfig(WebConfig{}));
  EXPECT_EQ(client.Fetch(base + "/metrics").status, 200);
}

TEST(HttpServer, UnauthenticatedPathsAreAnOption) {
  WebConfig config;
  config.basic_auth_users = {{"alice", testing::BcryptHash("s3cret")}};
  HttpServer::Options options;
  options.unauthenticated_paths = {"/open"};
  auto server = StartOrDie({"127.0.0.1:0"}, config, Echo, options);
  ASSERT_NE(server, nullptr);
  std::string base = "http://" + server->BoundAddresses()[0];
  HttpClient client;
  EXPECT_EQ(client.Fetch(base + "/open").status, 200);
  EXPECT_EQ(client.Fetch(base + "/-/healthy").status, 401);
}

TEST(HttpServer, ChangedPasswordIsNotAcceptedFromTheCache) {
  WebConfig config;
  config.basic_auth_users = {{"alice", testing::BcryptHash("old")}};
  auto server = StartOrDie({"127.0.0.1:0"}, config);
  ASSERT_NE(server, nullptr);
  std::string base = "http://" + server->BoundAddresses()[0];
  HttpClient client;
  FetchOptions old_password;
  old_password.user = "alice";
  old_password.password = "old";
  EXPECT_EQ(client.Fetch(base + "/a", old_password).status, 200);
  EXPECT_EQ(client.Fetch(base + "/b", old_password).status, 200);  // verified before
  config.basic_auth_users = {{"alice", testing::BcryptHash("new")}};
  ASSERT_OK(server->UpdateWebConfig(config));
  EXPECT_EQ(client.Fetch(base + "/c", old_password).status, 401);
  FetchOptions new_password = old_password;
  new_password.password = "new";
  EXPECT_EQ(client.Fetch(base + "/d", new_password).status, 200);
}

// A handler whose /slow requests block until released (or the server stops).
class Gate {
 public:
  HttpResponse Handle(const HttpRequest& request) {
    if (request.path != "/slow") return Echo(request);
    std::unique_lock<std::mutex> lock(mu_);
    ++waiting_;
    cv_.notify_all();
    cv_.wait(lock, request.stop, [&] { return open_; });
    --waiting_;
    return HttpResponse::Text(200, request.stop.stop_requested() ? "cancelled\n" : "slow\n");
  }
  void Open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  bool WaitForWaiting(int n) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(10), [&] { return waiting_ >= n; });
  }

 private:
  std::mutex mu_;
  std::condition_variable_any cv_;
  int waiting_ = 0;
  bool open_ = false;
};

double MillisSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

TEST(HttpServer, SlowHandlerDoesNotDelayTheFastRoute) {
  Gate gate;
  HttpServer::Options options;
  options.threads = 1;  // one event-loop thread: a handler running on it would block everything
  options.slow_paths = {"/slow"};
  options.slow_threads = 2;
  auto server = StartOrDie(
      {"127.0.0.1:0"}, {}, [&](const HttpRequest& r) { return gate.Handle(r); }, options);
  ASSERT_NE(server, nullptr);
  std::string base = "http://" + server->BoundAddresses()[0];
  // Fill both slow threads.
  std::vector<std::future<FetchResult>> slow;
  for (int i = 0; i < 2; ++i) {
    slow.push_back(
        std::async(std::launch::async, [base] { return HttpClient().Fetch(base + "/slow"); }));
  }
  ASSERT_TRUE(gate.WaitForWaiting(2));

  HttpClient client;
  double worst_ms = 0;
  for (int i = 0; i < 20; ++i) {
    auto start = std::chrono::steady_clock::now();
    FetchResult r = client.Fetch(base + "/metrics");
    worst_ms = std::max(worst_ms, MillisSince(start));
    ASSERT_EQ(r.status, 200) << r.error;
  }
  // The slow handlers block until the gate opens, so a fast route queued
  // behind them would never answer; the bound only has to be far below the
  // client's timeout (1 s was seen exceeded on a 2-core machine at load 9).
  EXPECT_LT(worst_ms, 5000) << "fast route waited behind the slow handlers";

  // A third slow request finds no free slow thread: 503 at once.
  auto start = std::chrono::steady_clock::now();
  FetchResult busy = client.Fetch(base + "/slow");
  EXPECT_EQ(busy.status, 503) << busy.body;
  EXPECT_EQ(busy.headers["retry-after"], "1");
  EXPECT_LT(MillisSince(start), 5000);  // not queued for a slot (that would be forever)

  gate.Open();
  for (auto& f : slow) {
    FetchResult r = f.get();
    EXPECT_EQ(r.status, 200) << r.error;
    EXPECT_EQ(r.body, "slow\n");
  }
  EXPECT_EQ(client.Fetch(base + "/slow").status, 200);
}

TEST(HttpServer, BusySlowStatusIsAnOption) {
  Gate gate;
  HttpServer::Options options;
  options.slow_paths = {"/slow"};
  options.slow_threads = 1;
  options.slow_busy_status = 429;
  auto server = StartOrDie(
      {"127.0.0.1:0"}, {}, [&](const HttpRequest& r) { return gate.Handle(r); }, options);
  ASSERT_NE(server, nullptr);
  std::string base = "http://" + server->BoundAddresses()[0];
  auto slow = std::async(std::launch::async, [base] { return HttpClient().Fetch(base + "/slow"); });
  ASSERT_TRUE(gate.WaitForWaiting(1));
  FetchResult busy = HttpClient().Fetch(base + "/slow");
  EXPECT_EQ(busy.status, 429) << busy.body;
  gate.Open();
  EXPECT_EQ(slow.get().status, 200);
}

TEST(HttpServer, StopCancelsInFlightSlowHandlers) {
  Gate gate;
  HttpServer::Options options;
  options.slow_paths = {"/slow"};
  auto server = StartOrDie(
      {"127.0.0.1:0"}, {}, [&](const HttpRequest& r) { return gate.Handle(r); }, options);
  ASSERT_NE(server, nullptr);
  std::string base = "http://" + server->BoundAddresses()[0];
  auto slow = std::async(std::launch::async, [base] { return HttpClient().Fetch(base + "/slow"); });
  ASSERT_TRUE(gate.WaitForWaiting(1));
  auto start = std::chrono::steady_clock::now();
  server->Stop();
  EXPECT_LT(MillisSince(start), 2000);
  FetchResult r = slow.get();
  // Answered as cancelled, or the connection closed: either way not stuck.
  if (r.curl_code == 0) {
    EXPECT_EQ(r.body, "cancelled\n");
  }
}

TEST(HttpServer, VerifiedCredentialsAreServedWhilePasswordChecksAreBusy) {
  WebConfig config;
  config.basic_auth_users = {{"alice", testing::BcryptHash("s3cret")}};
  HttpServer::Options options;
  options.threads = 1;
  options.auth_threads = 1;
  auto server = StartOrDie({"127.0.0.1:0"}, config, Echo, options);
  ASSERT_NE(server, nullptr);
  std::string base = "http://" + server->BoundAddresses()[0];
  HttpClient client;
  FetchOptions alice;
  alice.user = "alice";
  alice.password = "s3cret";
  ASSERT_EQ(client.Fetch(base + "/metrics", alice).status, 200);  // now verified

  // Unknown users cost a bcrypt each (cost 10); four clients keep the one
  // password-checking thread busy.
  std::atomic<bool> done{false};
  std::atomic<int> unauthorized{0}, busy{0}, other{0};
  std::vector<std::thread> flood;
  for (int t = 0; t < 4; ++t) {
    flood.emplace_back([&] {
      HttpClient attacker;
      FetchOptions mallory;
      mallory.user = "mallory";
      mallory.password = "guess";
      for (int i = 0; i < 200 && !done; ++i) {
        long status = attacker.Fetch(base + "/metrics", mallory).status;
        (status == 401 ? unauthorized : status == 429 ? busy : other)++;
      }
    });
  }
  // Verified credentials never go to the (busy) password-checking thread:
  // every request is served, none gets 429.
  for (int i = 0; i < 30; ++i) {
    FetchResult r = client.Fetch(base + "/metrics", alice);
    EXPECT_EQ(r.status, 200) << r.body;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  done = true;
  for (std::thread& t : flood) t.join();
  EXPECT_GT(unauthorized, 0);
  // bcrypt runs on the bounded lane (on the event-loop thread it would queue, never refuse).
  EXPECT_GT(busy, 0) << "the flood never found the password-checking thread busy";
  EXPECT_EQ(other, 0);
}

// A TCP connection to `port` on 127.0.0.1 from `source` (another loopback
// address, so per-client limits can be told apart). -1 on failure.
int ConnectFrom(const std::string& source, int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  inet_pton(AF_INET, source.c_str(), &local.sin_addr);
  sockaddr_in remote{};
  remote.sin_family = AF_INET;
  remote.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof(local)) != 0 ||
      connect(fd, reinterpret_cast<sockaddr*>(&remote), sizeof(remote)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Waits up to `timeout` for the peer to close `fd` (EOF or reset).
bool ClosedByPeer(int fd, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                    deadline - std::chrono::steady_clock::now())
                                    .count());
    if (poll(&p, 1, std::max(left, 1)) <= 0) continue;
    ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) return true;
  }
  return false;
}

// The status line of a GET sent over a raw socket; "" on failure.
std::string RawGet(int fd, const std::string& path) {
  std::string request = "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
  if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) < 0) return "";
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, 5000) <= 0) return "";
  char buf[4096];
  ssize_t n = recv(fd, buf, sizeof(buf), 0);
  if (n <= 0) return "";
  std::string text(buf, static_cast<size_t>(n));
  return text.substr(0, text.find("\r\n"));
}

int PortOf(const HttpServer& server) {
  std::string bound = server.BoundAddresses()[0];
  return std::stoi(bound.substr(bound.rfind(':') + 1));
}

TEST(HttpServer, PerClientConnectionLimitHitsOnlyThatClient) {
  HttpServer::Options options;
  options.max_connections_per_ip = 3;
  auto server = StartOrDie({"127.0.0.1:0"}, {}, Echo, options);
  ASSERT_NE(server, nullptr);
  int port = PortOf(*server);
  std::vector<int> idle;
  for (int i = 0; i < 3; ++i) {
    idle.push_back(ConnectFrom("127.0.0.2", port));
    ASSERT_GE(idle.back(), 0);
    // A served request proves the server accepted and counted it. Without
    // this, a pool thread may count the fourth connection before another
    // thread counts one of these, and close one of these instead.
    ASSERT_EQ(RawGet(idle.back(), "/"), "HTTP/1.1 200 OK");
  }
  // The fourth from the same address is closed at once; another address is served.
  int extra = ConnectFrom("127.0.0.2", port);
  ASSERT_GE(extra, 0);
  EXPECT_TRUE(ClosedByPeer(extra, std::chrono::milliseconds(3000)));
  close(extra);
  int other = ConnectFrom("127.0.0.1", port);
  ASSERT_GE(other, 0);
  EXPECT_EQ(RawGet(other, "/"), "HTTP/1.1 200 OK");
  close(other);
  // The held connections still work.
  EXPECT_EQ(RawGet(idle[0], "/"), "HTTP/1.1 200 OK");
  for (int fd : idle) close(fd);
}

TEST(HttpServer, SlowAndIdleClientsAreClosedAtTheReadDeadline) {
  HttpServer::Options options;
  options.request_read_timeout_seconds = 1;
  options.connection_timeout_seconds = 2;
  auto server = StartOrDie({"127.0.0.1:0"}, {}, Echo, options);
  ASSERT_NE(server, nullptr);
  int port = PortOf(*server);

  int idle = ConnectFrom("127.0.0.1", port);
  int trickle = ConnectFrom("127.0.0.1", port);
  int keepalive = ConnectFrom("127.0.0.1", port);
  ASSERT_GE(idle, 0);
  ASSERT_GE(trickle, 0);
  ASSERT_GE(keepalive, 0);
  ASSERT_EQ(RawGet(keepalive, "/"), "HTTP/1.1 200 OK");
  auto start = std::chrono::steady_clock::now();
  // A header that never ends, one byte every 200 ms: each byte is activity,
  // but the request is not complete within the read deadline.
  std::string header = "GET / HTTP/1.1\r\nX-Slow: ";
  send(trickle, header.data(), header.size(), MSG_NOSIGNAL);
  bool trickle_closed = false;
  for (int i = 0; i < 25 && !trickle_closed; ++i) {
    send(trickle, "a", 1, MSG_NOSIGNAL);
    trickle_closed = ClosedByPeer(trickle, std::chrono::milliseconds(200));
  }
  EXPECT_TRUE(trickle_closed);
  EXPECT_LT(MillisSince(start), 3000);
  EXPECT_TRUE(ClosedByPeer(idle, std::chrono::milliseconds(3000)));
  // After a response the next request has connection_timeout_seconds.
  EXPECT_TRUE(ClosedByPeer(keepalive, std::chrono::milliseconds(4000)));
  EXPECT_GT(MillisSince(start), 1500) << "keep-alive closed before its timeout";
  for (int fd : {idle, trickle, keepalive}) close(fd);
}

TEST(HttpServer, HandlerExceptionBecomes500) {
  auto server = StartOrDie({"127.0.0.1:0"}, {}, [](const HttpRequest&) -> HttpResponse {
    throw std::runtime_error("boom");
  });
  ASSERT_NE(server, nullptr);
  HttpClient client;
  EXPECT_EQ(client.Fetch("http://" + server->BoundAddresses()[0] + "/").status, 500);
}

class HttpsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(testing::MakeCertificates(dir_.path())); }
  std::string File(const std::string& name) const { return dir_.path() + "/" + name; }

  std::unique_ptr<HttpServer> StartTls(ClientAuthType auth, bool with_ca,
                                       std::vector<std::string> sans = {},
                                       std::string min_version = "TLS12") {
    WebConfig config;
    TlsServerConfig tls;
    tls.cert_file = File("server.pem");
    tls.key_file = File("server.key");
    tls.client_auth = auth;
    if (with_ca) tls.client_ca_file = File("ca.pem");
    tls.client_allowed_sans = std::move(sans);
    tls.min_version = std::move(min_version);
    config.tls = tls;
    return StartOrDie({"127.0.0.1:0"}, config);
  }

  // Status of GET / with the named client certificate ("" = none); 0 when the
  // TLS handshake or request failed.
  long StatusWithCert(HttpServer& server, const std::string& cert) {
    HttpClient client;
    FetchOptions opts;
    opts.ca_file = File("ca.pem");
    if (!cert.empty()) {
      opts.cert_file = File(cert + ".pem");
      opts.key_file = File(cert + ".key");
    }
    FetchResult r = client.Fetch("https://" + server.BoundAddresses()[0] + "/", opts);
    return r.curl_code == 0 ? r.status : 0;
  }

  ScopedTempDir dir_;
};

TEST_F(HttpsTest, SelfSignedCertificateOverIPv4AndIPv6) {
  WebConfig config;
  config.tls = TlsServerConfig{};
  config.tls->cert_file = File("self.pem");
  config.tls->key_file = File("self.key");
  auto server = StartOrDie({"127.0.0.1:0", "[::1]:0"}, config);
  ASSERT_NE(server, nullptr);
  HttpClient client;
  FetchOptions opts;
  opts.ca_file = File("self.pem");
  opts.accept_encoding = "gzip";
  for (const std::string& address : server->BoundAddresses()) {
    FetchResult r = client.Fetch("https://" + address + "/big", opts);
    ASSERT_EQ(r.curl_code, 0) << address << ": " << r.error;
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.headers["content-encoding"], "gzip");
    EXPECT_GT(r.body.size(), 200000u);
    r = client.Fetch("https://" + address + "/again", opts);
    EXPECT_EQ(r.new_connections, 0) << "TLS keep-alive";
    // Plain HTTP to the TLS port gets no HTTP answer.
    EXPECT_NE(client.Fetch("http://" + address + "/").status, 200);
  }
  // A client that does not trust the certificate fails.
  EXPECT_NE(client.Fetch("https://" + server->BoundAddresses()[0] + "/").curl_code, 0);
}

TEST_F(HttpsTest, RequireAndVerifyClientCert) {
  auto server = StartTls(ClientAuthType::kRequireAndVerifyClientCert, true);
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(StatusWithCert(*server, "client"), 200);
  EXPECT_EQ(StatusWithCert(*server, ""), 403);
  EXPECT_EQ(StatusWithCert(*server, "rogue"), 403);
}

TEST_F(HttpsTest, RequireAnyClientCert) {
  auto server = StartTls(ClientAuthType::kRequireAnyClientCert, false);
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(StatusWithCert(*server, "client"), 200);
  EXPECT_EQ(StatusWithCert(*server, "rogue"), 200);
  EXPECT_EQ(StatusWithCert(*server, ""), 403);
}

TEST_F(HttpsTest, VerifyClientCertIfGiven) {
  auto server = StartTls(ClientAuthType::kVerifyClientCertIfGiven, true);
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(StatusWithCert(*server, ""), 200);
  EXPECT_EQ(StatusWithCert(*server, "client"), 200);
  EXPECT_EQ(StatusWithCert(*server, "rogue"), 403);
}

TEST_F(HttpsTest, RequestAndNoClientCertAcceptAnything) {
  for (ClientAuthType type : {ClientAuthType::kRequestClientCert, ClientAuthType::kNoClientCert}) {
    auto server = StartTls(type, false);
    ASSERT_NE(server, nullptr);
    EXPECT_EQ(StatusWithCert(*server, ""), 200);
    EXPECT_EQ(StatusWithCert(*server, "rogue"), 200);
  }
}

TEST_F(HttpsTest, ClientAllowedSans) {
  auto allowed =
      StartTls(ClientAuthType::kRequireAndVerifyClientCert, true, {"other", "client.example"});
  ASSERT_NE(allowed, nullptr);
  EXPECT_EQ(StatusWithCert(*allowed, "client"), 200);
  auto denied = StartTls(ClientAuthType::kRequireAndVerifyClientCert, true, {"other.example"});
  ASSERT_NE(denied, nullptr);
  EXPECT_EQ(StatusWithCert(*denied, "client"), 403);
}

TEST_F(HttpsTest, MinVersionIsEnforced) {
  auto server = StartTls(ClientAuthType::kNoClientCert, false, {}, "TLS13");
  ASSERT_NE(server, nullptr);
  HttpClient client;
  FetchOptions opts;
  opts.ca_file = File("ca.pem");
  std::string url = "https://" + server->BoundAddresses()[0] + "/";
  EXPECT_EQ(client.Fetch(url, opts).status, 200);
  opts.tls_max = "1.2";
  EXPECT_NE(client.Fetch(url, opts).curl_code, 0);
}

TEST_F(HttpsTest, MissingCertificateFileFails) {
  WebConfig config;
  config.tls = TlsServerConfig{};
  config.tls->cert_file = File("nope.pem");
  config.tls->key_file = File("server.key");
  HttpServer::Options options;
  options.listen_addresses = {"127.0.0.1:0"};
  auto server = HttpServer::Start(options, config, Echo);
  ASSERT_FALSE(server.ok());
  EXPECT_NE(server.status().message().find("nope.pem"), std::string::npos);
}

// TLS is applied at start only: an update asking for other TLS is refused
// whole (users and headers stay too) and names what changed.
TEST_F(HttpsTest, UpdateWebConfigRefusesTlsChanges) {
  WebConfig plain;
  auto server = StartOrDie({"127.0.0.1:0"}, plain);
  ASSERT_NE(server, nullptr);
  WebConfig with_tls;
  with_tls.tls = TlsServerConfig{};
  with_tls.tls->cert_file = File("server.pem");
  with_tls.tls->key_file = File("server.key");
  with_tls.headers = {{"X-Frame-Options", "deny"}};
  Status status = server->UpdateWebConfig(with_tls);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("TLS turned on"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("restart"), std::string::npos) << status.message();
  HttpClient client;
  FetchResult r = client.Fetch("http://" + server->BoundAddresses()[0] + "/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.count("x-frame-options"), 0u);

  auto tls_server = StartOrDie({"127.0.0.1:0"}, with_tls);
  ASSERT_NE(tls_server, nullptr);
  WebConfig same = with_tls;
  same.headers.clear();
  EXPECT_OK(tls_server->UpdateWebConfig(same));
  WebConfig other = with_tls;
  other.tls->max_version = "TLS12";
  status = tls_server->UpdateWebConfig(other);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("max_version"), std::string::npos) << status.message();
}

}  // namespace
}  // namespace mailrep
