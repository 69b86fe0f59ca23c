// libFuzzer target: any bytes as a qmail envelope file (todo, info, local, remote).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "collectors/queue/qmail_envelope.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mailrep::QmailEnvelope e =
      mailrep::ParseQmailEnvelope(std::string_view(reinterpret_cast<const char*>(data), size));
  size_t total = e.sender.size();
  for (const auto& r : e.pending) total += r.size();
  if (total > size) __builtin_trap();
  return 0;
}
