// TLS-RPT (RFC 8460) reporting policy: the TXT record at
// `_smtp._tls.<domain>`, "v=TLSRPTv1; rua=<uri>[,<uri>]...". Pure functions
// over bytes; no I/O. Any input is safe (fuzzed).
#ifndef MAILREP_COLLECTORS_AUTH_TLS_RPT_RECORD_H_
#define MAILREP_COLLECTORS_AUTH_TLS_RPT_RECORD_H_

#include <string>
#include <string_view>
#include <vector>

#include "exporter/util/status.h"

namespace mailrep {

// True for text a reader treats as a TLS-RPT record: it starts with
// "v=TLSRPTv1" followed by the end, a space/tab or ';' (see
// IsMtaStsTxtCandidate for why wider than the RFC's "v=TLSRPTv1;").
bool IsTlsRptTxtCandidate(std::string_view text);

struct TlsRptRecord {
  std::vector<std::string> rua;    // every URI, as written
  std::vector<std::string> notes;  // unsupported URI schemes, extensions
};

// Parses a candidate record. Requires exactly one rua field holding a
// comma-separated list (spaces/tabs allowed around ',') of URIs, at least one
// of them a usable "mailto:<addr>" or "https://<host>..." URI; URIs of other
// schemes are noted and otherwise ignored. Extension fields are noted.
// InvalidArgument says what is wrong.
StatusOr<TlsRptRecord> ParseTlsRptTxt(std::string_view text);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_AUTH_TLS_RPT_RECORD_H_
