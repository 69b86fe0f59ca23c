// The in-memory form of rbldnsd's dnset dataset: domain names with values,
// answered exactly as rbldnsd 1.0 does.
//
//   example.com     the name itself only
//   *.example.com   names below it, not the name itself
//   .example.com    both
//
// An exact entry for the asked name decides first (an exclusion there means
// not listed); otherwise the closest wildcard above it decides. In a TXT
// template `$` stands for the entry's name (for a wildcard, the name after
// "*."), not the asked one.
//
// Names are kept in DNS wire form (ASCII lower-cased), each once, in one
// arena; entries are 8-byte (name offset, value id) pairs in two sorted
// arrays (exact names and wildcards). Not thread-safe while building; after
// Finish(), lookups are const and safe from any thread.
#ifndef MAILREP_COLLECTORS_DNSBL_RBLDNSD_DNSET_H_
#define MAILREP_COLLECTORS_DNSBL_RBLDNSD_DNSET_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailrep {

// A name in presentation form ("Example.COM.", `\DDD` and `\X` escapes; empty
// labels are skipped as rbldnsd does) to wire form, ASCII lower-cased. Fails
// for a label over 63 octets, a name over 255 or a `\DDD` over 255. The root
// is "\0".
std::optional<std::string> RbldnsdNameToWire(std::string_view text);
// Wire form back to presentation form, escaping as rbldnsd prints names.
std::string RbldnsdWireToName(std::string_view wire);

class RbldnsdDnset {
 public:
  // `wire` from RbldnsdNameToWire (not the root).
  void Add(std::string_view wire, bool exact, bool wildcard, uint32_t value);
  void Finish();
  // Appends to `values` the ids answering for `wire` and sets `matched` to
  // the deciding entry's wire name; nothing when not listed.
  void Find(std::string_view wire, std::vector<uint32_t>* values, std::string* matched) const;

  size_t stored() const { return exact_.size() + wildcard_.size(); }
  size_t MemoryBytes() const;

 private:
  struct Entry {
    uint32_t offset;  // into names_: a length byte, then the wire name
    uint32_t value;
  };
  std::string_view NameAt(uint32_t offset) const;
  void SortUnique(std::vector<Entry>* entries) const;
  // The first entry for `wire` in `entries`, or nullptr.
  const Entry* Lookup(const std::vector<Entry>& entries, std::string_view wire) const;

  std::string names_;
  std::vector<Entry> exact_;
  std::vector<Entry> wildcard_;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNSBL_RBLDNSD_DNSET_H_
