// libFuzzer target: DecodeDnsAnswer must never crash, and only kData may carry
// records. Seeds: fuzz_corpus/dns_answer_fuzzer/.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "collectors/dns/answer_decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> message(data, size);
  mailrep::DnsAnswer answer = mailrep::DecodeDnsAnswer(message);
  if (answer.outcome != mailrep::DnsOutcome::kData && !answer.records.empty()) std::abort();
  for (mailrep::RecordType type : {mailrep::RecordType::kA, mailrep::RecordType::kTxt,
                                   mailrep::RecordType::kMx, mailrep::RecordType::kPtr}) {
    answer = mailrep::DecodeDnsAnswer(message, "www.example", type);
    if (answer.outcome != mailrep::DnsOutcome::kData && !answer.records.empty()) std::abort();
  }
  return 0;
}
