// Feeds arbitrary bytes to the MTA config and dpkg status parsers that MTA
// detection uses.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "collectors/host/mta_config_parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  mailrep::PostfixParams params = mailrep::ParsePostfixMainCf(text);
  for (const auto& [name, value] : params) {
    mailrep::ExpandPostfixValue(value, params);
    mailrep::SplitPostfixList(value);
  }
  mailrep::ExpandPostfixValue(text.substr(0, 4096), params);
  constexpr std::array<std::string_view, 2> kPackages = {"postfix", "exim4-daemon-light"};
  mailrep::ParseDpkgStatus(text, kPackages);
  mailrep::ParseEximSpoolDirectory(text);
  mailrep::ParseSendmailQueueDirectory(text);
  return 0;
}
