// libFuzzer target: the link extractor must never crash (nor libidn2 under
// it), keeps its cap, and every host it returns is a lower-case LDH name (an
// A-label for a Unicode one) with a dot. Seeds:
// fuzz_corpus/link_extractor_fuzzer/.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/content/link_extractor.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  for (bool html : {false, true}) {
    mailrep::LinkScan scan;
    mailrep::ScanLinks(body, html, 64, &scan);
    if (scan.uris > 64 || scan.hosts.size() + scan.unconvertible.size() > scan.uris) std::abort();
    for (const std::string& host : scan.hosts) {
      if (host.empty() || host.size() > 253 || host.find('.') == std::string::npos) std::abort();
      for (char c : host) {
        bool ok =
            (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
        if (!ok) std::abort();
      }
    }
  }
  return 0;
}
