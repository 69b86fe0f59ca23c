// The in-memory form of rbldnsd's ip4trie dataset: CIDR prefixes with one
// value each, answered by longest-prefix match, exactly as rbldnsd 1.0 does.
// The longest matching prefix decides: if it is an exclusion the address is
// not listed, whatever shorter prefixes say. A prefix given twice keeps its
// first value (the later line is reported).
//
// Stored as one sorted array of 8-byte (network, value id) pairs per prefix
// length; a lookup binary-searches the lengths in use, longest first.
//
// Not thread-safe while building; after Finish(), lookups are const and safe
// from any thread.
#ifndef MAILREP_COLLECTORS_DNSBL_RBLDNSD_IP4TRIE_H_
#define MAILREP_COLLECTORS_DNSBL_RBLDNSD_IP4TRIE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace mailrep {

class RbldnsdIp4Trie {
 public:
  // `network` must have no host bits; `line` identifies the entry in
  // duplicate reports.
  void Add(uint32_t network, int bits, uint32_t value, uint64_t line);
  // Sorts; reports each duplicate prefix (the line that was dropped, the
  // prefix). Call once, after the last Add().
  void Finish(const std::function<void(uint64_t line, uint32_t network, int bits)>& duplicate);
  // The value id of the longest prefix holding `address`; nullopt when none
  // does or that prefix is an exclusion.
  std::optional<uint32_t> Find(uint32_t address) const;

  size_t stored() const;
  size_t MemoryBytes() const;

 private:
  struct Entry {
    uint32_t network;
    uint32_t value;
  };
  struct Pending {
    uint32_t network;
    uint32_t value;
    uint64_t line;
  };
  std::array<std::vector<Entry>, 33> by_length_;
  std::array<std::vector<Pending>, 33> pending_;
  std::vector<int> lengths_;  // lengths in use, longest first
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNSBL_RBLDNSD_IP4TRIE_H_
