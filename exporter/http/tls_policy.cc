#include "exporter/http/tls_policy.h"

#include <arpa/inet.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

namespace mailrep {
namespace {

struct Version {
  std::string_view name;
  std::string_view gnutls;
};
constexpr std::array<Version, 4> kVersions = {{
    {"TLS10", "VERS-TLS1.0"},
    {"TLS11", "VERS-TLS1.1"},
    {"TLS12", "VERS-TLS1.2"},
    {"TLS13", "VERS-TLS1.3"},
}};

struct Curve {
  std::string_view name;
  std::string_view gnutls;
};
constexpr std::array<Curve, 4> kCurves = {{
    {"CurveP256", "GROUP-SECP256R1"},
    {"CurveP384", "GROUP-SECP384R1"},
    {"CurveP521", "GROUP-SECP521R1"},
    {"X25519", "GROUP-X25519"},
}};

// Go's tls.CipherSuites() as of Go 1.19 (promtool 2.42 on Debian 12), with the
// GnuTLS key exchange, cipher and MAC each is made of. kx is empty for the
// TLS 1.3 suites, which GnuTLS selects by cipher alone.
struct Suite {
  std::string_view name;
  uint16_t id;
  std::string_view kx, cipher, mac;
  bool default_on;  // in Go's default list (current Go: ECDHE and TLS 1.3)
};
constexpr std::array<Suite, 17> kSuites = {{
    {"TLS_RSA_WITH_AES_128_CBC_SHA", 0x002f, "RSA", "AES-128-CBC", "SHA1", false},
    {"TLS_RSA_WITH_AES_256_CBC_SHA", 0x0035, "RSA", "AES-256-CBC", "SHA1", false},
    {"TLS_RSA_WITH_AES_128_GCM_SHA256", 0x009c, "RSA", "AES-128-GCM", "AEAD", false},
    {"TLS_RSA_WITH_AES_256_GCM_SHA384", 0x009d, "RSA", "AES-256-GCM", "AEAD", false},
    {"TLS_AES_128_GCM_SHA256", 0x1301, "", "AES-128-GCM", "AEAD", true},
    {"TLS_AES_256_GCM_SHA384", 0x1302, "", "AES-256-GCM", "AEAD", true},
    {"TLS_CHACHA20_POLY1305_SHA256", 0x1303, "", "CHACHA20-POLY1305", "AEAD", true},
    {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", 0xc009, "ECDHE-ECDSA", "AES-128-CBC", "SHA1", true},
    {"TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", 0xc00a, "ECDHE-ECDSA", "AES-256-CBC", "SHA1", true},
    {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", 0xc013, "ECDHE-RSA", "AES-128-CBC", "SHA1", true},
    {"TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", 0xc014, "ECDHE-RSA", "AES-256-CBC", "SHA1", true},
    {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", 0xc02b, "ECDHE-ECDSA", "AES-128-GCM", "AEAD", true},
    {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", 0xc02c, "ECDHE-ECDSA", "AES-256-GCM", "AEAD", true},
    {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 0xc02f, "ECDHE-RSA", "AES-128-GCM", "AEAD", true},
    {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", 0xc030, "ECDHE-RSA", "AES-256-GCM", "AEAD", true},
    {"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", 0xcca8, "ECDHE-RSA", "CHACHA20-POLY1305",
     "AEAD", true},
    {"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", 0xcca9, "ECDHE-ECDSA", "CHACHA20-POLY1305",
     "AEAD", true},
}};

// Names Go knows but keeps in InsecureCipherSuites() (or, for 3DES, moved
// there): promtool refuses them as unknown; the message here says why.
constexpr std::array<std::string_view, 8> kInsecureSuites = {
    "TLS_RSA_WITH_RC4_128_SHA",
    "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA",
    "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
    "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
    "TLS_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
};

const Suite* FindSuite(std::string_view name) {
  for (const Suite& s : kSuites) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

bool IsTls13(const Suite& s) { return s.kx.empty(); }

template <typename T>
bool Contains(const std::vector<T>& v, const T& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// Appends `x` unless already present (keeps first-seen order = preference).
void AddOnce(std::vector<std::string_view>* v, std::string_view x) {
  if (!Contains(*v, x)) v->push_back(x);
}

std::string JoinNames(const std::vector<std::string_view>& names) {
  std::string out;
  for (std::string_view n : names) out.append(out.empty() ? "" : ", ").append(n);
  return out;
}

int VersionIndex(std::string_view name) {
  for (size_t i = 0; i < kVersions.size(); ++i) {
    if (kVersions[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

std::vector<std::string> SubjectAltNames(gnutls_session_t session) {
  std::vector<std::string> names;
  unsigned int count = 0;
  const gnutls_datum_t* certs = gnutls_certificate_get_peers(session, &count);
  if (certs == nullptr || count == 0) return names;
  gnutls_x509_crt_t crt;
  if (gnutls_x509_crt_init(&crt) < 0) return names;
  if (gnutls_x509_crt_import(crt, &certs[0], GNUTLS_X509_FMT_DER) >= 0) {
    for (unsigned int i = 0;; ++i) {
      char buf[1024];
      size_t size = sizeof(buf);
      int type = gnutls_x509_crt_get_subject_alt_name(crt, i, buf, &size, nullptr);
      if (type == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) break;
      if (type < 0) continue;
      if (type == GNUTLS_SAN_IPADDRESS) {
        char text[INET6_ADDRSTRLEN];
        int family = size == 4 ? AF_INET : size == 16 ? AF_INET6 : 0;
        if (family != 0 && inet_ntop(family, buf, text, sizeof(text)) != nullptr) {
          names.emplace_back(text);
        }
      } else if (type == GNUTLS_SAN_DNSNAME || type == GNUTLS_SAN_RFC822NAME ||
                 type == GNUTLS_SAN_URI) {
        names.emplace_back(buf, size);
      }
    }
  }
  gnutls_x509_crt_deinit(crt);
  return names;
}

}  // namespace

bool IsKnownTlsVersion(std::string_view name) { return VersionIndex(name) >= 0; }

std::string CipherSuiteProblem(std::string_view name) {
  if (FindSuite(name) != nullptr) return "";
  std::string quoted = "\"" + std::string(name) + "\"";
  if (std::find(kInsecureSuites.begin(), kInsecureSuites.end(), name) != kInsecureSuites.end()) {
    return "insecure cipher suite " + quoted +
           " (Go lists it in InsecureCipherSuites; promtool refuses it too)";
  }
  return "unknown cipher suite " + quoted + " (use a name from Go's tls.CipherSuites(), e.g. " +
         "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)";
}

std::string CipherSuiteName(uint16_t id) {
  for (const Suite& s : kSuites) {
    if (s.id == id) return std::string(s.name);
  }
  char text[8];
  std::snprintf(text, sizeof(text), "0x%04X", id);
  return text;
}

bool IsKnownCurve(std::string_view name) {
  return std::any_of(kCurves.begin(), kCurves.end(),
                     [&](const Curve& c) { return c.name == name; });
}

bool ParseClientAuthType(std::string_view name, ClientAuthType* type) {
  static constexpr std::pair<std::string_view, ClientAuthType> kTypes[] = {
      {"NoClientCert", ClientAuthType::kNoClientCert},
      {"RequestClientCert", ClientAuthType::kRequestClientCert},
      {"RequireAnyClientCert", ClientAuthType::kRequireAnyClientCert},
      {"VerifyClientCertIfGiven", ClientAuthType::kVerifyClientCertIfGiven},
      {"RequireAndVerifyClientCert", ClientAuthType::kRequireAndVerifyClientCert},
  };
  for (const auto& [n, t] : kTypes) {
    if (n == name) {
      *type = t;
      return true;
    }
  }
  return false;
}

StatusOr<TlsPriorities> BuildTlsPriorities(const TlsServerConfig& tls, std::string* error_key) {
  auto fail = [&](std::string_view key, const std::string& message) {
    if (error_key != nullptr) *error_key = std::string(key);
    return Status::InvalidArgument(std::string(key) + ": " + message);
  };
  int min = VersionIndex(tls.min_version.empty() ? "TLS12" : tls.min_version);
  int max = tls.max_version.empty() ? static_cast<int>(kVersions.size()) - 1
                                    : VersionIndex(tls.max_version);
  if (min < 0) return fail("min_version", "unknown TLS version \"" + tls.min_version + "\"");
  if (max < 0) return fail("max_version", "unknown TLS version \"" + tls.max_version + "\"");
  if (min > max) {
    return fail("min_version", tls.min_version + " is above max_version " + tls.max_version);
  }
  const int tls13 = static_cast<int>(kVersions.size()) - 1;
  const bool allows_tls13 = max >= tls13;
  const bool allows_tls12_or_older = min < tls13;

  // The listed suites (or Go's defaults), then the sets GnuTLS selects by.
  std::vector<const Suite*> listed;
  if (tls.cipher_suites.empty()) {
    for (const Suite& s : kSuites) {
      if (s.default_on) listed.push_back(&s);
    }
  }
  for (const std::string& name : tls.cipher_suites) {
    const Suite* suite = FindSuite(name);
    if (suite == nullptr) return fail("cipher_suites", CipherSuiteProblem(name));
    if (!Contains(listed, suite)) listed.push_back(suite);
  }
  std::vector<std::string_view> kxs, ciphers, macs;
  for (const Suite* s : listed) {
    if (IsTls13(*s) && !allows_tls13) continue;  // ignored, as Go does below TLS 1.3
    if (!IsTls13(*s)) AddOnce(&kxs, s->kx);
    AddOnce(&ciphers, s->cipher);
    AddOnce(&macs, s->mac);
  }

  TlsPriorities out;
  std::vector<std::string_view> extra;  // enabled by the cross product, not listed
  for (const Suite& s : kSuites) {
    bool tls13_suite = IsTls13(s);
    if (tls13_suite ? !allows_tls13 : !allows_tls12_or_older) continue;
    bool enabled = Contains(ciphers, s.cipher) && Contains(macs, s.mac) &&
                   (tls13_suite || Contains(kxs, s.kx));
    if (!enabled) continue;
    out.suites.push_back(s.id);
    if (!tls13_suite && !Contains(listed, &s)) extra.push_back(s.name);
  }
  if (!extra.empty()) {
    return fail("cipher_suites",
                "GnuTLS enables key exchanges and ciphers, not single suites: this list would "
                "also enable " +
                    JoinNames(extra) + "; add " + (extra.size() == 1 ? "it" : "them") +
                    " or drop the suites that combine into " + (extra.size() == 1 ? "it" : "them"));
  }
  auto has = [&](bool want_tls13) {
    return std::any_of(out.suites.begin(), out.suites.end(),
                       [&](uint16_t id) { return (id >> 8 == 0x13) == want_tls13; });
  };
  if (allows_tls13 && !has(true)) {
    return fail("cipher_suites",
                "no TLS 1.3 suite left (a TLS 1.3 suite needs the cipher of a listed suite: "
                "AES-GCM or ChaCha20); add TLS_AES_128_GCM_SHA256 or set max_version: TLS12");
  }
  if (allows_tls12_or_older && !has(false)) {
    return fail("cipher_suites",
                "no suite for TLS 1.0-1.2 listed; add one or set min_version: TLS13");
  }
  std::sort(out.suites.begin(), out.suites.end());

  std::string& p = out.gnutls;
  p = "NORMAL:-VERS-ALL";
  for (int i = max; i >= min; --i) p.append(":+").append(kVersions[i].gnutls);
  p.append(":-CIPHER-ALL");
  for (std::string_view c : ciphers) p.append(":+").append(c);
  p.append(":-MAC-ALL");
  for (std::string_view m : macs) p.append(":+").append(m);
  p.append(":-KX-ALL");
  for (std::string_view k : kxs) p.append(":+").append(k);
  if (!tls.curve_preferences.empty()) {
    p.append(":-GROUP-ALL");
    for (const std::string& name : tls.curve_preferences) {
      auto it = std::find_if(kCurves.begin(), kCurves.end(),
                             [&](const Curve& c) { return c.name == name; });
      if (it == kCurves.end()) return fail("curve_preferences", "unknown curve \"" + name + "\"");
      p.append(":+").append(it->gnutls);
    }
  }
  if (tls.prefer_server_cipher_suites) p.append(":%SERVER_PRECEDENCE");
  return out;
}

StatusOr<std::string> GnutlsPriorities(const TlsServerConfig& tls) {
  StatusOr<TlsPriorities> built = BuildTlsPriorities(tls);
  if (!built.ok()) return built.status();
  return std::move(built->gnutls);
}

StatusOr<std::vector<uint16_t>> GnutlsCipherSuites(const std::string& priorities) {
  gnutls_priority_t cache = nullptr;
  const char* where = nullptr;
  int rc = gnutls_priority_init(&cache, priorities.c_str(), &where);
  if (rc < 0) {
    return Status::InvalidArgument("GnuTLS rejects priority string \"" + priorities +
                                   "\": " + gnutls_strerror(rc) +
                                   (where != nullptr ? std::string(" at \"") + where + "\"" : ""));
  }
  std::vector<uint16_t> ids;
  for (unsigned int i = 0;; ++i) {
    unsigned int index = 0;
    rc = gnutls_priority_get_cipher_suite_index(cache, i, &index);
    if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) break;
    if (rc < 0) continue;  // a suite this build of GnuTLS does not implement
    unsigned char id[2];
    if (gnutls_cipher_suite_info(index, id, nullptr, nullptr, nullptr, nullptr) == nullptr) {
      continue;
    }
    ids.push_back(static_cast<uint16_t>(id[0] << 8 | id[1]));
  }
  gnutls_priority_deinit(cache);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

StatusOr<TlsFiles> ReadTlsFiles(const TlsServerConfig& tls) {
  TlsFiles files;
  for (auto [path, pem] :
       {std::pair{&tls.cert_file, &files.cert_pem}, std::pair{&tls.key_file, &files.key_pem},
        std::pair{&tls.client_ca_file, &files.trust_pem}}) {
    if (path->empty()) continue;
    std::ifstream in(*path, std::ios::binary);
    if (!in) return Status::IoError("cannot read " + *path + ": " + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    *pem = text.str();
  }
  return files;
}

std::string DescribeTlsChange(const std::optional<TlsServerConfig>& running,
                              const TlsFiles& running_files,
                              const std::optional<TlsServerConfig>& next) {
  if (!running.has_value() && !next.has_value()) return "";
  if (!running.has_value()) return "TLS turned on";
  if (!next.has_value()) return "TLS turned off";
  const TlsServerConfig& a = *running;
  const TlsServerConfig& b = *next;
  std::vector<std::string_view> changed;
  if (a.cert_file != b.cert_file) changed.push_back("cert_file");
  if (a.key_file != b.key_file) changed.push_back("key_file");
  if (a.client_auth != b.client_auth) changed.push_back("client_auth_type");
  if (a.client_ca_file != b.client_ca_file) changed.push_back("client_ca_file");
  if (a.min_version != b.min_version) changed.push_back("min_version");
  if (a.max_version != b.max_version) changed.push_back("max_version");
  if (a.client_allowed_sans != b.client_allowed_sans) changed.push_back("client_allowed_sans");
  if (a.cipher_suites != b.cipher_suites) changed.push_back("cipher_suites");
  if (a.curve_preferences != b.curve_preferences) changed.push_back("curve_preferences");
  if (a.prefer_server_cipher_suites != b.prefer_server_cipher_suites) {
    changed.push_back("prefer_server_cipher_suites");
  }
  if (!changed.empty()) return JoinNames(changed);
  StatusOr<TlsFiles> files = ReadTlsFiles(b);
  if (!files.ok()) return files.status().message();
  std::vector<std::string_view> rewritten;
  if (files->cert_pem != running_files.cert_pem) rewritten.push_back("cert_file");
  if (files->key_pem != running_files.key_pem) rewritten.push_back("key_file");
  if (files->trust_pem != running_files.trust_pem) rewritten.push_back("client_ca_file");
  return rewritten.empty() ? "" : "contents of " + JoinNames(rewritten);
}

bool RequestsClientCert(ClientAuthType type) { return type != ClientAuthType::kNoClientCert; }

Status CheckClientCertificate(void* gnutls_session, const TlsServerConfig& tls) {
  ClientAuthType type = tls.client_auth;
  if (type == ClientAuthType::kNoClientCert || type == ClientAuthType::kRequestClientCert) {
    return Status::OK();
  }
  auto session = static_cast<gnutls_session_t>(gnutls_session);
  unsigned int count = 0;
  bool has_cert =
      session != nullptr && gnutls_certificate_get_peers(session, &count) != nullptr && count > 0;
  bool required = type == ClientAuthType::kRequireAnyClientCert ||
                  type == ClientAuthType::kRequireAndVerifyClientCert;
  if (!has_cert) {
    return required ? Status::PermissionDenied("client certificate required") : Status::OK();
  }
  if (type == ClientAuthType::kRequireAnyClientCert) return Status::OK();

  gnutls_typed_vdata_st purpose{};
  purpose.type = GNUTLS_DT_KEY_PURPOSE_OID;
  purpose.data = reinterpret_cast<unsigned char*>(const_cast<char*>(GNUTLS_KP_TLS_WWW_CLIENT));
  unsigned int status = 0;
  int rc = gnutls_certificate_verify_peers(session, &purpose, 1, &status);
  if (rc < 0 || status != 0) {
    return Status::PermissionDenied("client certificate not verified by client_ca_file");
  }
  if (!tls.client_allowed_sans.empty()) {
    std::vector<std::string> sans = SubjectAltNames(session);
    bool allowed = std::any_of(sans.begin(), sans.end(), [&](const std::string& san) {
      return std::find(tls.client_allowed_sans.begin(), tls.client_allowed_sans.end(), san) !=
             tls.client_allowed_sans.end();
    });
    if (!allowed) return Status::PermissionDenied("client certificate SAN not allowed");
  }
  return Status::OK();
}

}  // namespace mailrep
