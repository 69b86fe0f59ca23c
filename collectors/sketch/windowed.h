// Windowed<Sketch>: a sketch over the last hour or day, as a ring of
// sub-window buckets merged on read.
//
// Time is cut into buckets of `spec.bucket` on the steady clock of the Clock
// given (a FakeClock in tests); the ring keeps the `spec.buckets` most recent.
// Current() is the bucket of now: the ring first empties the slots of buckets
// that have left the window. Merged() merges the buckets still in the window
// into one sketch. So a read at time t covers the current, partial bucket and
// the buckets - 1 before it: between (buckets - 1) x bucket and
// buckets x bucket of history (55 to 60 minutes for kHourWindow, 23 to 24 h
// for kDayWindow), or less while the ring is younger than that (Coverage()
// says how much). A count read from it is a total over that sliding span,
// which is not a counter: it falls when old buckets leave, so rate() and
// increase() do not apply to it.
//
// Error: what `Sketch::Merge` states. For SpaceSaving each key's error is the
// sum of its errors in the buckets (and absent_bound() of the buckets that do
// not monitor it), at most the window's total / capacity; a key seen in every
// bucket from early on keeps an error near 0. For HyperLogLog the merged
// registers equal those of one sketch over the whole span.
//
// Memory: `spec.buckets` sketches, each bounded by its own type (an idle
// bucket is emptied when it leaves the window, and emptying releases memory).
// At SpaceSaving's default capacity and ~30-byte keys a full bucket holds
// ~130 KiB: 1.6 MB for kHourWindow, 3.1 MB for kDayWindow (sketch_benchmark
// measures the first).
// Cost: Current() is O(1) except when a bucket boundary has passed
// (O(buckets)); Merged() is `spec.buckets` merges.
//
// `Sketch` needs a copy constructor, Merge(const Sketch&) and Clear(); a
// MergeAll(std::span<const Sketch* const>) is used instead of Merge when it
// has one. The
// prototype passed to the constructor is an empty sketch with the options
// every bucket takes (capacity, precision).
//
// Not thread-safe: callers serialize access.
#ifndef MAILREP_COLLECTORS_SKETCH_WINDOWED_H_
#define MAILREP_COLLECTORS_SKETCH_WINDOWED_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "exporter/core/clock.h"

namespace mailrep {

struct WindowSpec {
  std::chrono::seconds bucket;
  int buckets;

  std::chrono::seconds window() const { return bucket * buckets; }
};

// The exporter's two windows.
inline constexpr WindowSpec kHourWindow{std::chrono::minutes(5), 12};
inline constexpr WindowSpec kDayWindow{std::chrono::hours(1), 24};

template <typename Sketch>
class Windowed {
 public:
  // spec.bucket > 0 and spec.buckets >= 1; `clock` must not be null.
  Windowed(WindowSpec spec, std::shared_ptr<const Clock> clock, Sketch prototype)
      : spec_(spec),
        clock_(std::move(clock)),
        prototype_(std::move(prototype)),
        ring_(static_cast<size_t>(spec.buckets), Bucket{kNoEpoch, prototype_}),
        start_(clock_->SteadyNow()) {}

  // The bucket of now, to add to.
  Sketch& Current() {
    int64_t now = EpochOf(clock_->SteadyNow());
    if (now != last_epoch_) {
      for (Bucket& b : ring_) {
        if (b.epoch != kNoEpoch && !Live(b.epoch, now)) {
          b.sketch.Clear();
          b.epoch = kNoEpoch;
        }
      }
      last_epoch_ = now;
    }
    Bucket& bucket = ring_[Slot(now)];
    bucket.epoch = now;
    return bucket.sketch;
  }

  // The buckets in the window merged into one (a copy of the prototype when
  // none holds anything).
  Sketch Merged() const {
    int64_t now = EpochOf(clock_->SteadyNow());
    std::vector<const Sketch*> live;
    for (const Bucket& b : ring_) {
      if (b.epoch != kNoEpoch && Live(b.epoch, now)) live.push_back(&b.sketch);
    }
    Sketch merged = prototype_;
    if constexpr (requires(Sketch & s, std::span<const Sketch* const> parts) {
                    s.MergeAll(parts);
                  }) {
      merged.MergeAll(live);
    } else {
      for (const Sketch* sketch : live) merged.Merge(*sketch);
    }
    return merged;
  }

  // Calls f(const Sketch&) for each bucket in the window (those Merged()
  // merges), for callers that read a few keys rather than merge everything.
  template <typename F>
  void ForEachLive(F&& f) const {
    int64_t now = EpochOf(clock_->SteadyNow());
    for (const Bucket& b : ring_) {
      if (b.epoch != kNoEpoch && Live(b.epoch, now)) f(b.sketch);
    }
  }

  // How much time a Merged() read now covers: from the start of the oldest
  // bucket in the window, or from construction when later, to now.
  std::chrono::steady_clock::duration Coverage() const {
    SteadyTime now = clock_->SteadyNow();
    int64_t oldest = EpochOf(now) - spec_.buckets + 1;
    SteadyTime from{std::chrono::steady_clock::duration(spec_.bucket) * oldest};
    return now - std::max(from, start_);
  }

  const WindowSpec& spec() const { return spec_; }

  // Heap bytes of every bucket plus the ring (for sketches with MemoryBytes()).
  size_t MemoryBytes() const {
    size_t bytes = sizeof(*this) + ring_.capacity() * sizeof(Bucket);
    for (const Bucket& b : ring_) bytes += b.sketch.MemoryBytes() - sizeof(Sketch);
    return bytes;
  }

 private:
  static constexpr int64_t kNoEpoch = INT64_MIN;
  struct Bucket {
    int64_t epoch;
    Sketch sketch;
  };

  int64_t EpochOf(SteadyTime t) const {
    auto width = std::chrono::duration_cast<std::chrono::steady_clock::duration>(spec_.bucket);
    auto since = t.time_since_epoch();
    int64_t epoch = since / width;
    if (since % width < std::chrono::steady_clock::duration::zero()) --epoch;  // floor
    return epoch;
  }
  bool Live(int64_t epoch, int64_t now) const {
    return epoch <= now && epoch > now - spec_.buckets;
  }
  size_t Slot(int64_t epoch) const {
    int64_t n = spec_.buckets;
    return static_cast<size_t>(((epoch % n) + n) % n);
  }

  WindowSpec spec_;
  std::shared_ptr<const Clock> clock_;
  Sketch prototype_;
  std::vector<Bucket> ring_;
  SteadyTime start_;
  int64_t last_epoch_ = kNoEpoch;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_SKETCH_WINDOWED_H_
