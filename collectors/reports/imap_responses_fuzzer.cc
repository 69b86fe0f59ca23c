// libFuzzer target: the IMAP response parsers (UIDVALIDITY, SEARCH, FETCH
// FLAGS/RFC822.SIZE) must never crash on any server reply, and what they
// return must hold their contracts. Seeds: fuzz_corpus/imap_responses_fuzzer/.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/reports/imap_responses.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (std::optional<uint32_t> v = mailrep::ParseUidValidity(text); v && *v == 0) std::abort();
  std::vector<uint32_t> uids = mailrep::ParseSearchUids(text, 64);
  if (uids.size() > 64 || !std::is_sorted(uids.begin(), uids.end()) ||
      std::adjacent_find(uids.begin(), uids.end()) != uids.end() ||
      std::count(uids.begin(), uids.end(), 0u) > 0) {
    std::abort();
  }
  for (const mailrep::ImapMessageInfo& info : mailrep::ParseFetchInfo(text)) {
    if (info.uid == 0) std::abort();
  }
  (void)mailrep::UidSet(uids);
  return 0;
}
