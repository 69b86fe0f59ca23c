// List health from the RFC 5782 test points, checked every cycle: the
// "listed" point (127.0.0.2, ::ffff:7f00:2, "test" or the catalogue's value)
// must come back as a listing, the "clean" point (127.0.0.1, ::ffff:7f00:1,
// "invalid") must not. A list failing either — dead, refusing us, or a parked
// domain that wildcards everything — is unhealthy, and its listings are not
// reported. Pure; no I/O.
#ifndef MAILREP_COLLECTORS_DNSBL_DNSBL_HEALTH_H_
#define MAILREP_COLLECTORS_DNSBL_DNSBL_HEALTH_H_

#include <optional>
#include <string>

#include "collectors/dnsbl/dnsbl_answer.h"
#include "collectors/dnsbl/dnsbl_catalogue.h"

namespace mailrep {

// The query name prefixes of a list's test points ("" = not checked).
struct DnsblTestPoints {
  std::string listed_prefix;  // "2.0.0.127"
  std::string clean_prefix;   // "1.0.0.127"
};
DnsblTestPoints TestPointsOf(const DnsblList& list);

struct DnsblHealth {
  bool healthy = false;
  std::string reason;  // why not, for logs and `check dnsbl` ("" when healthy)
};

// Judges the decoded answers for the two points; a point not checked is
// passed as nullopt. A lookup error on a point makes the list unhealthy too.
DnsblHealth JudgeDnsblHealth(const std::optional<DnsblResult>& listed_point,
                             const std::optional<DnsblResult>& clean_point);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNSBL_DNSBL_HEALTH_H_
