// Looks a message's link domains up in the DNSBL catalogue's domain lists
// (Spamhaus DBL, URIBL, SURBL, ...) through the one DNSBL sweep
// (collectors/dnsbl/dnsbl_sweep.h): the same query names, answer decoding and
// list health as `check dnsbl`, so a refusal code or an unexpected answer is
// never a listing, and a list whose test points fail (a blocked resolver)
// lists nothing. Bounded: at most `max_lookups` (domain, list) queries, the
// domains taken in order until the next would pass it (the lists' test
// points come on top, and the engine's cache answers repeats). Blocks until
// every answer is in or `deadline`. Thread-safe as the Resolver is.
#ifndef MAILREP_COLLECTORS_CONTENT_LINK_LISTING_H_
#define MAILREP_COLLECTORS_CONTENT_LINK_LISTING_H_

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "collectors/dns/resolver.h"
#include "collectors/dnsbl/dnsbl_catalogue.h"
#include "collectors/dnsbl/dnsbl_config.h"

namespace mailrep {

struct ListedLink {
  std::string domain;
  std::string list;  // the zone
  std::string code;  // the first listing A value, "127.0.1.2"
  bool operator==(const ListedLink&) const = default;
};

struct LinkListing {
  std::vector<ListedLink> listed;      // domain by domain, lists in the given order
  size_t domains_checked = 0;          // the first domains_checked of the domains
  size_t lookups = 0;                  // (domain, list) pairs asked
  size_t errors = 0;                   // pairs without a verdict (timeouts, refusal codes, ...)
  std::vector<std::string> unhealthy;  // zones whose test points failed
};

// The lists of `catalogue` that check domains and are usable: `zones` when
// given (each must be a domain list), else the catalogue's default ones.
// An unknown, defunct, keyless or IP-only zone is an error message.
std::optional<std::string> DomainLists(const DnsblCatalogue& catalogue,
                                       const std::vector<std::string>& zones,
                                       const std::map<std::string, std::string>& keys,
                                       std::vector<DnsblListConfig>* out);

LinkListing LookUpLinkDomains(Resolver* resolver, const std::vector<DnsblListConfig>& lists,
                              const std::vector<std::string>& domains, size_t max_lookups,
                              SteadyTime deadline);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_CONTENT_LINK_LISTING_H_
