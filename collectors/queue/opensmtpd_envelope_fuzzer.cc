// libFuzzer target: any bytes as an OpenSMTPD envelope.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "collectors/queue/opensmtpd_envelope.h"
#include "collectors/queue/opensmtpd_queue_scan.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto env = mailrep::ParseOpensmtpdEnvelope(bytes);
  if (env.ok()) {
    (void)env->Destination().size();
    (void)mailrep::OpensmtpdOrigin(*env);
  }
  (void)mailrep::IsOpensmtpdEvpid(bytes);
  return 0;
}
