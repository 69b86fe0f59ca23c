#include "collectors/dnsbl/dnsbl_listing_log.h"

#include <algorithm>
#include <vector>

namespace mailrep {
namespace {

// The listing codes and their meanings, sorted by code and joined.
void ListingCodes(const DnsblResult& r, std::string* codes, std::string* meanings) {
  std::vector<const DnsblMatch*> listed;
  for (const DnsblMatch& m : r.matches) {
    if (m.code_class == DnsblCodeClass::kListed) listed.push_back(&m);
  }
  std::sort(listed.begin(), listed.end(),
            [](const DnsblMatch* a, const DnsblMatch* b) { return a->code < b->code; });
  for (const DnsblMatch* m : listed) {
    *codes += (codes->empty() ? "" : ",") + m->code;
    if (!m->meaning.empty()) *meanings += (meanings->empty() ? "" : "; ") + m->meaning;
  }
}

}  // namespace

DnsblListingLog::DnsblListingLog(Sink sink) : sink_(std::move(sink)) {}

void DnsblListingLog::Observe(const std::string& target, const std::string& zone,
                              const DnsblResult& result) {
  if (!result.ok()) return;
  auto key = std::make_pair(target, zone);
  auto it = listed_.find(key);
  if (result.verdict != DnsblVerdict::kListed) {
    if (it == listed_.end()) return;
    listed_.erase(it);
    sink_(LogLevel::kInfo, "No longer listed on a DNSBL", {{"target", target}, {"dnsbl", zone}});
    return;
  }
  std::string codes, meanings;
  ListingCodes(result, &codes, &meanings);
  if (it != listed_.end() && it->second == codes) return;
  listed_[key] = codes;
  sink_(LogLevel::kWarn, "Listed on a DNSBL",
        {{"target", target}, {"dnsbl", zone}, {"codes", codes}, {"meaning", meanings}});
}

void DnsblListingLog::Retain(const std::vector<std::string>& current) {
  if (listed_.empty()) return;
  std::set<std::string_view> listed_targets;
  for (const auto& kv : listed_) listed_targets.insert(kv.first.first);
  std::set<std::string_view> kept;
  for (const std::string& target : current) {
    if (listed_targets.count(target)) kept.insert(target);
  }
  std::erase_if(listed_, [&](const auto& kv) { return !kept.count(kv.first.first); });
}

}  // namespace mailrep
