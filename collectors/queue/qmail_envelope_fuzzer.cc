// libFuzzer target: any bytes as a qmail envelope file (todo, info, local, remote),
// and as the head of a mess/ file (ParseQmailSubmission).
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
  // The same bytes as the start of a mess/ file (qmail-queue's Received field).
  mailrep::QmailSubmission who =
      mailrep::ParseQmailSubmission(std::string_view(reinterpret_cast<const char*>(data), size));
  if (who.client_address.size() > size) __builtin_trap();
  return 0;
}
