// Helpers for the DNSBL tests: canned DNS answers. Test-only. Samples are
// read back with SampleValue() from exporter/core/collector_testing.h.
#ifndef MAILREP_COLLECTORS_DNSBL_DNSBL_TEST_UTIL_H_
#define MAILREP_COLLECTORS_DNSBL_DNSBL_TEST_UTIL_H_

#include <string>
#include <vector>

#include "collectors/dns/dns_types.h"

namespace mailrep::testing {

inline DnsAnswer AAnswer(const std::vector<std::string>& ips, uint32_t ttl = 300) {
  DnsAnswer a;
  a.outcome = DnsOutcome::kData;
  a.ttl = ttl;
  for (const std::string& ip : ips) {
    DnsRecord r;
    r.type = RecordType::kA;
    r.ttl = ttl;
    r.address = *IpAddress::Parse(ip);
    a.records.push_back(r);
  }
  return a;
}

inline DnsAnswer OutcomeAnswer(DnsOutcome outcome) {
  DnsAnswer a;
  a.outcome = outcome;
  return a;
}

}  // namespace mailrep::testing

#endif  // MAILREP_COLLECTORS_DNSBL_DNSBL_TEST_UTIL_H_
