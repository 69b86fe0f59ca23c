// ProviderMap: a receiving host or recipient domain -> a bounded provider
// label ("gmail", "outlook", ..., "other").
//
// Each provider owns domain suffixes matched on label boundaries
// ("google.com" matches "gmail-smtp-in.l.google.com", not "notgoogle.com").
// Built-in defaults cover the large mailbox providers; configuration may add
// providers or replace a provider's suffixes. Immutable after construction;
// safe from several threads.
#ifndef MAILREP_COLLECTORS_DELIVERY_PROVIDER_MAP_H_
#define MAILREP_COLLECTORS_DELIVERY_PROVIDER_MAP_H_

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mailrep {

class ProviderMap {
 public:
  // The built-in providers.
  ProviderMap();
  // Built-ins, then `overrides`: each entry replaces (or adds) that provider's suffixes.
  explicit ProviderMap(const std::map<std::string, std::vector<std::string>>& overrides);

  // The provider of the relay host (when it is a name), else of the recipient
  // domain; "other" when neither matches.
  std::string_view Lookup(std::string_view relay_host, std::string_view recipient_domain) const;
  // The provider of one name, or "other".
  std::string_view LookupName(std::string_view name) const;

  // Every label value Lookup can return, "other" last.
  std::vector<std::string> names() const;

 private:
  std::map<std::string, std::vector<std::string>> providers_;
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  // suffix -> provider; a name is looked up at each label boundary, longest first.
  std::unordered_map<std::string, std::string, Hash, std::equal_to<>> suffixes_;
  void Index();
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_PROVIDER_MAP_H_
