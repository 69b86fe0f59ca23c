// WebConfig: exporter-toolkit's --web.config.file (TLS, basic auth, headers).
//
// The same YAML every Prometheus component accepts:
//   tls_server_config: {cert_file, key_file, client_auth_type, client_ca_file,
//                       min_version, max_version, cipher_suites, ...}
//   http_server_config: {http2, headers: {Name: value}}
//   basic_auth_users: {user: <bcrypt hash>}
// A file `promtool check web-config` accepts must load; one it rejects must be
// rejected here with file, line and key. Value type; immutable once loaded.
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
