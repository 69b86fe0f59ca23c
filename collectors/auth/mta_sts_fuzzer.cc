// Feeds arbitrary bytes to the MTA-STS policy parser, the MTA-STS and TLS-RPT
// TXT record parsers, and the MX pattern matcher.
#include <cstddef>
#include <cstdint>
#include <string>

#include "collectors/auth/mta_sts_record.h"
#include "collectors/auth/tls_rpt_record.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mailrep;
  std::string text(reinterpret_cast<const char*>(data), size);
  StatusOr<MtaStsPolicy> policy = ParseMtaStsPolicy(text);
  if (policy.ok()) {
    for (const std::string& p : policy->mx) (void)MtaStsMxMatches(p, "mail.example.com");
  }
  (void)IsMtaStsTxtCandidate(text);
  (void)ParseMtaStsTxt(text);
  (void)IsTlsRptTxtCandidate(text);
  (void)ParseTlsRptTxt(text);
  size_t nl = text.find('\n');
  if (nl != std::string::npos) {
    (void)MtaStsMxMatches(text.substr(0, nl), text.substr(nl + 1));
  }
  (void)IsValidMtaStsHostName(text);
  return 0;
}
