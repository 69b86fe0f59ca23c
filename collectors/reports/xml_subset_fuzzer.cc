// libFuzzer target, differential: XmlSubsetScanner against expat. Whole or
// in pieces, the subset reader declines or reads the same elements and text
// as expat; the DMARC parser and ReadReport give the same result with the
// subset first as with expat alone. Seeds: fuzz_corpus/xml_subset_fuzzer/.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "collectors/reports/dmarc_aggregate_report.h"
#include "collectors/reports/report_reader.h"
#include "collectors/reports/xml_subset_differential.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mailrep;
  std::string_view xml(reinterpret_cast<const char*>(data), size);
  std::optional<std::string> whole = testing::SubsetXmlEvents(xml, size);
  size_t piece = size == 0 ? 1 : 1 + data[0] % 13;
  if (testing::SubsetXmlEvents(xml, piece) != whole) std::abort();
  if (whole && testing::ExpatXmlEvents(xml) != whole) std::abort();

  StatusOr<DmarcAggregateReport> subset =
      ParseDmarcAggregateReport(xml, 1000, DmarcXmlReader::kSubset);
  if (subset.ok()) {
    StatusOr<DmarcAggregateReport> expat = ParseDmarcAggregateReport(xml, 1000);
    if (!expat.ok() || !(*expat == *subset)) std::abort();
  }
  ReportLimits limits;
  limits.max_input_bytes = 1 << 20;
  limits.max_decompressed_bytes = 1 << 20;
  limits.max_records = 1000;
  if (!testing::SameRead(ReadReport(xml, limits, ReportXmlPath::kSubsetFirst),
                         ReadReport(xml, limits, ReportXmlPath::kExpatOnly))) {
    std::abort();
  }
  return 0;
}
