#include "collectors/delivery/submitter_stats.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

#include "collectors/delivery/delivery_metrics.h"

namespace mailrep {

SubmitterStats::SubmitterStats(SubmitterOptions options, std::shared_ptr<const Clock> clock)
    : options_(std::move(options)) {
  const std::pair<std::string_view, WindowSpec> specs[] = {{"1h", kHourWindow},
                                                           {"24h", kDayWindow}};
  for (size_t w = 0; w < windows_.size(); ++w) {
    windows_[w].name = specs[w].first;
    for (auto& sketch : windows_[w].sketches) {
      sketch =
          std::make_unique<Windowed<SpaceSaving>>(specs[w].second, clock, SpaceSaving(kCapacity));
    }
  }
}

void SubmitterStats::Add(SubmitterKind kind, std::string_view name, const Outcome& outcome) {
  if (!outcome.message && !outcome.deferred && !outcome.bounced && !outcome.blocklist) return;
  key_.assign(SubmitterKindName(kind));  // as SubmitterKey
  key_ += ':';
  if (kind != SubmitterKind::kUnknown) key_ += name;
  auto it = pending_.find(key_);
  if (it == pending_.end()) {
    if (pending_.size() >= kMaxPending) Flush();
    it = pending_.emplace(key_, std::array<uint64_t, kCounts>{}).first;
  }
  it->second[kMessages] += outcome.message;
  it->second[kDeferred] += outcome.deferred;
  it->second[kBounced] += outcome.bounced;
  it->second[kBlocklist] += outcome.blocklist;
}

void SubmitterStats::Flush() {
  if (pending_.empty()) return;
  for (Window& w : windows_) {
    for (int c = 0; c < kCounts; ++c) {
      SpaceSaving& bucket = w.sketches[c]->Current();
      for (const auto& [key, counts] : pending_) bucket.Add(key, counts[c]);
    }
  }
  pending_.clear();
}

void SubmitterStats::WriteMetrics(MetricSet* out) const {
  static constexpr const MetricFamily* kFamilies[kCounts] = {
      &kSubmitterMessagesFamily, &kSubmitterDeferredFamily, &kSubmitterBouncedFamily,
      &kSubmitterBlocklistFamily};
  for (const MetricFamily* f : kFamilies) out->Declare(*f);
  for (const Window& w : windows_) {
    SpaceSaving merged[kCounts];
    for (int c = 0; c < kCounts; ++c) merged[c] = w.sketches[c]->Merged();
    std::vector<HeavyHitter> top = merged[kMessages].Top(static_cast<size_t>(options_.top));
    // (kind, label) -> values; labels may coincide (none, a hash collision).
    std::map<std::pair<std::string, std::string>, std::array<uint64_t, kCounts>> rows;
    std::array<uint64_t, kCounts> listed{};
    for (const HeavyHitter& h : top) {
      auto [kind, name] = SplitSubmitterKey(h.key);
      auto& row =
          rows[{std::string(SubmitterKindName(kind)), SubmitterLabel(options_.labels, kind, name)}];
      for (int c = 0; c < kCounts; ++c) {
        SpaceSaving::Estimate e = merged[c].Find(h.key);
        uint64_t v = e.monitored ? e.count : 0;
        row[c] += v;
        listed[c] += v;
      }
    }
    auto& other = rows[{"other", "other"}];
    for (int c = 0; c < kCounts; ++c) {
      other[c] = merged[c].total() > listed[c] ? merged[c].total() - listed[c] : 0;
    }
    for (const auto& [labels, values] : rows) {
      for (int c = 0; c < kCounts; ++c) {
        out->Add(*kFamilies[c], {w.name, labels.first, labels.second},
                 static_cast<double>(values[c]));
      }
    }
  }
}

void SubmitterStats::AdoptWindows(SubmitterStats& previous) {
  previous.Flush();
  std::swap(windows_, previous.windows_);
}

size_t SubmitterStats::MemoryBytes() const {
  size_t bytes = sizeof(*this);
  for (const Window& w : windows_) {
    for (const auto& s : w.sketches) bytes += s->MemoryBytes();
  }
  return bytes;
}

}  // namespace mailrep
