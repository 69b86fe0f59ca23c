// TLS policy for the HTTP server: the GnuTLS priority string a
// TlsServerConfig asks for, the files it names, and the per-connection
// client-certificate decision that follows Go's crypto/tls ClientAuthType
// semantics. Thread-safe (no state).
//
// Names are exporter-toolkit's, which are Go's: a cipher suite is accepted
// when Go's tls.CipherSuites() lists it (as promtool 2.42, built with Go 1.19
// for Debian 12, does), so RC4, 3DES and CBC-SHA256 suites are refused.
// GnuTLS enables key exchanges, ciphers and MACs rather than whole suites, so
// the builder derives those three sets from the listed suites and refuses a
// list whose cross product would enable a suite that is not listed. TLS 1.3
// suites cannot be chosen in Go; here a TLS 1.3 suite is enabled when its
// cipher is the cipher of a listed suite (TLS 1.3 names count too), and a
// list that leaves TLS 1.3 (or TLS 1.0-1.2) enabled without any suite is
// refused. No cipher_suites: Go's defaults (the ten ECDHE suites plus the
// three TLS 1.3 suites; no RSA key exchange, DHE, CCM or CBC-SHA256).
#ifndef MAILREP_EXPORTER_HTTP_TLS_POLICY_H_
#define MAILREP_EXPORTER_HTTP_TLS_POLICY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/http/web_config.h"
#include "exporter/util/status.h"

namespace mailrep {

bool IsKnownTlsVersion(std::string_view name);  // "TLS10" .. "TLS13"
bool IsKnownCurve(std::string_view name);       // Go's tls.CurveID names
// Parses "RequireAndVerifyClientCert" etc.; false when unknown.
bool ParseClientAuthType(std::string_view name, ClientAuthType* type);

// Why a cipher suite name is refused ("unknown cipher suite ...", or
// "insecure ..." for names Go keeps in InsecureCipherSuites()); "" if known.
std::string CipherSuiteProblem(std::string_view name);

struct TlsPriorities {
  // "NORMAL:-VERS-ALL:+VERS-TLS1.3:...:-CIPHER-ALL:+AES-128-GCM:..." for
  // MHD_OPTION_HTTPS_PRIORITIES.
  std::string gnutls;
  // IANA ids of the cipher suites it enables, TLS 1.3 ones included, sorted.
  std::vector<uint16_t> suites;
};

// Pure: builds the priorities from the versions, cipher_suites,
// curve_preferences and prefer_server_cipher_suites. InvalidArgument naming
// the key and value when the config cannot be applied exactly; *error_key (if
// given) is then set to that key ("cipher_suites", "min_version", ...).
StatusOr<TlsPriorities> BuildTlsPriorities(const TlsServerConfig& tls,
                                           std::string* error_key = nullptr);
// BuildTlsPriorities(tls).gnutls.
StatusOr<std::string> GnutlsPriorities(const TlsServerConfig& tls);

// GnuTLS's own view: the IANA ids (sorted) of the cipher suites `priorities`
// enables. InvalidArgument when GnuTLS rejects the string.
StatusOr<std::vector<uint16_t>> GnutlsCipherSuites(const std::string& priorities);
// Go's name for an IANA cipher suite id, or "0x1234".
std::string CipherSuiteName(uint16_t id);

// The PEM files a TLS config names, read at one moment: what the server runs
// with, and what a reload compares against.
struct TlsFiles {
  std::string cert_pem, key_pem, trust_pem;  // trust_pem empty without client_ca_file
  bool operator==(const TlsFiles&) const = default;
};
StatusOr<TlsFiles> ReadTlsFiles(const TlsServerConfig& tls);

// "" when `next` asks for the same TLS as `running` (settings and file
// contents); otherwise what changed, e.g. "cipher_suites" or "TLS turned on".
std::string DescribeTlsChange(const std::optional<TlsServerConfig>& running,
                              const TlsFiles& running_files,
                              const std::optional<TlsServerConfig>& next);

// Whether the TLS handshake should ask the client for a certificate.
bool RequestsClientCert(ClientAuthType type);

// Checks the peer certificate of a finished handshake (`gnutls_session` is a
// gnutls_session_t whose credentials hold the client CAs). OK when the
// request may proceed; PermissionDenied with the reason otherwise.
Status CheckClientCertificate(void* gnutls_session, const TlsServerConfig& tls);

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_HTTP_TLS_POLICY_H_
