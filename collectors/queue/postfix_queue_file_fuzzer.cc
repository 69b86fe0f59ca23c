// libFuzzer target: any bytes as a Postfix queue file (and its name as a queue id).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "collectors/queue/postfix_queue_file.h"
#include "collectors/queue/postfix_queue_id.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  mailrep::PostfixQueueFileOptions options;
  options.max_kept_recipients = 16;
  (void)mailrep::ParsePostfixQueueFile(bytes, options);
  options.read_origin = true;  // the sender, origin attributes and first content record
  auto origin = mailrep::ParsePostfixQueueFile(bytes, options);
  if (origin.ok() && origin->sender.size() + origin->sasl_username.size() > size) __builtin_trap();
  auto id = mailrep::ParsePostfixQueueId(bytes.substr(0, 40));
  if (id.ok()) (void)mailrep::PostfixQueueHashPrefix(*id, 2);
  return 0;
}
