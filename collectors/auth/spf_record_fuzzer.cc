// Feeds arbitrary bytes to the SPF record parser and, for records that parse,
// through the evaluator over a small fixed zone (no I/O).
#include <cstddef>
#include <cstdint>
#include <string>

#include "collectors/auth/spf_evaluator.h"
#include "collectors/auth/spf_macro.h"
#include "collectors/auth/spf_record.h"
#include "collectors/dns/memory_dns.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mailrep;
  std::string text(reinterpret_cast<const char*>(data), size);
  StatusOr<SpfRecord> record = ParseSpfRecord(text);
  (void)ValidateSpfMacroString(text, SpfMacroUse::kExplanation);
  if (!record.ok()) return 0;
  MemoryDns dns;
  dns.AddTxt("fuzz.example.com", {text});
  dns.AddTxt("loop.example.com", {"v=spf1 include:fuzz.example.com redirect=loop.example.com"});
  (void)dns.AddAddress("fuzz.example.com", "192.0.2.1");
  (void)dns.AddAddress("fuzz.example.com", "2001:db8::1");
  dns.AddMx("fuzz.example.com", 10, "fuzz.example.com");
  dns.AddPtr("1.2.0.192.in-addr.arpa", "fuzz.example.com");
  dns.AddTxt("exp.example.com", {text});
  for (const char* ip : {"192.0.2.1", "2001:db8::2"}) {
    SpfRequest request{*IpAddress::Parse(ip), "user@fuzz.example.com", "helo.example.com"};
    SpfOptions options;
    options.now_seconds = 0;
    (void)CheckSpf(request, dns, options);
  }
  return 0;
}
