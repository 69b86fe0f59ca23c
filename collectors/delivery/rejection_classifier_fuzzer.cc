// libFuzzer target: any input must be counted and skipped, never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "collectors/delivery/rejection_classifier.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)mailrep::RejectionClassifier::Default().Classify(text, {});
  (void)mailrep::RejectionClassifier::FromRules(text);
  return 0;
}
