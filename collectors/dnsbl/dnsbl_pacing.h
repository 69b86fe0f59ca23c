// Pacing a list's sweeps to its daily query budget (README "Query budgets").
//
// A sweep of a list sends at most `per_sweep` queries (its targets plus its
// test points; cache hits make it fewer). At the collector's interval that is
// per_sweep x 86400 / interval queries a day, the projected use. When what is
// left of today's budget cannot pay for a sweep every interval until midnight
// UTC, the list's interval stretches to per_sweep x (seconds left today) /
// (budget left today), so the rest of the budget is spread evenly over the
// rest of the day; a list is swept only when a whole sweep fits in what is
// left. The engine's hard guard (query_budget.h) is the backstop for what
// this cannot foresee (probes, re-sends).
//
// A pure function; thread-safe.
#ifndef MAILREP_COLLECTORS_DNSBL_DNSBL_PACING_H_
#define MAILREP_COLLECTORS_DNSBL_DNSBL_PACING_H_

#include <cstdint>
#include <optional>

namespace mailrep {

struct DnsblPacingInput {
  uint64_t per_sweep = 0;                  // queries one sweep of the list sends at most
  uint64_t budget = 0;                     // queries per UTC day (> 0)
  uint64_t spent = 0;                      // queries sent to the list so far today
  int64_t unix_now = 0;                    // wall time, seconds
  double interval = 0;                     // the collector's interval, seconds (> 0)
  std::optional<double> since_last_sweep;  // seconds; nullopt = never swept
};

struct DnsblPace {
  double projected = 0;           // queries/day a sweep every interval would send
  double effective_interval = 0;  // seconds between this list's sweeps now
  bool stretched = false;         // effective_interval > the collector's interval
  bool due = true;                // sweep the list in this run
};

DnsblPace PaceDnsblList(const DnsblPacingInput& in);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNSBL_DNSBL_PACING_H_
