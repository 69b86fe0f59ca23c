// libFuzzer target: any bytes as a Sendmail qf file.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "collectors/queue/sendmail_queue_file.h"
#include "collectors/queue/sendmail_queue_scan.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  mailrep::SendmailQueueFileOptions options;
  options.max_kept_recipients = 16;
  options.max_status_bytes = 64;
  auto info = mailrep::ParseSendmailQueueFile(bytes, options);
  if (info.ok()) {
    (void)info->Tried();
    if (info->auth_authen.size() > 64 || info->origin_macro.size() > 64) __builtin_trap();
    (void)mailrep::SendmailOrigin(*info);  // splits $_ ("host [ip]" or "user@host")
  }
  return 0;
}
