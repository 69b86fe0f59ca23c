// libFuzzer target: the MIME walker and the header parsers must never crash,
// and the walk keeps its caps. Seeds: fuzz_corpus/mime_walker_fuzzer/.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/reports/mail_headers.h"
#include "collectors/reports/mime_walker.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view mail(reinterpret_cast<const char*>(data), size);
  mailrep::MimeLimits limits{.max_depth = 4, .max_parts = 16, .max_part_bytes = 1 << 16};
  mailrep::StatusOr<std::vector<mailrep::MimePart>> parts = mailrep::WalkMime(mail, limits);
  if (parts.ok()) {
    if (parts->size() > limits.max_parts) std::abort();
    for (const mailrep::MimePart& part : *parts) {
      if (part.depth > limits.max_depth || part.body.size() > limits.max_part_bytes) std::abort();
    }
  }
  (void)mailrep::ParseMimeValue(mail.substr(0, 4096));
  (void)mailrep::DecodeQuotedPrintable(mail);
  return 0;
}
