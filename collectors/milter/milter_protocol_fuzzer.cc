// libFuzzer target: the milter framing and session must never crash, never
// answer anything but option negotiation, CONTINUE and ACCEPT, and keep the
// message within its byte budget. Seeds: fuzz_corpus/milter_protocol_fuzzer/.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/milter/milter_protocol.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mailrep::MilterFrameReader reader(1 << 16);
  reader.Append(std::string_view(reinterpret_cast<const char*>(data), size));
  mailrep::MilterBudget budget{.max_message_bytes = 4096,
                               .max_message_time = std::chrono::seconds(10)};
  mailrep::MilterSession session(budget);
  auto now = std::chrono::steady_clock::time_point{};
  bool error = false;
  while (auto packet = reader.Next(&error)) {
    std::string reply;
    std::optional<mailrep::MilterMessageEvent> event;
    bool open = session.Handle(packet->first, packet->second, now, &reply, &event);
    mailrep::MilterFrameReader replies(1 << 16);
    replies.Append(reply);
    bool bad = false;
    while (auto r = replies.Next(&bad)) {
      if (r->first != 'a' && r->first != 'c' && r->first != 'O') std::abort();
    }
    if (bad || replies.buffered() != 0) std::abort();
    if (event && event->message.size() > budget.max_message_bytes + (1 << 16)) std::abort();
    if (!open) break;
  }
  return 0;
}
