#include "exporter/http/http_server.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <atomic>
#include <memory>

#include "exporter/http/http_test_support.h"

namespace mailrep {
namespace {

using testing::FetchOptions;
using testing::FetchResult;
using testing::HttpClient;
using testing::ScopedTempDir;

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
  if (request.path == "/teapot") {
    response.status = 418;
    response.headers.emplace_back("X-Handler", "yes");
  }
  return response;
}

std::unique_ptr<HttpServer> StartOrDie(const std::vector<std::string>& addresses,
                                       const WebConfig& config = {}, HttpHandler handler = Echo) {
  HttpServer::Options options;
  options.listen_addresses = addresses;
  options.threads = 2;
  StatusOr<std::unique_ptr<HttpServer>> server =
      HttpServer::Start(options, config, std::move(handler));
  EXPECT_TRUE(server.ok()) << server.status().ToString();
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
  ASSERT_TRUE(server->UpdateWebConfig(config).ok());
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

  ASSERT_TRUE(server->UpdateWebConfig(WebConfig{}).ok());
  EXPECT_EQ(client.Fetch(base + "/metrics").status, 200);
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
  EXPECT_TRUE(tls_server->UpdateWebConfig(same).ok());
  WebConfig other = with_tls;
  other.tls->max_version = "TLS12";
  status = tls_server->UpdateWebConfig(other);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("max_version"), std::string::npos) << status.message();
}

}  // namespace
}  // namespace mailrep
