// Fuzzes the catalogue loader (a YAML document): errors, never crashes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "collectors/dnsbl/dnsbl_catalogue.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  mailrep::StatusOr<mailrep::DnsblCatalogue> c = mailrep::DnsblCatalogue::Parse(text, "fuzz.yml");
  if (c.ok()) {
    for (const mailrep::DnsblList& list : c->lists()) (void)list.health_kind();
  }
  return 0;
}
