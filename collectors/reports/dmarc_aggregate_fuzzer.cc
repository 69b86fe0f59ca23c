// libFuzzer target: the DMARC aggregate parser must never crash, whole or fed
// in two pieces, and a parsed report must hold what its records said.
// Seeds: fuzz_corpus/dmarc_aggregate_fuzzer/.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/reports/dmarc_aggregate_report.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view xml(reinterpret_cast<const char*>(data), size);
  mailrep::StatusOr<mailrep::DmarcAggregateReport> whole =
      mailrep::ParseDmarcAggregateReport(xml, 1000);
  if (whole.ok() && whole->records.size() != whole->header.records) std::abort();

  uint64_t records = 0;
  mailrep::DmarcAggregateParser parser([&](const mailrep::DmarcAggregateRecord& r) {
    if (r.source_ip.empty()) std::abort();
    ++records;
    return mailrep::Status::OK();
  });
  size_t cut = size / 2;
  if (parser.Feed(xml.substr(0, cut)).ok() && parser.Feed(xml.substr(cut)).ok()) {
    mailrep::StatusOr<mailrep::DmarcReportHeader> header = parser.Finish();
    if (header.ok() && header->records != records) std::abort();
    if (whole.ok() != header.ok() && records <= 1000) std::abort();
  }
  return 0;
}
