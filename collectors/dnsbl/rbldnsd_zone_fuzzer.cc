// Fuzzes the rbldnsd data file reader in all four formats (the first byte
// picks one) and a few lookups: reports, never crashes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "collectors/dnsbl/rbldnsd_zone.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static constexpr mailrep::RbldnsdFormat kFormats[] = {
      mailrep::RbldnsdFormat::kIp4set, mailrep::RbldnsdFormat::kIp4trie,
      mailrep::RbldnsdFormat::kIp4tset, mailrep::RbldnsdFormat::kDnset};
  mailrep::RbldnsdFormat format = kFormats[data[0] % 4];
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  mailrep::StatusOr<mailrep::RbldnsdZone> zone =
      mailrep::RbldnsdZone::Parse(text, format, "fuzz", 1700000000);
  if (!zone.ok()) return 0;
  for (uint32_t ip : {0x7F000002u, 0x0A000001u, 0u, 0xFFFFFFFFu}) (void)zone->LookupIp4(ip);
  for (const char* name : {"example.com", "a.b.example.com", "com", "test"}) {
    (void)zone->LookupDomain(name);
  }
  return 0;
}
