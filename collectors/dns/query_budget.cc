#include "collectors/dns/query_budget.h"

namespace mailrep {

namespace {
constexpr int64_t kSecondsPerDay = 86400;

int64_t DayOf(int64_t unix_seconds) {
  int64_t day = unix_seconds / kSecondsPerDay;
  return unix_seconds < 0 && unix_seconds % kSecondsPerDay != 0 ? day - 1 : day;
}
}  // namespace

QueryBudget::QueryBudget(std::shared_ptr<const Clock> clock) : clock_(std::move(clock)) {}

int64_t QueryBudget::Today() const { return DayOf(clock_->UnixSeconds()); }

void QueryBudget::SetBudget(const std::string& key, uint64_t queries_per_day) {
  std::lock_guard lock(mu_);
  if (queries_per_day == 0) {
    entries_.erase(key);
    return;
  }
  Entry& entry = entries_[key];
  entry.budget = queries_per_day;
}

bool QueryBudget::TrySpend(std::string_view key) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return true;
  Entry& entry = it->second;
  int64_t today = Today();
  if (entry.day != today) {
    entry.day = today;
    entry.spent = 0;
  }
  if (entry.spent >= entry.budget) return false;
  ++entry.spent;
  return true;
}

std::optional<QueryBudget::Usage> QueryBudget::UsageOf(std::string_view key) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  Usage usage;
  usage.budget = it->second.budget;
  usage.spent = it->second.day == Today() ? it->second.spent : 0;
  return usage;
}

}  // namespace mailrep
