// libFuzzer target: the whole reader — mail, gzip, zip, XML, JSON, ARF — must
// never crash and must name a bounded reason for every failure, within small
// caps. Seeds: fuzz_corpus/report_reader_fuzzer/.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/reports/report_invalid_reason.h"
#include "collectors/reports/report_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view file(reinterpret_cast<const char*>(data), size);
  mailrep::ReportLimits limits;
  limits.max_input_bytes = 1 << 20;
  limits.max_decompressed_bytes = 1 << 20;
  limits.max_records = 1000;
  mailrep::StatusOr<mailrep::ParsedReport> report = mailrep::ReadReport(file, limits);
  if (!report.ok() && mailrep::ReportInvalidReasonName(
                          mailrep::InvalidReportReason(report.status())) == "unknown") {
    std::abort();
  }
  return 0;
}
