#include "exporter/http/web_config.h"

#include <gnutls/gnutls.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string_view>

#include "exporter/config/config_node.h"
#include "exporter/http/basic_auth.h"
#include "exporter/http/tls_policy.h"

namespace mailrep {
namespace {

// Headers exporter-toolkit lets a web config set, with their allowed values
// (empty: any value). Names are matched exactly, as promtool does.
struct AllowedHeader {
  std::string_view name;
  std::array<std::string_view, 2> values;
};
constexpr std::array<AllowedHeader, 5> kAllowedHeaders = {{
    {"Strict-Transport-Security", {}},
    {"X-Content-Type-Options", {"nosniff"}},
    {"X-Frame-Options", {"deny", "sameorigin"}},
    {"X-XSS-Protection", {}},
    {"Content-Security-Policy", {}},
}};

std::string Resolve(const std::string& dir, const std::string& path) {
  if (path.empty() || path.front() == '/' || dir.empty()) return path;
  return dir + "/" + path;
}

// Loads the key pair the way the server will, so a bad pair fails at load.
std::string CheckKeyPair(const std::string& cert, const std::string& key) {
  gnutls_certificate_credentials_t cred;
  if (gnutls_certificate_allocate_credentials(&cred) < 0) return "out of memory";
  int rc =
      gnutls_certificate_set_x509_key_file(cred, cert.c_str(), key.c_str(), GNUTLS_X509_FMT_PEM);
  gnutls_certificate_free_credentials(cred);
  return rc < 0 ? std::string(gnutls_strerror(rc)) : "";
}

std::string CheckCaFile(const std::string& path) {
  gnutls_certificate_credentials_t cred;
  if (gnutls_certificate_allocate_credentials(&cred) < 0) return "out of memory";
  int rc = gnutls_certificate_set_x509_trust_file(cred, path.c_str(), GNUTLS_X509_FMT_PEM);
  gnutls_certificate_free_credentials(cred);
  if (rc < 0) return gnutls_strerror(rc);
  return rc == 0 ? "no certificate found" : "";
}

std::string ReadableError(const std::string& path) {
  std::ifstream in(path);
  return in ? "" : std::string(std::strerror(errno));
}

void CheckVersion(ConfigNode& node, std::string_view key, const std::string& value) {
  if (!value.empty() && !IsKnownTlsVersion(value)) {
    node.Error(key, "unknown TLS version \"" + value + "\" (use TLS10, TLS11, TLS12 or TLS13)");
  }
}

// Builds the GnuTLS priorities the server will use and asks GnuTLS which
// suites they enable: a config that cannot be applied exactly fails here, at
// load, rather than being served with different suites. Names already
// reported as unknown are not reported again.
void CheckPriorities(ConfigNode& node, const TlsServerConfig& tls) {
  if (node.error_count() > 0) return;
  std::string key;
  StatusOr<TlsPriorities> built = BuildTlsPriorities(tls, &key);
  if (!built.ok()) {
    std::string message = built.status().message();  // "<key>: why"; the node names the key
    node.Error(key, message.substr(message.rfind(key + ": ", 0) == 0 ? key.size() + 2 : 0));
    return;
  }
  StatusOr<std::vector<uint16_t>> enabled = GnutlsCipherSuites(built->gnutls);
  if (!enabled.ok()) {
    node.Error("cipher_suites", enabled.status().message());
    return;
  }
  if (*enabled != built->suites) {
    std::string got;
    for (uint16_t id : *enabled) got += (got.empty() ? "" : ", ") + CipherSuiteName(id);
    node.Error("cipher_suites", "GnuTLS would enable " + got + ", not exactly the listed suites");
  }
}

std::optional<TlsServerConfig> ReadTls(ConfigNode& node, const std::string& dir) {
  TlsServerConfig tls;
  tls.cert_file = node.GetString("cert_file");
  tls.key_file = node.GetString("key_file");
  std::string auth = node.GetString("client_auth_type");
  tls.client_ca_file = node.GetString("client_ca_file");
  tls.client_allowed_sans = node.GetStringList("client_allowed_sans");
  tls.min_version = node.GetString("min_version", "TLS12");
  tls.max_version = node.GetString("max_version", "");
  tls.cipher_suites = node.GetStringList("cipher_suites");
  tls.curve_preferences = node.GetStringList("curve_preferences");
  tls.prefer_server_cipher_suites = node.GetBool("prefer_server_cipher_suites", true);

  CheckVersion(node, "min_version", tls.min_version);
  CheckVersion(node, "max_version", tls.max_version);
  for (size_t i = 0; i < tls.cipher_suites.size(); ++i) {
    if (std::string why = CipherSuiteProblem(tls.cipher_suites[i]); !why.empty()) {
      node.ErrorAt("cipher_suites", i, why);
    }
  }
  for (size_t i = 0; i < tls.curve_preferences.size(); ++i) {
    if (!IsKnownCurve(tls.curve_preferences[i])) {
      node.ErrorAt("curve_preferences", i,
                   "unknown curve \"" + tls.curve_preferences[i] +
                       "\" (use CurveP256, CurveP384, CurveP521 or X25519)");
    }
  }

  // As exporter-toolkit: without any of these four keys, TLS stays off.
  if (tls.cert_file.empty() && tls.key_file.empty() && auth.empty() && tls.client_ca_file.empty()) {
    return std::nullopt;
  }
  if (!auth.empty() && !ParseClientAuthType(auth, &tls.client_auth)) {
    node.Error("client_auth_type",
               "unknown client_auth_type \"" + auth +
                   "\" (use NoClientCert, RequestClientCert, RequireAnyClientCert, "
                   "VerifyClientCertIfGiven or RequireAndVerifyClientCert)");
  }
  if (tls.cert_file.empty()) node.Error("", "missing cert_file");
  if (tls.key_file.empty()) node.Error("", "missing key_file");
  tls.cert_file = Resolve(dir, tls.cert_file);
  tls.key_file = Resolve(dir, tls.key_file);
  tls.client_ca_file = Resolve(dir, tls.client_ca_file);
  if (!tls.cert_file.empty() && !tls.key_file.empty()) {
    std::string why = ReadableError(tls.cert_file);
    if (!why.empty()) {
      node.Error("cert_file", "cannot read " + tls.cert_file + ": " + why);
    } else if (!(why = ReadableError(tls.key_file)).empty()) {
      node.Error("key_file", "cannot read " + tls.key_file + ": " + why);
    } else if (!(why = CheckKeyPair(tls.cert_file, tls.key_file)).empty()) {
      node.Error("cert_file",
                 "cannot load key pair " + tls.cert_file + ", " + tls.key_file + ": " + why);
    }
  }
  CheckPriorities(node, tls);
  bool verifies = tls.client_auth == ClientAuthType::kVerifyClientCertIfGiven ||
                  tls.client_auth == ClientAuthType::kRequireAndVerifyClientCert;
  if (!tls.client_ca_file.empty()) {
    if (auth.empty() || tls.client_auth == ClientAuthType::kNoClientCert) {
      node.Error("client_ca_file",
                 "client CAs configured without a client_auth_type that uses them");
    } else if (std::string why = ReadableError(tls.client_ca_file); !why.empty()) {
      node.Error("client_ca_file", "cannot read " + tls.client_ca_file + ": " + why);
    } else if (!(why = CheckCaFile(tls.client_ca_file)).empty()) {
      node.Error("client_ca_file", "cannot load " + tls.client_ca_file + ": " + why);
    }
  } else if (verifies) {
    node.Error("client_auth_type", auth + " needs client_ca_file");
  }
  if (!tls.client_allowed_sans.empty() && !verifies) {
    node.Error("client_allowed_sans",
               "needs client_auth_type RequireAndVerifyClientCert or "
               "VerifyClientCertIfGiven");
  }
  return tls;
}

void ReadHeaders(ConfigNode& node, WebConfig* config) {
  for (const std::string& name : node.Keys()) {
    std::string value = node.GetString(name);
    const AllowedHeader* allowed = nullptr;
    for (const AllowedHeader& h : kAllowedHeaders) {
      if (h.name == name) allowed = &h;
    }
    if (allowed == nullptr) {
      node.Error(name, "HTTP header \"" + name + "\" can not be configured");
      continue;
    }
    if (!allowed->values[0].empty()) {
      bool ok = false;
      std::string expected;
      for (std::string_view v : allowed->values) {
        if (v.empty()) continue;
        ok = ok || v == value;
        expected += (expected.empty() ? "\"" : ", \"") + std::string(v) + "\"";
      }
      if (!ok) {
        node.Error(name, "invalid value \"" + value + "\" for " + name + " (expected one of " +
                             expected + ")");
        continue;
      }
    }
    config->headers.emplace_back(name, value);
  }
}

}  // namespace

StatusOr<WebConfig> LoadWebConfig(const std::string& path) {
  if (path.empty()) return WebConfig{};
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::NotFound("web config " + path + ": cannot read: " + std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  StatusOr<ConfigNode> parsed = ConfigNode::Parse(text.str(), path);
  if (!parsed.ok()) return parsed.status();
  ConfigNode root = *parsed;
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "" : path.substr(0, slash == 0 ? 1 : slash);

  WebConfig config;
  if (std::optional<ConfigNode> tls = root.GetMap("tls_server_config")) {
    config.tls = ReadTls(*tls, dir);
    tls->CheckUnknownKeys();
  }
  if (std::optional<ConfigNode> http = root.GetMap("http_server_config")) {
    http->GetBool("http2", true);  // no HTTP/2 here; accepted for compatibility
    if (std::optional<ConfigNode> headers = http->GetMap("headers")) {
      ReadHeaders(*headers, &config);
      headers->CheckUnknownKeys();
    }
    http->CheckUnknownKeys();
  }
  if (std::optional<ConfigNode> users = root.GetMap("basic_auth_users")) {
    for (const std::string& user : users->Keys()) {
      std::string hash = users->GetString(user);
      if (!LooksLikeBcryptHash(hash)) {
        users->Error(user,
                     "not a bcrypt hash (want $2a$, $2b$ or $2y$, e.g. from htpasswd -nBC 10)");
        continue;
      }
      if (int cost = BcryptCost(hash); cost < kMinBcryptCost || cost > kMaxBcryptCost) {
        users->Error(user, "user \"" + user + "\": bcrypt cost " + std::to_string(cost) +
                               " is outside " + std::to_string(kMinBcryptCost) + ".." +
                               std::to_string(kMaxBcryptCost) +
                               " (every login attempt pays it; hash with htpasswd -nBC 10)");
        continue;
      }
      config.basic_auth_users[user] = hash;
    }
    users->CheckUnknownKeys();
  }
  Status status = root.Finish();
  if (!status.ok()) return status;
  return config;
}

}  // namespace mailrep
