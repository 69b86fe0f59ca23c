// libFuzzer target: any input must be counted and skipped, never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "collectors/delivery/line_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  mailrep::LineParser parser;
  mailrep::DeliveryEvent event;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    (void)parser.Parse(text.substr(0, nl), &event);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
  }
  return 0;
}
