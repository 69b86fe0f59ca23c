// SpfDns: the synchronous lookup interface the SPF evaluator runs on. The
// exporter adapts its resolver to it; tests and benchmarks use SpfMemoryDns.
#ifndef MAILREP_COLLECTORS_AUTH_SPF_DNS_H_
#define MAILREP_COLLECTORS_AUTH_SPF_DNS_H_

#include <string_view>

#include "collectors/dns/dns_types.h"

namespace mailrep {

class SpfDns {
 public:
  virtual ~SpfDns() = default;

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

#endif  // MAILREP_COLLECTORS_AUTH_SPF_DNS_H_
