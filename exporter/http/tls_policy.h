// TLS policy for the HTTP server: GnuTLS priority strings from a
// TlsServerConfig and the per-connection client-certificate decision that
// follows Go's crypto/tls ClientAuthType semantics. Thread-safe (no state).
#ifndef MAILREP_EXPORTER_HTTP_TLS_POLICY_H_
#define MAILREP_EXPORTER_HTTP_TLS_POLICY_H_

#include <string>
#include <string_view>

#include "exporter/http/web_config.h"
#include "exporter/util/status.h"

namespace mailrep {

bool IsKnownTlsVersion(std::string_view name);   // "TLS10" .. "TLS13"
bool IsKnownCipherSuite(std::string_view name);  // Go's crypto/tls names
bool IsKnownCurve(std::string_view name);        // Go's tls.CurveID names
// Parses "RequireAndVerifyClientCert" etc.; false when unknown.
bool ParseClientAuthType(std::string_view name, ClientAuthType* type);

// "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2..." for MHD_OPTION_HTTPS_PRIORITIES.
StatusOr<std::string> GnutlsPriorities(const TlsServerConfig& tls);

// Whether the TLS handshake should ask the client for a certificate.
bool RequestsClientCert(ClientAuthType type);

// Checks the peer certificate of a finished handshake (`gnutls_session` is a
// gnutls_session_t whose credentials hold the client CAs). OK when the
// request may proceed; PermissionDenied with the reason otherwise.
Status CheckClientCertificate(void* gnutls_session, const TlsServerConfig& tls);

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_HTTP_TLS_POLICY_H_
