// libFuzzer target: any bytes as a showq stream, fed in pieces (the first
// byte picks the piece size) so that the incremental parser's state carries
// across chunk boundaries.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "collectors/queue/postfix_showq.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  size_t piece = 1 + data[0] % 64;
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  mailrep::PostfixShowqParser parser(16);
  while (!rest.empty()) {
    size_t n = rest.size() < piece ? rest.size() : piece;
    if (!parser.Feed(rest.substr(0, n)).ok()) break;
    rest.remove_prefix(n);
  }
  (void)parser.TakeScan();
  return 0;
}
