// SubmitterStats: who submits the outbound mail, over the last hour and the
// last day, from the delivery outcomes joined to their origin by the
// MessageTracer (collectors.delivery.submitters).
//
// A submitter key is a SubmitterKey (collectors/queue/queue_composition.h):
// the logged account (sasl) or local user (local), else the SMTP client's
// address (client), else unknown (nothing traced). Per window (kHourWindow,
// kDayWindow on the collector's Clock) it keeps five Windowed<SpaceSaving>
// sketches keyed by submitter: messages, deferred messages, bounced (and
// expired) messages, blocklist-citing rejections and recipients; and a
// Windowed<SubmitterDistincts> of the distinct SMTP client addresses and
// recipient domains of the busiest submitters of each bucket. The caller
// counts each message once per kind of outcome (MessageTracer::MarkOnce) and
// each recipient once per message (MessageTracer::Pending::FirstOutcome); an
// outcome whose message was not traced counts per line, as unknown.
//
// WriteMetrics exports, per window, the `top` submitters by messages (their
// counts in the other sketches, 0 when not monitored there) and the rest as
// submitter="other"; the submitter label follows `labels`
// (submitter_labels.h), and under `none` the values add up per kind (the
// distinct counts as the union of the rows' items). The counts are totals
// over the sliding window (they fall as buckets leave it), so they are
// gauges: never rate() them. The distinct counts are HyperLogLog estimates
// over the window (the buckets' registers merged: the same as one sketch over
// the span), rounded; a bucket in which the submitter was not among the
// SubmitterDistincts::kKeep busiest adds nothing (an underestimate). A
// client-kind submitter has 1 client address by definition; unknown and
// local submitters have as many as their messages' smtpd lines named (0 for
// pickup). The distinct families have no "other" row (distinct counts of
// different submitters do not add up).
//
// Memory: bounded by the sketches: 5 x (12 + 24) buckets of SpaceSaving with
// kCapacity counters each (about 40 KiB a full bucket for short keys) and 36
// SubmitterDistincts (180 KiB a bucket at worst): 14 MB in all at worst,
// MemoryBytes() says what is held.
// Not thread-safe (the delivery collector's run thread owns it); movable.
#ifndef MAILREP_COLLECTORS_DELIVERY_SUBMITTER_STATS_H_
#define MAILREP_COLLECTORS_DELIVERY_SUBMITTER_STATS_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/delivery/submitter_distincts.h"
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
  // `bounced`, `blocklist` (first of that kind for its message); recipients
  // is what it adds to the recipients (1 for a recipient's first outcome in
  // its message). A hash is Hash64 of the item, 0 for none: the message's
  // SMTP client address (give it with the message's first outcome) and the
  // recipient's domain in lower case (RecipientDomainHash).
  struct Outcome {
    bool message = false;
    bool deferred = false;
    bool bounced = false;
    bool blocklist = false;
    uint32_t recipients = 0;
    uint64_t client_ip_hash = 0;
    uint64_t recipient_domain_hash = 0;
  };
  // Kept in a small per-run table until Flush (or until it holds
  // kMaxPending submitters or kMaxPendingItems hashes), so the sketches see
  // each submitter once a run. `name_hash` is Hash64(name) (the tracer keeps
  // it per message, so a delivery line hashes no name).
  void Add(SubmitterKind kind, std::string_view name, uint64_t name_hash, const Outcome& outcome);
  void Add(SubmitterKind kind, std::string_view name, const Outcome& outcome);
  // Adds what Add kept to the windows' current buckets; call it at the end
  // of each run, before WriteMetrics.
  void Flush();
  static constexpr size_t kMaxPending = 16384;
  static constexpr size_t kMaxPendingItems = 65536;

  // Hash64 of the domain of `address` (after its last '@') in lower case
  // (cut to 255 bytes); 0 when it has none.
  static uint64_t RecipientDomainHash(std::string_view address);

  // The mailrep_submitter_* families (declared even when empty).
  void WriteMetrics(MetricSet* out) const;

  // On reload: takes over `previous`'s windows (the options may differ; they
  // apply when written).
  void AdoptWindows(SubmitterStats& previous);

  size_t MemoryBytes() const;

 private:
  enum Count { kMessages, kDeferred, kBounced, kBlocklist, kRecipients, kCounts };
  struct Window {
    std::string_view name;  // "1h", "24h"
    std::array<std::unique_ptr<Windowed<SpaceSaving>>, kCounts> sketches;
    std::unique_ptr<Windowed<SubmitterDistincts>> distincts;
  };
  // A submitter's outcomes in this run. Entries and their strings are reused
  // from run to run.
  struct Pending {
    uint64_t hash = 0;  // of kind and name_hash
    SubmitterKind kind = SubmitterKind::kUnknown;
    std::array<uint32_t, kCounts> counts{};
    uint64_t last_client_ip = 0;  // the last item added of each kind
    uint64_t last_domain = 0;
    std::string name;
  };
  // A distinct item of a pending submitter (repeats allowed).
  struct Item {
    uint32_t pending;
    bool domain;  // else a client address
    uint64_t hash;
  };

  SubmitterOptions options_;
  std::array<Window, 2> windows_;
  std::string key_;               // reused by Flush
  std::vector<Pending> pending_;  // [0, pending_size_) in use
  size_t pending_size_ = 0;
  std::vector<Item> items_;
  std::vector<uint64_t> distinct_keys_;  // per pending submitter; reused by Flush
  std::vector<uint32_t> pending_index_;  // entry + 1, 0 = free; power of two, at most half full
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_SUBMITTER_STATS_H_
