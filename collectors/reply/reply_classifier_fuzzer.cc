// libFuzzer target: any reply must classify, and any rules text parse or be
// refused, without a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "collectors/reply/reply_classifier.h"
#include "collectors/reply/smtp_reply_codes.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)mailrep::ReplyClassifier::Default().Classify(text, {});
  (void)mailrep::FindReplyCode(text);
  (void)mailrep::ReplyClassifier::FromRules(text);
  return 0;
}
