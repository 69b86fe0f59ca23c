#include "exporter/http/tls_policy.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "exporter/http/http_test_support.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "exporter/util/testing/status_matchers.h"

namespace mailrep {
namespace {

TlsServerConfig Tls(std::vector<std::string> suites, std::string min = "TLS12",
                    std::string max = "", std::vector<std::string> curves = {}) {
  TlsServerConfig tls;
  tls.cipher_suites = std::move(suites);
  tls.min_version = std::move(min);
  tls.max_version = std::move(max);
  tls.curve_preferences = std::move(curves);
  return tls;
}

std::vector<std::string> Names(const std::vector<uint16_t>& ids) {
  std::vector<std::string> names;
  for (uint16_t id : ids) names.push_back(CipherSuiteName(id));
  std::sort(names.begin(), names.end());
  return names;
}

// Every accepted case: the exact priority string, the suites it should enable
// and, asked of GnuTLS itself, the suites it does enable.
TEST(BuildTlsPriorities, AppliesTheConfigExactly) {
  struct Case {
    const char* name;
    TlsServerConfig tls;
    const char* gnutls;
    std::vector<std::string> suites;
  };
  const Case cases[] = {
      {"go_defaults",
       Tls({}),
       "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-CIPHER-ALL:+AES-128-GCM:+AES-256-GCM:"
       "+CHACHA20-POLY1305:+AES-128-CBC:+AES-256-CBC:-MAC-ALL:+AEAD:+SHA1:-KX-ALL:"
       "+ECDHE-ECDSA:+ECDHE-RSA:%SERVER_PRECEDENCE",
       {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"}},
      // The hostile test's case: one AES-128-GCM suite. TLS 1.3 keeps only
      // the suite with that cipher; AES-256-GCM and ChaCha20 are gone.
      {"one_suite",
       Tls({"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"}),
       "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-CIPHER-ALL:+AES-128-GCM:-MAC-ALL:+AEAD:"
       "-KX-ALL:+ECDHE-ECDSA:%SERVER_PRECEDENCE",
       {"TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"}},
      {"both_signatures_same_ciphers",
       Tls({"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"},
           "TLS12", "TLS12"),
       "NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+AES-256-GCM:+CHACHA20-POLY1305:-MAC-ALL:"
       "+AEAD:-KX-ALL:+ECDHE-RSA:+ECDHE-ECDSA:%SERVER_PRECEDENCE",
       {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"}},
      {"cbc_and_rsa_key_exchange_up_to_tls12",
       Tls({"TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"}, "TLS10",
           "TLS12"),
       "NORMAL:-VERS-ALL:+VERS-TLS1.2:+VERS-TLS1.1:+VERS-TLS1.0:-CIPHER-ALL:+AES-128-CBC:"
       "-MAC-ALL:+SHA1:-KX-ALL:+RSA:+ECDHE-RSA:%SERVER_PRECEDENCE",
       {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA"}},
      // TLS 1.3 names add their cipher to TLS 1.3 only when TLS 1.2 has it too.
      {"tls13_names",
       Tls({"TLS_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"}),
       "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-CIPHER-ALL:+AES-256-GCM:-MAC-ALL:+AEAD:"
       "-KX-ALL:+ECDHE-ECDSA:%SERVER_PRECEDENCE",
       {"TLS_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"}},
      {"tls13_only_from_tls13_names",
       Tls({"TLS_CHACHA20_POLY1305_SHA256"}, "TLS13"),
       "NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+CHACHA20-POLY1305:-MAC-ALL:+AEAD:-KX-ALL:"
       "%SERVER_PRECEDENCE",
       {"TLS_CHACHA20_POLY1305_SHA256"}},
      // Below TLS 1.3, TLS 1.3 names are ignored (Go ignores them too).
      {"tls13_names_ignored_at_tls12",
       Tls({"TLS_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"}, "TLS12", "TLS12"),
       "NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+AES-128-GCM:-MAC-ALL:+AEAD:-KX-ALL:"
       "+ECDHE-RSA:%SERVER_PRECEDENCE",
       {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"}},
      {"curves_in_order",
       Tls({"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"}, "TLS12", "TLS13", {"CurveP384", "X25519"}),
       "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-CIPHER-ALL:+AES-128-GCM:-MAC-ALL:+AEAD:"
       "-KX-ALL:+ECDHE-ECDSA:-GROUP-ALL:+GROUP-SECP384R1:+GROUP-X25519:%SERVER_PRECEDENCE",
       {"TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    StatusOr<TlsPriorities> built = BuildTlsPriorities(c.tls);
    ASSERT_OK(built);
    EXPECT_EQ(built->gnutls, c.gnutls);
    std::vector<std::string> want = c.suites;
    std::sort(want.begin(), want.end());
    EXPECT_EQ(Names(built->suites), want);
    StatusOr<std::vector<uint16_t>> gnutls = GnutlsCipherSuites(built->gnutls);
    ASSERT_OK(gnutls);
    EXPECT_EQ(Names(*gnutls), want) << "GnuTLS enables other suites than planned";
  }
}

TEST(BuildTlsPriorities, PreferServerCipherSuitesOff) {
  TlsServerConfig tls = Tls({});
  tls.prefer_server_cipher_suites = false;
  StatusOr<std::string> p = GnutlsPriorities(tls);
  ASSERT_OK(p);
  EXPECT_EQ(p->find("%SERVER_PRECEDENCE"), std::string::npos) << *p;
}

TEST(BuildTlsPriorities, RefusesWhatCannotBeAppliedExactly) {
  struct Case {
    const char* name;
    TlsServerConfig tls;
    const char* key;
    std::vector<const char*> words;  // all in the message
  };
  const Case cases[] = {
      {"rc4",
       Tls({"TLS_RSA_WITH_RC4_128_SHA"}),
       "cipher_suites",
       {"insecure", "TLS_RSA_WITH_RC4_128_SHA"}},
      {"3des", Tls({"TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"}), "cipher_suites", {"insecure", "3DES"}},
      {"cbc_sha256", Tls({"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"}), "cipher_suites", {"insecure"}},
      {"openssl_name",
       Tls({"ECDHE-RSA-AES128-GCM-SHA256"}),
       "cipher_suites",
       {"unknown cipher suite", "ECDHE-RSA-AES128-GCM-SHA256"}},
      {"go_alias_without_sha256",
       Tls({"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305"}),
       "cipher_suites",
       {"unknown"}},
      // RSA x AES-128-GCM and ECDHE-RSA x AES-256-GCM: GnuTLS would add the
      // two crossed suites.
      {"cross_product",
       Tls({"TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"}),
       "cipher_suites",
       {"would also enable", "TLS_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"}},
      {"no_tls13_cipher",
       Tls({"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"}),
       "cipher_suites",
       {"no TLS 1.3 suite", "max_version: TLS12"}},
      {"only_tls13_names_with_tls12",
       Tls({"TLS_AES_128_GCM_SHA256"}),
       "cipher_suites",
       {"TLS 1.0-1.2", "min_version: TLS13"}},
      {"min_above_max", Tls({}, "TLS13", "TLS12"), "min_version", {"TLS13", "TLS12"}},
      {"unknown_version", Tls({}, "TLS14"), "min_version", {"TLS14"}},
      {"unknown_curve", Tls({}, "TLS12", "", {"P-256"}), "curve_preferences", {"P-256"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::string key;
    StatusOr<TlsPriorities> built = BuildTlsPriorities(c.tls, &key);
    ASSERT_FALSE(built.ok()) << built->gnutls;
    EXPECT_EQ(key, c.key);
    const std::string message = built.status().message();
    EXPECT_EQ(message.rfind(std::string(c.key) + ": ", 0), 0u) << message;
    for (const char* word : c.words) {
      EXPECT_NE(message.find(word), std::string::npos) << word << " not in: " << message;
    }
  }
}

// Exactly Go's tls.CipherSuites() names (Go 1.19, as promtool 2.42) are known.
TEST(CipherSuiteProblem, KnowsGoNames) {
  EXPECT_EQ(CipherSuiteProblem("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"), "");
  EXPECT_EQ(CipherSuiteProblem("TLS_RSA_WITH_AES_256_CBC_SHA"), "");
  EXPECT_EQ(CipherSuiteProblem("TLS_AES_128_GCM_SHA256"), "");
  EXPECT_NE(CipherSuiteProblem("TLS_ECDHE_ECDSA_WITH_RC4_128_SHA").find("insecure"),
            std::string::npos);
  EXPECT_NE(CipherSuiteProblem("tls_aes_128_gcm_sha256").find("unknown"), std::string::npos);
  EXPECT_EQ(CipherSuiteName(0xc02f), "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  EXPECT_EQ(CipherSuiteName(0x0005), "0x0005");
}

TEST(GnutlsCipherSuites, RejectsBadStrings) {
  EXPECT_FALSE(GnutlsCipherSuites("NORMAL:+NO-SUCH-THING").ok());
}

TEST(DescribeTlsChange, NamesWhatChanged) {
  ScopedTempDir dir;
  TlsServerConfig a = Tls({});
  a.cert_file = dir.WriteFile("c.pem", "cert one");
  a.key_file = dir.WriteFile("k.pem", "key");
  StatusOr<TlsFiles> files = ReadTlsFiles(a);
  ASSERT_OK(files);
  EXPECT_EQ(files->cert_pem, "cert one");
  EXPECT_EQ(files->trust_pem, "");

  EXPECT_EQ(DescribeTlsChange(std::nullopt, {}, std::nullopt), "");
  EXPECT_EQ(DescribeTlsChange(std::nullopt, {}, a), "TLS turned on");
  EXPECT_EQ(DescribeTlsChange(a, *files, std::nullopt), "TLS turned off");
  EXPECT_EQ(DescribeTlsChange(a, *files, a), "");
  TlsServerConfig b = a;
  b.cipher_suites = {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"};
  b.max_version = "TLS12";
  EXPECT_EQ(DescribeTlsChange(a, *files, b), "max_version, cipher_suites");
  b = a;
  b.curve_preferences = {"X25519"};
  EXPECT_EQ(DescribeTlsChange(a, *files, b), "curve_preferences");
  dir.WriteFile("c.pem", "cert two");  // a renewed certificate, same path
  EXPECT_EQ(DescribeTlsChange(a, *files, a), "contents of cert_file");
}

}  // namespace
}  // namespace mailrep
