// WebConfig: exporter-toolkit's --web.config.file (TLS, basic auth, headers).
//
// The same YAML every Prometheus component accepts:
//   tls_server_config: {cert_file, key_file, client_auth_type, client_ca_file,
//                       min_version, max_version, cipher_suites, ...}
//   http_server_config: {http2, headers: {Name: value}}
//   basic_auth_users: {user: <bcrypt hash>}
// A file `promtool check web-config` accepts must load; one it rejects must be
// rejected here with file, line and key. Two deliberate differences: a
// verifying client_auth_type without client_ca_file is rejected (it would
// refuse every client), and client_allowed_sans (newer exporter-toolkit) is
// accepted. Certificate/key pairs and CA files are loaded once to validate
// them; relative paths are resolved against the web config file's directory.
// Further deliberate differences, all refusals at load: a cipher_suites list
// GnuTLS cannot apply exactly (tls_policy.h), and basic_auth_users hashes
// whose bcrypt cost is outside kMinBcryptCost..kMaxBcryptCost (basic_auth.h).
// Value type; immutable once loaded.
#ifndef MAILREP_EXPORTER_HTTP_WEB_CONFIG_H_
#define MAILREP_EXPORTER_HTTP_WEB_CONFIG_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "exporter/util/status.h"

namespace mailrep {

enum class ClientAuthType {
  kNoClientCert,
  kRequestClientCert,
  kRequireAnyClientCert,
  kVerifyClientCertIfGiven,
  kRequireAndVerifyClientCert,
};

struct TlsServerConfig {
  std::string cert_file;  // PEM paths, resolved relative to the web config file
  std::string key_file;
  ClientAuthType client_auth = ClientAuthType::kNoClientCert;
  std::string client_ca_file;
  std::string min_version = "TLS12";  // TLS10 .. TLS13
  std::string max_version;            // "" = no maximum
  // A verified client certificate must carry one of these SANs (DNS, email,
  // IP or URI); empty = any. Newer exporter-toolkit key; promtool 2.42 lacks it.
  std::vector<std::string> client_allowed_sans;
  // Go names, validated and applied through a GnuTLS priority string (see
  // tls_policy.h for how suites and TLS 1.3 map); empty = Go's defaults.
  std::vector<std::string> cipher_suites;
  std::vector<std::string> curve_preferences;  // CurveP256, CurveP384, CurveP521, X25519
  bool prefer_server_cipher_suites = true;     // %SERVER_PRECEDENCE

  bool operator==(const TlsServerConfig&) const = default;
};

struct WebConfig {
  std::optional<TlsServerConfig> tls;                        // absent: plain HTTP
  std::map<std::string, std::string> basic_auth_users;       // user -> bcrypt hash
  std::vector<std::pair<std::string, std::string>> headers;  // added to every response
};

// Empty path: the default WebConfig (plain HTTP, no auth).
StatusOr<WebConfig> LoadWebConfig(const std::string& path);

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_HTTP_WEB_CONFIG_H_
