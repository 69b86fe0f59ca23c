// Feeds arbitrary bytes to the /etc/hosts reader behind the host's FQDN.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "collectors/host/host_identity.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  // The first line names the host to look for; the rest is the file.
  size_t nl = text.find('\n');
  std::string_view hostname = text.substr(0, nl);
  text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
  mailrep::FqdnFromHostsFile(text, hostname);
  return 0;
}
