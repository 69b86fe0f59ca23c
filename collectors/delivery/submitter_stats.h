// SubmitterStats: who submits the outbound mail, over the last hour and the
// last day, from the delivery outcomes joined to their origin by the
// MessageTracer (collectors.delivery.submitters).
//
// A submitter key is a SubmitterKey (collectors/queue/queue_composition.h):
// the logged account (sasl) or local user (local), else the SMTP client's
// address (client), else unknown (nothing traced). Per window (kHourWindow,
// kDayWindow on the collector's Clock) it keeps four Windowed<SpaceSaving>
// sketches keyed by submitter: messages, deferred messages, bounced (and
// expired) messages and blocklist-citing rejections. The caller counts each
// message once per kind of outcome (MessageTracer::MarkOnce); an outcome
// whose message was not traced counts per line, as unknown.
//
// WriteMetrics exports, per window, the `top` submitters by messages (their
// counts in the other three sketches, 0 when not monitored there) and the
// rest as submitter="other"; the submitter label follows `labels`
// (submitter_labels.h), and under `none` the values add up per kind. The
// values are totals over the sliding window (they fall as buckets leave it),
// so they are gauges: never rate() them.
//
// Memory: bounded by the sketches: 4 x (12 + 24) buckets of SpaceSaving with
// kCapacity counters each, about 40 KiB a full bucket for short keys.
// Not thread-safe (the delivery collector's run thread owns it); movable.
#ifndef MAILREP_COLLECTORS_DELIVERY_SUBMITTER_STATS_H_
#define MAILREP_COLLECTORS_DELIVERY_SUBMITTER_STATS_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "collectors/queue/queue_composition.h"
#include "collectors/queue/submitter_labels.h"
#include "collectors/sketch/space_saving.h"
#include "collectors/sketch/windowed.h"
#include "exporter/core/clock.h"
#include "exporter/core/metric_set.h"

namespace mailrep {

struct SubmitterOptions {
  bool enabled = false;
  int top = 20;  // 1..100
  SubmitterLabeling labels;
};

class SubmitterStats {
 public:
  // Counters per bucket sketch: enough for the top 20 of 10,000 Zipf
  // submitters (space_saving.h), kept smaller than the default to bound the
  // 144 buckets.
  static constexpr size_t kCapacity = 512;

  SubmitterStats(SubmitterOptions options, std::shared_ptr<const Clock> clock);

  // One outcome of submitter (`kind`, `name`). Each flag says whether it adds
  // one to that count: `message` (its message's first outcome), `deferred`,
  // `bounced`, `blocklist` (first of that kind for its message).
  struct Outcome {
    bool message = false;
    bool deferred = false;
    bool bounced = false;
    bool blocklist = false;
  };
  // Kept in a small per-run table until Flush (or until it holds
  // kMaxPending submitters), so the sketches see each submitter once a run.
  void Add(SubmitterKind kind, std::string_view name, const Outcome& outcome);
  // Adds what Add kept to the windows' current buckets; call it at the end
  // of each run, before WriteMetrics.
  void Flush();
  static constexpr size_t kMaxPending = 4096;

  // The mailrep_submitter_* families (declared even when empty).
  void WriteMetrics(MetricSet* out) const;

  // On reload: takes over `previous`'s windows (the options may differ; they
  // apply when written).
  void AdoptWindows(SubmitterStats& previous);

  size_t MemoryBytes() const;

 private:
  enum Count { kMessages, kDeferred, kBounced, kBlocklist, kCounts };
  struct Window {
    std::string_view name;  // "1h", "24h"
    std::array<std::unique_ptr<Windowed<SpaceSaving>>, kCounts> sketches;
  };
  SubmitterOptions options_;
  std::array<Window, 2> windows_;
  std::string key_;  // reused by Add
  std::unordered_map<std::string, std::array<uint64_t, kCounts>> pending_;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_SUBMITTER_STATS_H_
