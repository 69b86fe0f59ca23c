// libFuzzer target: the JSON reader and the TLS-RPT report on top of it must
// never crash; a parsed report keeps its caps. Seeds:
// fuzz_corpus/tlsrpt_report_fuzzer/.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/reports/json_value.h"
#include "collectors/reports/tlsrpt_report.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  mailrep::JsonLimits small{.max_bytes = 1 << 16, .max_depth = 8, .max_values = 1000};
  (void)mailrep::ParseJson(text, small);
  mailrep::StatusOr<mailrep::TlsrptReport> report = mailrep::ParseTlsrptReport(text);
  if (report.ok()) {
    size_t entries = report->policies.size();
    for (const auto& p : report->policies) entries += p.failures.size();
    if (entries > mailrep::kMaxTlsrptEntries) std::abort();
  }
  (void)mailrep::ParseRfc3339(text);
  return 0;
}
