#include "collectors/content/link_listing.h"

#include "collectors/dnsbl/dnsbl_sweep.h"
#include "collectors/dnsbl/dnsbl_targets.h"

namespace mailrep {

std::optional<std::string> DomainLists(const DnsblCatalogue& catalogue,
                                       const std::vector<std::string>& zones,
                                       const std::map<std::string, std::string>& keys,
                                       std::vector<DnsblListConfig>* out) {
  std::vector<std::string> wanted = zones;
  bool chosen = !zones.empty();
  if (!chosen) wanted = catalogue.DefaultZones();
  for (const std::string& zone : wanted) {
    DnsblListConfig list;
    if (auto error = ResolveDnsblList(catalogue, zone, keys, &list)) return error;
    if (!list.list.Supports(DnsblKind::kDomain)) {
      if (chosen) return zone + " does not list domains";
      continue;
    }
    out->push_back(std::move(list));
  }
  return std::nullopt;
}

LinkListing LookUpLinkDomains(Resolver* resolver, const std::vector<DnsblListConfig>& lists,
                              const std::vector<std::string>& domains, size_t max_lookups,
                              SteadyTime deadline) {
  LinkListing out;
  if (lists.empty()) return out;
  std::vector<DnsblTarget> targets;
  for (const std::string& domain : domains) {
    if ((targets.size() + 1) * lists.size() > max_lookups) break;
    ++out.domains_checked;
    StatusOr<DnsblTarget> target = DomainTarget(domain);
    if (target.ok()) targets.push_back(std::move(target).value());
  }
  if (targets.empty()) return out;
  DnsblSweep sweep = RunDnsblSweep(resolver, lists, targets, deadline);
  out.lookups = targets.size() * lists.size();
  for (size_t l = 0; l < lists.size(); ++l) {
    if (!sweep.lists[l].health.healthy) out.unhealthy.push_back(lists[l].list.zone);
  }
  for (size_t t = 0; t < targets.size(); ++t) {
    for (size_t l = 0; l < lists.size(); ++l) {
      const DnsblResult* r = sweep.results.Get(t, l);
      if (r == nullptr || !r->ok()) {
        ++out.errors;
        continue;
      }
      if (!sweep.lists[l].health.healthy || r->verdict != DnsblVerdict::kListed) continue;
      for (const DnsblMatch& m : r->matches) {
        if (m.code_class == DnsblCodeClass::kListed) {
          out.listed.push_back({targets[t].value, lists[l].list.zone, m.code});
          break;
        }
      }
    }
  }
  return out;
}

}  // namespace mailrep
