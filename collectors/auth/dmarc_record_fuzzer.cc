// Feeds arbitrary bytes to the DMARC record parser and, through an in-memory
// zone, to the whole check (discovery, destinations, alignment). No I/O.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "collectors/auth/dmarc_check.h"
#include "collectors/auth/dmarc_record.h"
#include "collectors/dns/memory_dns.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mailrep;
  static const PublicSuffixList* psl =
      PublicSuffixList::FromText("com\nnet\norg\nco.uk\n").value().release();
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)IsDmarcRecordText(text);
  (void)ParseDmarcReportUri(text);
  StatusOr<DmarcRecord> record = ParseDmarcRecord(text);
  if (record.ok()) {
    if (record->pct < 0 || record->pct > 100) std::abort();
    if (record->valid() && record->effective_policy != record->policy) std::abort();
    (void)CheckDmarcAlignment("example.com", "bounce.example.com", {"example.com"}, *record, *psl);
  }
  MemoryDns dns;
  dns.AddTxt("_dmarc.example.com", {text});
  dns.AddTxt("example.com._report._dmarc.vendor.net", {"v=DMARC1"});
  (void)CheckDmarc("mail.example.com", dns, *psl);
  return 0;
}
