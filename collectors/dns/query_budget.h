// QueryBudget: one daily query budget per key (a DNSBL operator's budget
// group, or a lone zone), so the one DNS engine never sends an operator more
// queries a day than its free use allows (Spamhaus: 300,000 over all its
// public zones; dnswl, Mailspike: 100,000).
//
// The day is the UTC day of the clock's wall time (00:00 to 24:00 UTC):
// spent resets at midnight UTC. Operators count per day, and a fixed window
// needs one counter per key where a rolling 24 h one needs a history; the
// pacing of the dnsbl collector spreads use evenly over the day, so the
// boundary does not bunch queries.
//
// CaresResolver calls TrySpend() right before it sends a query of the key
// (after the cache and coalescing), so `spent` counts queries put on the
// wire, re-sends included. Keys without a budget are not counted.
//
// Thread-safe.
#ifndef MAILREP_COLLECTORS_DNS_QUERY_BUDGET_H_
#define MAILREP_COLLECTORS_DNS_QUERY_BUDGET_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "exporter/core/clock.h"

namespace mailrep {

class QueryBudget {
 public:
  explicit QueryBudget(std::shared_ptr<const Clock> clock = Clock::Real());
  QueryBudget(const QueryBudget&) = delete;
  QueryBudget& operator=(const QueryBudget&) = delete;

  // Gives `key` a budget of `queries_per_day`; 0 removes it (the key is then
  // unlimited and not counted). Keeps what the key spent today, so a reload
  // that sets the same budget does not grant a new day.
  void SetBudget(const std::string& key, uint64_t queries_per_day);

  // For a key with a budget: counts one query and returns true, or returns
  // false (counting nothing) when today's budget is spent. True for any other
  // key.
  bool TrySpend(std::string_view key);

  struct Usage {
    uint64_t budget = 0;  // queries per UTC day
    uint64_t spent = 0;   // queries sent so far this UTC day
  };
  // The key's budget and today's use, or nullopt when it has no budget.
  std::optional<Usage> UsageOf(std::string_view key) const;

 private:
  struct Entry {
    uint64_t budget = 0;
    uint64_t spent = 0;
    int64_t day = 0;  // UTC day number (unix seconds / 86400) `spent` belongs to
  };
  int64_t Today() const;

  const std::shared_ptr<const Clock> clock_;
  mutable std::mutex mu_;  // guards entries_
  std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNS_QUERY_BUDGET_H_
