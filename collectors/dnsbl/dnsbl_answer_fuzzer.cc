// Fuzzes DecodeDnsblAnswer with arbitrary answers against every catalogue list:
// it must never crash, and an error code or a foreign answer is never a listing.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "collectors/dnsbl/dnsbl_answer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mailrep;
  if (size < 1) return 0;
  DnsAnswer answer;
  answer.outcome = static_cast<DnsOutcome>(data[0] % 9);
  answer.ttl = data[0];
  for (size_t i = 1; i + 5 <= size; i += 5) {
    DnsRecord r;
    r.type = data[i] & 1 ? RecordType::kA : RecordType::kAaaa;
    r.address.family = data[i] & 2 ? IpAddress::Family::kV6 : IpAddress::Family::kV4;
    for (int b = 0; b < 4; ++b) r.address.bytes[b] = data[i + 1 + b];
    answer.records.push_back(r);
  }
  for (const DnsblList& list : DnsblCatalogue::BuiltIn().lists()) {
    DnsblResult result = DecodeDnsblAnswer(list, answer);
    if (result.verdict == DnsblVerdict::kListed) {
      if (answer.outcome != DnsOutcome::kData) std::abort();
      for (const DnsRecord& r : answer.records) {
        if (r.type == RecordType::kA && r.address.bytes[0] != 127) std::abort();
      }
    }
  }
  return 0;
}
