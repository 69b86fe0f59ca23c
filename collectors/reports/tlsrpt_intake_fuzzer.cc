// libFuzzer target: what the TLS-RPT intake reads from an upload — the
// Content-Type value (the input's first line) and the body (the rest) — must
// never crash: the media type is normalized once and for all, and an
// accepted body is gzip'd exactly when its bytes say so, with every failure
// an invalid-report reason. Seeds: fuzz_corpus/tlsrpt_intake_fuzzer/.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "collectors/reports/bounded_gunzip.h"
#include "collectors/reports/report_invalid_reason.h"
#include "collectors/reports/tlsrpt_intake.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t newline = input.find('\n');
  std::string_view header = input.substr(0, newline);
  std::string_view body = newline == std::string_view::npos ? "" : input.substr(newline + 1);

  std::string type = mailrep::ContentMediaType(header);
  if (mailrep::ContentMediaType(type) != type) std::abort();
  for (char c : type) {
    if (c == ';' || (c >= 'A' && c <= 'Z')) std::abort();
  }

  mailrep::StatusOr<bool> gzip = mailrep::CheckTlsRptUpload(body, 1 << 20);
  if (gzip.ok() && *gzip != mailrep::LooksLikeGzip(body)) std::abort();
  // Every refusal has a reason from the bounded set (a metric label).
  if (!gzip.ok() &&
      mailrep::ReportInvalidReasonName(mailrep::InvalidReportReason(gzip.status())) == "unknown") {
    std::abort();
  }
  return 0;
}
