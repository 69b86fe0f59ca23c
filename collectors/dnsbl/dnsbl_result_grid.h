// DnsblResultGrid: one DnsblResult per (target, list) cell, stored compactly
// for estate-sized sweeps (a /16 x 30 lists is two million cells).
//
// Each cell is 4 bytes: "no result" or the index of a distinct result. Equal
// results are stored once (a sweep's answers are nearly all the same few:
// clean, one listing code, one timeout), so memory is 4 bytes per cell plus
// the distinct results. A result's TTL is not kept (reads give 0): nothing
// downstream of a sweep uses it, and keeping it would make every answer
// distinct.
//
// Not thread-safe; a value type (copyable, movable).
#ifndef MAILREP_COLLECTORS_DNSBL_DNSBL_RESULT_GRID_H_
#define MAILREP_COLLECTORS_DNSBL_DNSBL_RESULT_GRID_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "collectors/dnsbl/dnsbl_answer.h"

namespace mailrep {

class DnsblResultGrid {
 public:
  DnsblResultGrid() = default;
  // `targets` x `lists` cells, all without a result.
  DnsblResultGrid(size_t targets, size_t lists);

  size_t targets() const { return lists_ == 0 ? 0 : cells_.size() / lists_; }
  size_t lists() const { return lists_; }

  // The cell's result; nullptr when it has none.
  const DnsblResult* Get(size_t target, size_t list) const {
    uint32_t i = cells_[target * lists_ + list];
    return i == kNone ? nullptr : &results_[i];
  }
  bool Has(size_t target, size_t list) const { return cells_[target * lists_ + list] != kNone; }
  void Set(size_t target, size_t list, const DnsblResult& result);
  // Copies `other`'s cell (a result or none) into this grid's cell.
  void CopyCell(size_t target, size_t list, const DnsblResultGrid& other, size_t other_target,
                size_t other_list);
  void Clear(size_t target, size_t list) { cells_[target * lists_ + list] = kNone; }

  // Drops the distinct results no cell refers to any more (after cells were
  // overwritten), so memory follows the live results.
  void Compact();

  size_t distinct_results() const { return results_.size(); }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  static std::string KeyOf(const DnsblResult& result);
  uint32_t Intern(const DnsblResult& result);

  size_t lists_ = 0;
  std::vector<uint32_t> cells_;  // target-major
  std::vector<DnsblResult> results_;
  std::unordered_map<std::string, uint32_t> index_;  // KeyOf(result) -> results_ index
  uint32_t last_ = kNone;                            // the latest interned result, a hint
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNSBL_DNSBL_RESULT_GRID_H_
