// libFuzzer target: any input must be read or refused, never crash, and what
// is returned must lie inside the input (views, never copies).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/delivery/syslog_prefix.h"

namespace {

bool Inside(std::string_view part, std::string_view whole) {
  return part.empty() ||
         (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (std::optional<mailrep::SyslogLine> sys = mailrep::ParseSyslogPrefix(text)) {
    if (sys->tag.empty() || !Inside(sys->tag, text) || !Inside(sys->message, text)) std::abort();
  }
  std::string_view body = mailrep::SkipLogStamps(text);
  if (!Inside(body, text) || (!body.empty() && body.data() + body.size() != text.data() + size)) {
    std::abort();
  }
  return 0;
}
