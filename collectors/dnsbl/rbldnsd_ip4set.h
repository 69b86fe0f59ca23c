// The in-memory forms of rbldnsd's ip4set and ip4tset datasets, answering
// exactly as rbldnsd 1.0 does.
//
// ip4set: every entry (a range) is cut into the largest octet-aligned blocks
// it covers, stored at four levels: single addresses, /24s, /16s and /8s,
// each a sorted array of 8-byte (key, value id) pairs. A lookup takes the
// most specific level that holds the address; there, an exclusion wins over
// listings, and several listings all answer. So "!1.2.3.0/24" does not hide
// a listed 1.2.3.4, while "!1.2.3.4" hides it from a listed 1.2.3.0/24.
//
// ip4tset: single addresses sharing one value: a sorted array of 4-byte keys.
//
// Not thread-safe while building; after Finish(), lookups are const and safe
// from any thread.
#ifndef MAILREP_COLLECTORS_DNSBL_RBLDNSD_IP4SET_H_
#define MAILREP_COLLECTORS_DNSBL_RBLDNSD_IP4SET_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace mailrep {

class RbldnsdIp4Set {
 public:
  // Adds the inclusive range [first, last] with `value` (a value id or
  // RbldnsdValueTable::kExcluded).
  void Add(uint32_t first, uint32_t last, uint32_t value);
  // Sorts and drops duplicates; call once, after the last Add().
  void Finish();
  // Appends to `values` the ids answering for `address` (none: not listed).
  void Find(uint32_t address, std::vector<uint32_t>* values) const;

  size_t stored() const;  // (key, value) pairs after expansion
  size_t MemoryBytes() const;

 private:
  struct Entry {
    uint32_t key;  // the address shifted right by 8 * level
    uint32_t value;
  };
  void AddBlocks(int level, uint32_t key, uint32_t count, uint32_t value);

  std::array<std::vector<Entry>, 4> levels_;  // 0: addresses, 1: /24s, 2: /16s, 3: /8s
};

class RbldnsdIp4TSet {
 public:
  void Add(uint32_t address) { addresses_.push_back(address); }
  void Finish();
  bool Contains(uint32_t address) const;

  size_t stored() const { return addresses_.size(); }
  size_t MemoryBytes() const { return addresses_.capacity() * sizeof(uint32_t); }

 private:
  std::vector<uint32_t> addresses_;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNSBL_RBLDNSD_IP4SET_H_
