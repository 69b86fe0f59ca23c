#include "exporter/http/web_config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

#include "exporter/http/http_test_support.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

constexpr char kHash[] = "$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi";
constexpr char kPromtool[] = "/usr/bin/promtool";

class WebConfigTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(testing::MakeCertificates(dir_.path())); }

  // Writes `yaml` as web.yml next to the certificates and loads it.
  StatusOr<WebConfig> Load(const std::string& yaml) {
    return LoadWebConfig(dir_.WriteFile("web.yml", yaml));
  }

  ScopedTempDir dir_;
};

struct Case {
  const char* name;
  const char* yaml;
  // "" when the file must load; otherwise substrings of the error (file:line,
  // key path and reason), separated by '|'.
  const char* error;
  // False for our deliberate differences from promtool 2.42 (refusals).
  bool promtool_agrees = true;
};

const Case kCases[] = {
    {"empty", "", ""},
    {"tls", "tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n", ""},
    {"tls_null", "tls_server_config:\n", ""},
    {"tls_empty_map_is_plain_http", "tls_server_config: {}\n", ""},
    {"tls_min_only_is_plain_http", "tls_server_config:\n  min_version: TLS13\n", ""},
    {"tls_full",
     "tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n"
     "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.pem\n"
     "  min_version: TLS12\n  max_version: TLS13\n"
     "  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]\n"
     "  curve_preferences: [X25519, CurveP256]\n  prefer_server_cipher_suites: false\n",
     ""},
    {"verify_if_given",
     "tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n"
     "  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: ca.pem\n",
     ""},
    {"require_any",
     "tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n"
     "  client_auth_type: RequireAnyClientCert\n",
     ""},
    {"headers",
     "http_server_config:\n  http2: false\n  headers:\n    X-Frame-Options: deny\n"
     "    X-Content-Type-Options: nosniff\n    Strict-Transport-Security: max-age=31536000\n"
     "    X-XSS-Protection: \"1; mode=block\"\n    Content-Security-Policy: default-src 'self'\n",
     ""},
    {"users",
     "basic_auth_users:\n  alice: $2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi\n"
     "  bob: $2a$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi\n",
     ""},

    {"unknown_top", "bogus: 1\n", "web.yml:1:|bogus|unknown"},
    {"unknown_tls",
     "tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n  bogus: 1\n",
     "web.yml:4:|tls_server_config.bogus"},
    {"inline_cert", "tls_server_config:\n  cert: x\n  key: y\n", "tls_server_config.cert"},
    {"rate_limit", "rate_limit:\n  interval: 1s\n", "rate_limit"},
    {"missing_key", "tls_server_config:\n  cert_file: server.pem\n", "missing key_file"},
    {"missing_cert", "tls_server_config:\n  client_auth_type: NoClientCert\n", "missing cert_file"},
    {"cert_not_found", "tls_server_config:\n  cert_file: nope.pem\n  key_file: server.key\n",
     "web.yml:2:|tls_server_config.cert_file|nope.pem"},
    {"pair_swapped", "tls_server_config:\n  cert_file: server.key\n  key_file: server.pem\n",
     "tls_server_config.cert_file|key pair"},
    {"pair_mismatch", "tls_server_config:\n  cert_file: server.pem\n  key_file: client.key\n",
     "key pair"},
    {"ca_without_auth",
     "tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n"
     "  client_ca_file: ca.pem\n",
     "tls_server_config.client_ca_file|without"},
    {"ca_not_found",
     "tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n"
     "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: nope.pem\n",
     "nope.pem"},
    {"bad_auth_type",
     "tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n"
     "  client_auth_type: Foo\n",
     "web.yml:4:|client_auth_type|Foo"},
    {"bad_version",
     "tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n"
     "  min_version: TLS14\n",
     "tls_server_config.min_version|TLS14"},
    {"bad_curve",
     "tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n"
     "  curve_preferences: [foo]\n",
     "curve_preferences[0]|foo"},
    {"bad_cipher",
     "tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n"
     "  cipher_suites: [FOO]\n",
     "cipher_suites[0]|FOO"},
    {"header_content_type", "http_server_config:\n  headers:\n    Content-Type: text/html\n",
     "web.yml:3:|http_server_config.headers.Content-Type|can not be configured"},
    {"header_lower_case", "http_server_config:\n  headers:\n    x-frame-options: deny\n",
     "can not be configured"},
    {"header_custom", "http_server_config:\n  headers:\n    X-Custom: x\n", "X-Custom"},
    {"header_bad_value", "http_server_config:\n  headers:\n    X-Frame-Options: DENY\n",
     "X-Frame-Options|\"deny\""},
    {"http2_not_bool", "http_server_config:\n  http2: maybe\n", "http_server_config.http2"},
    {"plain_password", "basic_auth_users:\n  alice: plain\n",
     "web.yml:2:|basic_auth_users.alice|bcrypt"},
    {"sha256_crypt", "basic_auth_users:\n  alice: $5$rounds=1000$abcdefghabcdefgh$0123456789\n",
     "bcrypt"},
    {"null_hash", "basic_auth_users:\n  alice:\n", "basic_auth_users.alice"},
    {"duplicate_user",
     "basic_auth_users:\n  a: $2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi\n"
     "  a: $2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi\n",
     "web.yml:3:"},

    // Names promtool refuses are refused here, saying why.
    {"rc4",
     "tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n"
     "  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_RSA_WITH_RC4_128_SHA]\n",
     "web.yml:4:|cipher_suites[1]|insecure cipher suite \"TLS_RSA_WITH_RC4_128_SHA\""},
    {"3des",
     "tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n"
     "  cipher_suites: [TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA]\n",
     "cipher_suites[0]|insecure"},
    {"cbc_sha256",
     "tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n"
     "  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256]\n",
     "cipher_suites[0]|insecure"},
    {"go_suites_and_curves",
     "tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n"
     "  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, "
     "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_AES_128_GCM_SHA256]\n"
     "  curve_preferences: [CurveP521, CurveP384]\n  max_version: TLS13\n",
     ""},
    {"bcrypt_cost_10_and_12",
     "basic_auth_users:\n  a: $2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi\n"
     "  b: $2y$12$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi\n",
     ""},

    // Deliberate differences: a verifying mode without client_ca_file would
    // reject every client here, so it is an error; client_allowed_sans is a
    // newer exporter-toolkit key that promtool 2.42 does not know.
    {"verify_without_ca",
     "tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n"
     "  client_auth_type: RequireAndVerifyClientCert\n",
     "needs client_ca_file", false},
    {"allowed_sans",
     "tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n"
     "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.pem\n"
     "  client_allowed_sans: [client.example]\n",
     "", false},
    // GnuTLS picks key exchanges and ciphers, not suites: this pair would
    // also enable the two crossed suites, so it is refused (tls_policy.h).
    {"cipher_cross_product",
     "tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n"
     "  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, "
     "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384]\n",
     "web.yml:4:|cipher_suites|would also enable|TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", false},
    // CBC only: no cipher left for TLS 1.3, which Go would still serve.
    {"cipher_no_tls13",
     "tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n"
     "  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA]\n",
     "cipher_suites|no TLS 1.3 suite", false},
    {"min_above_max",
     "tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n"
     "  min_version: TLS13\n  max_version: TLS12\n",
     "min_version|above max_version", false},
    // bcrypt cost outside 10..12: unbounded cost let 12 requests stall the
    // server (cost 31); low cost makes a stolen hash cheap.
    {"bcrypt_cost_13",
     "basic_auth_users:\n  alice: $2y$13$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi\n",
     "web.yml:2:|basic_auth_users.alice|user \"alice\"|bcrypt cost 13 is outside 10..12", false},
    {"bcrypt_cost_31",
     "basic_auth_users:\n  alice: $2y$31$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi\n",
     "basic_auth_users.alice|cost 31", false},
    {"bcrypt_cost_4",
     "basic_auth_users:\n  bob: $2y$04$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi\n",
     "basic_auth_users.bob|user \"bob\"|cost 4", false},
};

TEST_F(WebConfigTest, AcceptsAndRejects) {
  for (const Case& c : kCases) {
    StatusOr<WebConfig> config = Load(c.yaml);
    std::string want(c.error);
    if (want.empty()) {
      EXPECT_OK(config) << c.name;
      continue;
    }
    ASSERT_FALSE(config.ok()) << c.name;
    const std::string message = config.status().message();
    size_t start = 0;
    while (start <= want.size()) {
      size_t bar = want.find('|', start);
      std::string part = want.substr(start, bar == std::string::npos ? bar : bar - start);
      EXPECT_NE(message.find(part), std::string::npos)
          << c.name << ": \"" << part << "\" not in: " << message;
      if (bar == std::string::npos) break;
      start = bar + 1;
    }
  }
}

// The same files through `promtool check web-config`, when it is installed.
TEST_F(WebConfigTest, AgreesWithPromtool) {
  if (access(kPromtool, X_OK) != 0) GTEST_SKIP() << kPromtool << " not installed";
  for (const Case& c : kCases) {
    if (!c.promtool_agrees) continue;
    std::string file = dir_.WriteFile(std::string(c.name) + ".yml", c.yaml);
    std::string command =
        std::string(kPromtool) + " check web-config '" + file + "' >/dev/null 2>&1";
    bool promtool_ok = std::system(command.c_str()) == 0;
    EXPECT_EQ(promtool_ok, std::string(c.error).empty()) << c.name;
  }
}

TEST_F(WebConfigTest, ValuesAndRelativePaths) {
  StatusOr<WebConfig> config =
      Load("tls_server_config:\n  cert_file: server.pem\n  key_file: " + dir_.path() +
           "/server.key\n  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: ca.pem\n"
           "  min_version: TLS13\n  client_allowed_sans: [a, b]\n"
           "http_server_config:\n  headers:\n    X-Frame-Options: sameorigin\n"
           "basic_auth_users:\n  alice: " +
           std::string(kHash) + "\n");
  ASSERT_OK(config);
  ASSERT_TRUE(config->tls.has_value());
  EXPECT_EQ(config->tls->cert_file, dir_.path() + "/server.pem");
  EXPECT_EQ(config->tls->key_file, dir_.path() + "/server.key");
  EXPECT_EQ(config->tls->client_ca_file, dir_.path() + "/ca.pem");
  EXPECT_EQ(config->tls->client_auth, ClientAuthType::kVerifyClientCertIfGiven);
  EXPECT_EQ(config->tls->min_version, "TLS13");
  EXPECT_EQ(config->tls->client_allowed_sans, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(config->headers.size(), 1u);
  EXPECT_EQ(config->headers[0].second, "sameorigin");
  EXPECT_EQ(config->basic_auth_users.at("alice"), kHash);
}

TEST_F(WebConfigTest, EmptyPathAndMissingFile) {
  StatusOr<WebConfig> none = LoadWebConfig("");
  ASSERT_OK(none);
  EXPECT_FALSE(none->tls.has_value());
  EXPECT_TRUE(none->basic_auth_users.empty());
  StatusOr<WebConfig> missing = LoadWebConfig(dir_.path() + "/absent.yml");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("absent.yml"), std::string::npos);
}

TEST_F(WebConfigTest, ReportsEveryErrorAtOnce) {
  StatusOr<WebConfig> config = Load("bogus: 1\nbasic_auth_users:\n  a: x\n  b: y\n");
  ASSERT_FALSE(config.ok());
  const std::string m = config.status().message();
  EXPECT_NE(m.find("bogus"), std::string::npos) << m;
  EXPECT_NE(m.find("basic_auth_users.a"), std::string::npos) << m;
  EXPECT_NE(m.find("basic_auth_users.b"), std::string::npos) << m;
}

}  // namespace
}  // namespace mailrep
