#include "collectors/dnsbl/dnsbl_pacing.h"

#include <algorithm>
#include <cmath>

namespace mailrep {

namespace {
constexpr int64_t kSecondsPerDay = 86400;
}  // namespace

DnsblPace PaceDnsblList(const DnsblPacingInput& in) {
  DnsblPace pace;
  double interval = std::max(in.interval, 1.0);
  pace.effective_interval = interval;
  pace.projected = static_cast<double>(in.per_sweep) * kSecondsPerDay / interval;
  if (in.per_sweep == 0 || in.budget == 0) return pace;

  int64_t into_day = in.unix_now % kSecondsPerDay;
  if (into_day < 0) into_day += kSecondsPerDay;
  double left = static_cast<double>(kSecondsPerDay - into_day);
  uint64_t remaining = in.budget > in.spent ? in.budget - in.spent : 0;
  double runs_left = std::ceil(left / interval);
  if (static_cast<double>(in.per_sweep) * runs_left <= static_cast<double>(remaining)) {
    return pace;  // the configured pace fits in what is left of today
  }
  pace.stretched = true;
  pace.effective_interval =
      remaining >= in.per_sweep
          ? std::max(interval, static_cast<double>(in.per_sweep) * left / remaining)
          : std::max(interval, left);  // nothing more today: the next sweep is tomorrow
  pace.due = remaining >= in.per_sweep &&
             (!in.since_last_sweep || *in.since_last_sweep >= pace.effective_interval);
  return pace;
}

}  // namespace mailrep
