// libFuzzer target: the ARF field reader must never crash. The input is cut
// at its first NUL into the feedback-report fields and the original headers.
// Seeds: fuzz_corpus/arf_report_fuzzer/.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/reports/arf_report.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t nul = input.find('\0');
  std::string_view feedback = input.substr(0, nul);
  std::string_view original = nul == std::string_view::npos ? "" : input.substr(nul + 1);
  mailrep::StatusOr<mailrep::ArfReport> report = mailrep::ParseArfReport(feedback, original);
  if (report.ok() && report->feedback_type.empty()) std::abort();
  return 0;
}
