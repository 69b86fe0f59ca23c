// libFuzzer target: any bytes as a Postfix defer logfile, each reason classified.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "collectors/queue/postfix_defer_log.h"
#include "collectors/reply/reply_classifier.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto log = mailrep::ParsePostfixDeferLog(text, 64);
  if (log.ok()) {
    for (const auto& entry : log->entries) {
      (void)mailrep::ClassifyReply(entry.reason, entry.status);
    }
  }
  (void)mailrep::ClassifyReply(text);
  return 0;
}
