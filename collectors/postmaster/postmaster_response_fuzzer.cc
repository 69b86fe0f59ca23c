// libFuzzer target: both Postmaster Tools response readers on arbitrary bytes
// must neither crash nor accept a value they should have skipped.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "collectors/postmaster/postmaster_api.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  mailrep::StatusOr<mailrep::PostmasterStatsPage> stats = mailrep::ParsePostmasterDomainStats(text);
  if (stats.ok()) {
    for (const mailrep::PostmasterStatsPage::Value& v : stats->values) {
      if (!(v.value >= 0 && v.value <= 1)) __builtin_trap();
      if (v.metric >= mailrep::kPostmasterMetricCount) __builtin_trap();
      if (v.date.month < 1 || v.date.month > 12 || v.date.day < 1 || v.date.day > 31) {
        __builtin_trap();
      }
    }
    if (stats->next_page_token.size() > 2048) __builtin_trap();
  }
  mailrep::StatusOr<mailrep::PostmasterCompliance> compliance =
      mailrep::ParsePostmasterCompliance(text);
  if (compliance.ok() && compliance->known() > mailrep::kPostmasterRequirementCount) {
    __builtin_trap();
  }
  return 0;
}
