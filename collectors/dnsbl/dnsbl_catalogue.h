// The DNSBL catalogue: what each list's answers mean.
//
// Loaded from YAML (the built-in collectors/dnsbl/catalogue.yml, embedded at
// build time, plus an optional override file); see that file for the format.
// For each zone it says which A values are listings (and what they mean),
// which are the list's error/refusal codes, which lists are allowlists, which
// are defunct, and how to query it (kinds, key, test points, rate, daily
// query budget). Budgets belong to groups (budget_groups) that zones of one
// operator share, since operators count a resolver's queries over all their
// zones together.
//
// Value types; immutable after loading; safe to share between threads.
#ifndef MAILREP_COLLECTORS_DNSBL_DNSBL_CATALOGUE_H_
#define MAILREP_COLLECTORS_DNSBL_DNSBL_CATALOGUE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/util/status.h"

namespace mailrep {

enum class DnsblKind { kIp4, kIp6, kDomain };
// "ip4", "ip6", "domain".
std::string_view DnsblKindName(DnsblKind kind);

// What an A value means for the looked-up target.
enum class DnsblCodeClass {
  kListed,       // a blocklisting
  kAllowlisted,  // positive reputation (dnswl, Mailspike H1-H5, ...)
  kNeutral,      // informational: neither listed nor allowlisted
};
std::string_view DnsblCodeClassName(DnsblCodeClass c);

enum class DnsblSeverity { kMajor, kMinor };
std::string_view DnsblSeverityName(DnsblSeverity s);

// An inclusive range of IPv4 A values, host byte order.
struct DnsblCodeRange {
  uint32_t first = 0;
  uint32_t last = 0;
  std::string meaning;
  DnsblCodeClass code_class = DnsblCodeClass::kListed;

  bool Contains(uint32_t value) const { return first <= value && value <= last; }
};

// One bit of the last octet of 127.0.0.X in a bitmask list (SURBL, URIBL).
struct DnsblBit {
  uint8_t bit = 0;
  std::string meaning;
};

struct DnsblList {
  std::string zone;  // lower case, no trailing dot
  std::string name;
  bool ip4 = false;
  bool ip6 = false;
  bool domain = false;
  DnsblSeverity severity = DnsblSeverity::kMinor;
  bool default_enabled = false;
  // Name of the key (collectors.dnsbl.keys.<key>) put before the zone; "" = none.
  std::string key;
  double queries_per_second = 0;  // 0 = no cap of its own
  // The operator's free-use volume the list's queries count against, in
  // queries per UTC day; 0 = none known (keyed lists are billed or capped
  // per key, not per resolver).
  //
  // In a catalogue: `budget_group` names an entry of budget_groups (the
  // operator's one budget, shared by its zones) and daily_query_budget is
  // 0; or budget_group is "" and daily_query_budget is the list's own.
  // In DnsblSettings (after ResolveDnsblBudgets): budget_group is the key
  // the budget is counted under (the group's name, or the zone for a list
  // budgeted alone; "" without a budget) and daily_query_budget is that
  // key's budget, the same for every list of the group.
  std::string budget_group;
  uint64_t daily_query_budget = 0;
  std::string delist_url;
  std::vector<DnsblCodeRange> codes;
  std::vector<DnsblBit> bits;
  std::vector<DnsblCodeRange> errors;  // code_class unused
  // RFC 5782 test points (IP text or domain); "" = that point is not checked.
  std::string test_listed;
  std::string test_clean;
  // Non-empty: the list is dead and may not be configured; says why.
  std::string defunct;

  bool Supports(DnsblKind kind) const;
  bool has_listing_codes() const;       // any kListed code or any bit
  bool has_allowlisting_codes() const;  // any kAllowlisted code
  // The kind whose test points judge the list's health: ip4, else ip6, else domain.
  DnsblKind health_kind() const;
};

class DnsblCatalogue {
 public:
  // Parses a catalogue document. Errors name `source`, line and key path, all
  // at once. Never throws, never crashes on bad input.
  static StatusOr<DnsblCatalogue> Parse(std::string_view yaml_text, std::string_view source);
  // Reads and parses a file.
  static StatusOr<DnsblCatalogue> LoadFile(const std::string& path);
  // The embedded catalogue.yml (parsed once; it is checked by the tests).
  static const DnsblCatalogue& BuiltIn();

  // Adds `other`'s lists and budget groups; a list with the same zone (a
  // group with the same name) replaces this one's.
  void Merge(const DnsblCatalogue& other);

  // The list for exactly `zone` (case-insensitive, trailing dot ignored), or null.
  const DnsblList* Find(std::string_view zone) const;
  // The defunct entry covering `zone` (the zone itself or a parent), or null.
  const DnsblList* FindDefunct(std::string_view zone) const;
  // Zones of the usable (not defunct) lists with default: true, in file order.
  std::vector<std::string> DefaultZones() const;

  const std::vector<DnsblList>& lists() const { return lists_; }

  // budget_groups: an operator's free use shared by its zones, queries per
  // UTC day, by group name (letters, digits, '-', '_'; no dots, so a group
  // never reads as a zone).
  const std::map<std::string, uint64_t, std::less<>>& budget_groups() const {
    return budget_groups_;
  }

 private:
  std::vector<DnsblList> lists_;
  std::map<std::string, uint64_t, std::less<>> budget_groups_;
};

// The raw text of the embedded catalogue.yml.
std::string_view BuiltInCatalogueText();

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNSBL_DNSBL_CATALOGUE_H_
