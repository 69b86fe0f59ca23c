// libFuzzer target: HandoffQueueId on any reply text. It must return a view
// into the reply, empty or 1 to 32 id characters, and never crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/delivery/handoff_reply.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view reply(reinterpret_cast<const char*>(data), size);
  std::string_view id = mailrep::HandoffQueueId(reply);
  if (id.empty()) return 0;
  if (id.size() > 32 || id.data() < reply.data() || id.data() + id.size() > reply.data() + size) {
    std::abort();
  }
  for (char c : id) {
    bool ok =
        (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-';
    if (!ok) std::abort();
  }
  return 0;
}
