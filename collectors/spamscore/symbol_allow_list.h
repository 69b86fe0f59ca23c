// SymbolAllowList: which spam-filter symbols get a label of their own.
//
// An entry is an exact name ("R_DKIM_ALLOW") or a prefix ending in '*'
// ("URIBL_*"). Label() gives the symbol's own name when an entry matches and
// fewer than kMaxLabels distinct names have been given so far, else "other":
// the label set stays bounded even when a prefix matches names the filter
// invents or a log line is forged. Not thread-safe (one collector owns it).
#ifndef MAILREP_COLLECTORS_SPAMSCORE_SYMBOL_ALLOW_LIST_H_
#define MAILREP_COLLECTORS_SPAMSCORE_SYMBOL_ALLOW_LIST_H_

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace mailrep {

class SymbolAllowList {
 public:
  static constexpr size_t kMaxLabels = 100;

  // The default list: authentication results (DKIM, SPF, DMARC) and domain
  // and IP blocklist hits, in rspamd's and SpamAssassin's names.
  static std::vector<std::string> DefaultEntries();

  explicit SymbolAllowList(std::vector<std::string> entries);

  // The label for `symbol`: itself (allow-listed, within the cap) or "other".
  std::string_view Label(std::string_view symbol);

  // Whether `entry` is a valid entry: a symbol name, or one followed by '*'.
  static bool ValidEntry(std::string_view entry);

 private:
  bool Matches(std::string_view symbol) const;

  std::set<std::string, std::less<>> exact_;
  std::vector<std::string> prefixes_;
  std::set<std::string, std::less<>> given_;  // labels handed out so far
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_SPAMSCORE_SYMBOL_ALLOW_LIST_H_
