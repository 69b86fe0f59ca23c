// libFuzzer target: any bytes as an Exim -H file and as a msglog.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "collectors/queue/exim_header_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  mailrep::EximHeaderOptions options;
  options.max_kept_recipients = 16;
  options.max_tree_nodes = 1000;
  auto info = mailrep::ParseEximHeaderFile(bytes, options);
  if (info.ok()) {
    (void)mailrep::EximMessageSize(*info, size);
    if (info->auth_id.size() > 1024 || info->login.size() > size) __builtin_trap();
  }
  (void)mailrep::ParseEximMsglogDeferrals(bytes, 16);
  return 0;
}
