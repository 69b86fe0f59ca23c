// libFuzzer target: any input must be counted and skipped, never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "collectors/delivery/postfix_sending_ip.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  size_t split = text.find('\0');
  mailrep::SendingIpMap map;
  if (split == std::string_view::npos) {
    mailrep::AddPostfixInstance(text, text, "", &map);
  } else {
    mailrep::AddPostfixInstance(text.substr(0, split), text.substr(split + 1), "out", &map);
  }
  return 0;
}
