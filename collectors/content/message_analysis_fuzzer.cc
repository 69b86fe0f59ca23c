// libFuzzer target: the analysis of one message must never crash and keeps
// its bounds (domains, codes each once). Seeds: fuzz_corpus/message_analysis_fuzzer/
// (the hand-made messages of testdata/ among them).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string_view>

#include "collectors/content/message_analysis.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto psl =
      mailrep::PublicSuffixList::FromText("com\nnet\norg\nuk\nco.uk\nexample\n").value();
  std::string_view message(reinterpret_cast<const char*>(data), size);
  mailrep::ContentOptions options;
  options.max_uris = 100;
  options.max_link_domains = 10;
  options.mime = {.max_depth = 4, .max_parts = 16, .max_part_bytes = 1 << 16};
  options.bulk_header = "X-Campaign";
  mailrep::MessageFindings f = mailrep::AnalyzeMessage(message, *psl, options);
  if (f.size != size || f.link_domains.size() > options.max_link_domains) std::abort();
  if (std::set<std::string>(f.link_domains.begin(), f.link_domains.end()).size() !=
      f.link_domains.size()) {
    std::abort();
  }
  if (f.format_problems.size() > mailrep::kFormatProblemCount ||
      f.attachments.size() > options.mime.max_parts) {
    std::abort();
  }
  (void)mailrep::HasContentProblem(f);
  return 0;
}
