// Helpers for the DNSBL tests. Test-only.
#ifndef MAILREP_COLLECTORS_DNSBL_DNSBL_TEST_UTIL_H_
#define MAILREP_COLLECTORS_DNSBL_DNSBL_TEST_UTIL_H_

#include <cmath>
#include <string>
#include <vector>

#include "collectors/dns/dns_types.h"
#include "exporter/core/metric_set.h"

namespace mailrep::testing {

// The value of the sample of `name` whose labels include all of `labels`
// (NaN when there is none).
inline double SampleValue(const MetricSet& set, const std::string& name, const Labels& labels) {
  for (const prometheus::MetricFamily& f : set.families()) {
    if (f.name != name) continue;
    for (const prometheus::ClientMetric& m : f.metric) {
      bool all = true;
      for (const auto& [k, v] : labels) {
        bool found = false;
        for (const prometheus::ClientMetric::Label& l : m.label) {
          found |= l.name == k && l.value == v;
        }
        all &= found;
      }
      if (!all) continue;
      return f.type == prometheus::MetricType::Counter ? m.counter.value : m.gauge.value;
    }
  }
  return std::nan("");
}

// How many samples `name` has.
inline size_t SampleCount(const MetricSet& set, const std::string& name) {
  for (const prometheus::MetricFamily& f : set.families()) {
    if (f.name == name) return f.metric.size();
  }
  return 0;
}

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
