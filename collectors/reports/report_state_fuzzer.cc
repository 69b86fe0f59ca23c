// libFuzzer target: the reports state file reader must never crash, and what
// it accepts must serialize to text it reads back the same.
// Seeds: fuzz_corpus/report_state_fuzzer/.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/reports/report_state.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  mailrep::StatusOr<mailrep::ReportState> state = mailrep::ReportState::Parse(input);
  if (!state.ok()) return 0;
  std::string text = state->Serialize();
  mailrep::StatusOr<mailrep::ReportState> again = mailrep::ReportState::Parse(text);
  if (!again.ok() || again->Serialize() != text) std::abort();
  return 0;
}
