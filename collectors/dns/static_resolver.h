// StaticResolver: a Resolver that answers from a table set by the test, on the
// calling thread, inside Submit(). For unit tests of DNS checks (DNSBL, SPF,
// PTR, ...) that should not touch sockets.
//
// Thread-safe.
#ifndef MAILREP_COLLECTORS_DNS_STATIC_RESOLVER_H_
#define MAILREP_COLLECTORS_DNS_STATIC_RESOLVER_H_

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "collectors/dns/resolver.h"

namespace mailrep {

class StaticResolver : public Resolver {
 public:
  // Answers (name, type) with `answer` from now on.
  void Set(std::string_view name, RecordType type, DnsAnswer answer);
  // Shorthands for kData with one record per value. SetAddresses: A records
  // for IPv4 text, AAAA for IPv6 (one family per call; bad text is skipped).
  // SetTargets: PTR, CNAME or MX (preference 0) targets. SetTexts: one
  // single-string TXT record per text.
  void SetAddresses(std::string_view name, const std::vector<std::string>& ips, uint32_t ttl = 300);
  void SetTargets(std::string_view name, RecordType type, const std::vector<std::string>& targets,
                  uint32_t ttl = 300);
  void SetTexts(std::string_view name, const std::vector<std::string>& texts, uint32_t ttl = 300);
  // A non-data outcome (kNxDomain, kServFail, kTimeout, ...).
  void SetOutcome(std::string_view name, RecordType type, DnsOutcome outcome);
  // Names without an entry get this; NXDOMAIN by default.
  void SetDefault(DnsAnswer answer);

  void Submit(DnsQuery query, DnsCallback done) override;

  // Every query submitted so far, in order.
  std::vector<DnsQuery> queries() const;

 private:
  mutable std::mutex mu_;
  std::map<std::pair<std::string, RecordType>, DnsAnswer> answers_;
  DnsAnswer default_answer_ = NxDomain();

  static DnsAnswer NxDomain() {
    DnsAnswer answer;
    answer.outcome = DnsOutcome::kNxDomain;
    answer.error = "NXDOMAIN";
    return answer;
  }
  std::vector<DnsQuery> queries_;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNS_STATIC_RESOLVER_H_
