// libFuzzer target: any input must be counted and skipped, never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "collectors/delivery/exim_log.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  mailrep::DeliveryEvent event;
  (void)mailrep::ParseEximLine(text, &event);
  return 0;
}
