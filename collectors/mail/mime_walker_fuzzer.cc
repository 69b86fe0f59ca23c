// libFuzzer target: the MIME walker (strict and lenient), the header parsers
// and the decoders must never crash, and the walks keep their caps. Seeds:
// fuzz_corpus/mime_walker_fuzzer/.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/mail/encoded_words.h"
#include "collectors/mail/mail_headers.h"
#include "collectors/mail/mime_walker.h"

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
  mailrep::MimeWalk walk = mailrep::WalkMimeLenient(mail, limits);
  if (walk.leaves.size() > limits.max_parts || walk.defects.size() > mailrep::kMimeDefectCount) {
    std::abort();
  }
  for (const mailrep::MimePart& part : walk.leaves) {
    if (part.depth > limits.max_depth || part.body.size() > limits.max_part_bytes) std::abort();
  }
  // A mail the strict walk accepts walks the same leniently.
  if (parts.ok() && parts->size() != walk.leaves.size()) std::abort();
  (void)mailrep::ParseMimeValue(mail.substr(0, 4096));
  (void)mailrep::DecodeQuotedPrintable(mail);
  if (mailrep::DecodeEncodedWords(mail.substr(0, 4096)).size() > std::min<size_t>(size, 4096)) {
    std::abort();
  }
  return 0;
}
