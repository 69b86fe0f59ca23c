// Benchmark program (not a test): the heavy-hitters sketch against exact
// counting, on the shape of the exporter's submitter goal: 1,000,000 updates
// over 10,000 keys drawn from a Zipf distribution (s = 1.0 by default), top 20.
//
// The anchor is an exact std::unordered_map<std::string, uint64_t> counter fed
// the same keys in the same run. For each of
//   messages     SpaceSaving, weight 1 per update
//   recipients   SpaceSaving, weights 1..50 (most 1)
//   window 1h    Windowed<SpaceSaving> over kHourWindow, a FakeClock moving
//                the stream across one hour (12 buckets merged on read)
//   distinct     HyperLogLog (p = 12) of the keys, against an exact set
// it prints updates/s and the ratio to the anchor, the heap bytes each holds
// at the end (measured by malloc's own accounting, and the sketch's
// MemoryBytes()), and for the heavy hitters the top-k comparison: positions
// whose true count differs from the exact one at that rank, exact top-k keys
// missing, the largest relative count error and the largest error bound
// reported. Exit code 0 whatever the numbers (it is not a test).
//
// Each is timed --runs times (fastest kept: the machine may be shared).
//
// usage: sketch_benchmark [--updates N] [--keys N] [--zipf-percent S] [--top K]
//                         [--capacity M] [--seed N] [--runs N]
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "collectors/sketch/hyperloglog.h"
#include "collectors/sketch/sketch_streams.h"
#include "collectors/sketch/space_saving.h"
#include "collectors/sketch/windowed.h"
#include "exporter/core/fake_clock.h"
#include "tests/benchmark/benchmark_flags.h"

namespace mailrep {
namespace {

using Steady = std::chrono::steady_clock;

double Seconds(Steady::time_point start) {
  return std::chrono::duration<double>(Steady::now() - start).count();
}

// Bytes malloc has handed out and not had back.
size_t HeapInUse() { return mallinfo2().uordblks; }

// The anchor: exact counts, looked up by string_view without a copy.
struct ViewHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using ExactMap = std::unordered_map<std::string, uint64_t, ViewHash, std::equal_to<>>;

struct Run {
  double seconds = 0;
  size_t heap_bytes = 0;
  size_t own_bytes = 0;  // MemoryBytes(), when the structure reports it
};

// Makes a structure and feeds it the stream, `runs` times: the fastest time
// (the machine may be shared), the heap bytes of the last, which it returns.
template <typename T, typename Make, typename Feed>
std::unique_ptr<T> Measure(int runs, Make make, Feed feed, Run* run) {
  std::unique_ptr<T> last;
  for (int r = 0; r < runs; ++r) {
    last.reset();
    size_t before = HeapInUse();
    auto start = Steady::now();
    std::unique_ptr<T> built = make();
    feed(*built);
    double seconds = Seconds(start);
    run->seconds = r == 0 ? seconds : std::min(run->seconds, seconds);
    run->heap_bytes = HeapInUse() - before;
    last = std::move(built);
  }
  return last;
}

void PrintRate(const char* name, size_t updates, const Run& run, double anchor_seconds) {
  std::printf("%-30s %7.3f s %12.0f updates/s  x%-5.2f  heap %8.1f KiB", name, run.seconds,
              static_cast<double>(updates) / run.seconds, anchor_seconds / run.seconds,
              static_cast<double>(run.heap_bytes) / 1024);
  if (run.own_bytes > 0) {
    std::printf("  (MemoryBytes %.1f KiB)", static_cast<double>(run.own_bytes) / 1024);
  }
  std::printf("\n");
}

// The comparison with exact counts, and how many of the top k the sketch
// itself could vouch for (in the top k; at their rank).
void PrintComparison(const char* name, const std::vector<HeavyHitter>& top,
                     const TopComparison& c) {
  size_t in_top = 0, ranked = 0;
  for (const HeavyHitter& h : top) {
    in_top += h.in_top_guaranteed;
    ranked += h.rank_guaranteed;
  }
  std::printf(
      "  %-28s top %zu: %zu rank mismatches, %zu missing, max count error %.4f %%, "
      "max error bound %llu; guaranteed in top %zu, at rank %zu\n",
      name, c.k, c.rank_mismatches, c.set_misses, 100 * c.max_count_error,
      static_cast<unsigned long long>(c.max_error_bound), in_top, ranked);
}

int Main(int argc, char** argv) {
  int updates = 1000000, keys = 10000, zipf_percent = 100, top = 20, seed = 1, runs = 3;
  int capacity = static_cast<int>(SpaceSaving::kDefaultCapacity);
  BenchmarkFlags flags("sketch_benchmark",
                       "heavy hitters and distinct counts on a Zipf stream, against exact "
                       "counting");
  flags.Int("--updates", &updates, "updates in the stream")
      .Int("--keys", &keys, "distinct keys drawn from", 1, 10000000)
      .Int("--zipf-percent", &zipf_percent, "Zipf exponent s, in hundredths", 1, 400)
      .Int("--top", &top, "the k of top-k", 1, 100000)
      .Int("--capacity", &capacity, "SpaceSaving counters", 1,
           static_cast<int>(SpaceSaving::kMaxCapacity))
      .Int("--seed", &seed, "stream seed", 0)
      .Int("--runs", &runs, "timed runs of each; the fastest counts", 1, 100);
  if (std::optional<int> code = flags.Parse(argc, argv)) return *code;

  const double s = zipf_percent / 100.0;
  const size_t n = static_cast<size_t>(updates);
  const size_t k = static_cast<size_t>(top);
  std::vector<std::string> names;
  names.reserve(static_cast<size_t>(keys));
  for (int i = 0; i < keys; ++i) names.push_back(SubmitterName(static_cast<size_t>(i)));
  std::vector<uint32_t> stream =
      ZipfStream(static_cast<size_t>(keys), s, n, static_cast<uint64_t>(seed));
  // Recipients per message: mostly 1, a tail up to 50.
  std::vector<uint32_t> weights(n);
  std::mt19937_64 rng(static_cast<uint64_t>(seed) + 1);
  for (uint32_t& w : weights) {
    uint64_t r = rng() % 100;
    w = r < 80   ? 1
        : r < 95 ? 1 + static_cast<uint32_t>(rng() % 5)
                 : 1 + static_cast<uint32_t>(rng() % 50);
  }
  std::printf("%zu updates over %d keys, Zipf s = %.2f, top %zu, SpaceSaving capacity %d\n\n", n,
              keys, s, k, capacity);

  // The anchor, messages and recipients.
  Run exact_run;
  auto exact = Measure<ExactMap>(
      runs, [] { return std::make_unique<ExactMap>(); },
      [&](ExactMap& map) {
        for (uint32_t i : stream) {
          const std::string& key = names[i];
          auto it = map.find(std::string_view(key));
          if (it == map.end()) {
            map.emplace(key, 1);
          } else {
            ++it->second;
          }
        }
      },
      &exact_run);
  ExactCounter truth_messages, truth_recipients;
  for (const auto& [key, count] : *exact) truth_messages.Add(key, count);
  for (size_t j = 0; j < n; ++j) truth_recipients.Add(names[stream[j]], weights[j]);
  PrintRate("exact unordered_map (anchor)", n, exact_run, exact_run.seconds);
  exact.reset();

  auto make_sketch = [&] { return std::make_unique<SpaceSaving>(static_cast<size_t>(capacity)); };
  Run messages_run;
  auto messages = Measure<SpaceSaving>(
      runs, make_sketch,
      [&](SpaceSaving& sketch) {
        for (uint32_t i : stream) sketch.Add(names[i]);
      },
      &messages_run);
  messages_run.own_bytes = messages->MemoryBytes();
  PrintRate("SpaceSaving, messages", n, messages_run, exact_run.seconds);
  std::vector<HeavyHitter> top_messages = messages->Top(k);
  TopComparison messages_top = CompareTop(top_messages, truth_messages, k);
  PrintComparison("messages", top_messages, messages_top);

  Run recipients_run;
  auto recipients = Measure<SpaceSaving>(
      runs, make_sketch,
      [&](SpaceSaving& sketch) {
        for (size_t j = 0; j < n; ++j) sketch.Add(names[stream[j]], weights[j]);
      },
      &recipients_run);
  recipients_run.own_bytes = recipients->MemoryBytes();
  PrintRate("SpaceSaving, recipients", n, recipients_run, exact_run.seconds);
  std::vector<HeavyHitter> top_recipients = recipients->Top(k);
  PrintComparison("recipients", top_recipients, CompareTop(top_recipients, truth_recipients, k));

  // One hour of messages in 12 buckets of 5 minutes, merged on read. The fake
  // steady clock starts on a bucket boundary, so every update is in the window.
  std::shared_ptr<FakeClock> clock;
  const auto step =
      std::chrono::duration_cast<Steady::duration>(std::chrono::hours(1)) / static_cast<int64_t>(n);
  Run window_run;
  auto window = Measure<Windowed<SpaceSaving>>(
      runs,
      [&] {
        clock = std::make_shared<FakeClock>();
        return std::make_unique<Windowed<SpaceSaving>>(kHourWindow, clock, *make_sketch());
      },
      [&](Windowed<SpaceSaving>& w) {
        for (size_t j = 0; j < n; ++j) {
          w.Current().Add(names[stream[j]]);
          if (j + 1 < n) clock->Advance(step);  // the read below is at the last update's time
        }
      },
      &window_run);
  window_run.own_bytes = window->MemoryBytes();
  auto start = Steady::now();
  SpaceSaving merged = window->Merged();
  double merge_seconds = Seconds(start);
  PrintRate("Windowed<SpaceSaving> 1h (*)", n, window_run, exact_run.seconds);
  std::printf("  %-28s merge on read %.2f ms (%d buckets), covers %.0f s\n", "window 1h",
              merge_seconds * 1000, kHourWindow.buckets,
              std::chrono::duration<double>(window->Coverage()).count());
  std::vector<HeavyHitter> top_window = merged.Top(k);
  PrintComparison("window 1h", top_window, CompareTop(top_window, truth_messages, k));

  // Distinct keys: HyperLogLog against an exact set.
  using ViewSet = std::unordered_set<std::string_view>;
  Run set_run;
  auto seen = Measure<ViewSet>(
      runs, [] { return std::make_unique<ViewSet>(); },
      [&](ViewSet& set) {
        for (uint32_t i : stream) set.insert(names[i]);
      },
      &set_run);
  Run hll_run;
  auto hll = Measure<HyperLogLog>(
      runs, [] { return std::make_unique<HyperLogLog>(); },
      [&](HyperLogLog& h) {
        for (uint32_t i : stream) h.Add(names[i]);
      },
      &hll_run);
  hll_run.own_bytes = hll->MemoryBytes();
  std::printf("\n");
  PrintRate("exact unordered_set (anchor)", n, set_run, set_run.seconds);
  PrintRate("HyperLogLog p=12", n, hll_run, set_run.seconds);
  double estimate = hll->Estimate();
  double distinct = static_cast<double>(seen->size());
  std::printf("  %-28s %zu distinct, estimate %.0f, error %+.2f %% (standard error %.2f %%)\n",
              "distinct keys", seen->size(), estimate, 100 * (estimate - distinct) / distinct,
              100 * hll->RelativeStandardError());

  std::printf("(*) includes reading and advancing the FakeClock at every update\n");
  std::printf(
      "\ngoal (messages): top %zu exact in rank (%s), counts within 1 %% (%s), extra memory "
      "<= 16 MB (%.2f MB for one sketch, %.2f MB for the 1h window)\n",
      k, messages_top.rank_mismatches == 0 && messages_top.set_misses == 0 ? "met" : "missed",
      messages_top.max_count_error <= 0.01 ? "met" : "missed",
      static_cast<double>(messages_run.heap_bytes) / 1e6,
      static_cast<double>(window_run.heap_bytes) / 1e6);
  return 0;
}

}  // namespace
}  // namespace mailrep

int main(int argc, char** argv) { return mailrep::Main(argc, argv); }
