// Feeds arbitrary bytes to the procfs parsers behind the process_* metrics.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "exporter/core/process_metrics.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  mailrep::ParseProcStat(text);
  mailrep::ParseSoftLimit(text, "Max open files");
  mailrep::ParseBootTime(text);
  return 0;
}
