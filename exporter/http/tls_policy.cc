#include "exporter/http/tls_policy.h"

#include <arpa/inet.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include <algorithm>
#include <array>
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

constexpr std::array<std::string_view, 27> kCipherSuites = {
    "TLS_RSA_WITH_RC4_128_SHA",
    "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
    "TLS_RSA_WITH_AES_128_CBC_SHA",
    "TLS_RSA_WITH_AES_256_CBC_SHA",
    "TLS_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
    "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305",
    "TLS_AES_128_GCM_SHA256",
    "TLS_AES_256_GCM_SHA384",
    "TLS_CHACHA20_POLY1305_SHA256",
};

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

bool IsKnownCipherSuite(std::string_view name) {
  return std::find(kCipherSuites.begin(), kCipherSuites.end(), name) != kCipherSuites.end();
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

StatusOr<std::string> GnutlsPriorities(const TlsServerConfig& tls) {
  int min = VersionIndex(tls.min_version.empty() ? "TLS12" : tls.min_version);
  int max = tls.max_version.empty() ? static_cast<int>(kVersions.size()) - 1
                                    : VersionIndex(tls.max_version);
  if (min < 0) return Status::InvalidArgument("unknown TLS version: " + tls.min_version);
  if (max < 0) return Status::InvalidArgument("unknown TLS version: " + tls.max_version);
  if (min > max) {
    return Status::InvalidArgument("min_version " + tls.min_version + " is above max_version " +
                                   tls.max_version);
  }
  std::string out = "NORMAL:-VERS-ALL";
  for (int i = max; i >= min; --i) out.append(":+").append(kVersions[i].gnutls);
  if (!tls.curve_preferences.empty()) {
    out.append(":-GROUP-ALL");
    for (const std::string& name : tls.curve_preferences) {
      auto it = std::find_if(kCurves.begin(), kCurves.end(),
                             [&](const Curve& c) { return c.name == name; });
      if (it == kCurves.end()) return Status::InvalidArgument("unknown curve: " + name);
      out.append(":+").append(it->gnutls);
    }
  }
  if (tls.prefer_server_cipher_suites) out.append(":%SERVER_PRECEDENCE");
  return out;
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
