// DnsLookup: the synchronous, one-name-at-a-time lookup interface the record
// checks run on (SPF and Sender ID, DKIM, DMARC, PTR, MTA-STS). The exporter
// adapts its Resolver to it (ResolverLookup); tests and benchmarks use
// MemoryDns.
#ifndef MAILREP_COLLECTORS_DNS_DNS_LOOKUP_H_
#define MAILREP_COLLECTORS_DNS_DNS_LOOKUP_H_

#include <string_view>

#include "collectors/dns/dns_types.h"

namespace mailrep {

class DnsLookup {
 public:
  virtual ~DnsLookup() = default;

  // Looks up `name` (no trailing dot, any case; may contain any printable
  // byte, e.g. a space produced by macro expansion) for `type`, following
  // CNAME chains like a recursive resolver. Blocks until the answer or the
  // implementation's own timeout (reported as DnsOutcome::kTimeout). Called
  // from one thread at a time per evaluation; implementations shared between
  // threads must be thread-safe.
  virtual DnsAnswer Lookup(std::string_view name, RecordType type) = 0;

  // The same answer as Lookup(), without a copy when the implementation
  // already holds it: returns either `scratch`, filled by this call, or an
  // answer owned by the implementation that stays valid and unchanged until
  // the implementation is modified or destroyed. The default fills `scratch`
  // from Lookup().
  virtual const DnsAnswer& LookupRef(std::string_view name, RecordType type, DnsAnswer& scratch) {
    scratch = Lookup(name, type);
    return scratch;
  }
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNS_DNS_LOOKUP_H_
