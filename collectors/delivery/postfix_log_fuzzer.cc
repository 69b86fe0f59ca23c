// libFuzzer target: any input must be counted and skipped, never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "collectors/delivery/postfix_log.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  size_t split = text.find('\t');
  std::string_view tag = split == std::string_view::npos ? "postfix/smtp" : text.substr(0, split);
  mailrep::DeliveryEvent event;
  (void)mailrep::ParsePostfixLine(tag, text.substr(split == std::string_view::npos ? 0 : split + 1),
                                  &event);
  return 0;
}
