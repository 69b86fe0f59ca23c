#include "exporter/core/snapshot_store.h"

#include <prometheus/text_serializer.h>

#include <algorithm>
#include <sstream>
#include <string_view>
#include <unordered_map>

#include "exporter/core/exposition_repair.h"

namespace mailrep {
namespace {

// The text of `families`, each checked first. RepairFamilies and the
// serializer treat every family on its own, so the text of a list is the
// concatenation of the texts of its pieces.
std::string Serialize(std::vector<prometheus::MetricFamily> families) {
  RepairFamilies(&families);  // the one validation point of every exported string
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, families);
  return std::move(out).str();
}

}  // namespace

std::string SerializeMerged(const std::vector<const Snapshot*>& snapshots) {
  std::vector<prometheus::MetricFamily> merged;
  std::unordered_map<std::string, size_t> index;
  for (const Snapshot* snapshot : snapshots) {
    for (const prometheus::MetricFamily& family : *snapshot) {
      auto [it, inserted] = index.try_emplace(family.name, merged.size());
      if (inserted) {
        merged.push_back(family);
      } else {
        auto& into = merged[it->second].metric;
        into.insert(into.end(), family.metric.begin(), family.metric.end());
      }
    }
  }
  return Serialize(std::move(merged));
}

SnapshotStore::SnapshotStore()
    : exposition_(
          std::make_shared<const PrecompressedText>(PrecompressedText{"", DeflatedPart{}})) {}

void SnapshotStore::Put(const std::string& collector, std::shared_ptr<const Snapshot> snapshot) {
  std::lock_guard lock(write_mu_);
  snapshots_[collector] = Entry{std::move(snapshot), {}};
  RebuildLocked();
}

void SnapshotStore::RetainOnly(const std::vector<std::string>& keep) {
  std::lock_guard lock(write_mu_);
  std::erase_if(snapshots_, [&](const auto& entry) {
    return std::find(keep.begin(), keep.end(), entry.first) == keep.end();
  });
  RebuildLocked();
}

// Produces exactly SerializeMerged's text over the snapshots in name order,
// as a sequence of segments (see the header) deflated one by one.
void SnapshotStore::RebuildLocked() {
  std::unordered_map<std::string_view, int> count;  // families of each name
  for (const auto& [name, entry] : snapshots_) {
    for (const prometheus::MetricFamily& family : *entry.snapshot) ++count[family.name];
  }
  // A run of one entry's families [begin, end), or (entry null) one merged family.
  struct Segment {
    Entry* entry = nullptr;
    size_t begin = 0;
    size_t end = 0;
    std::vector<prometheus::MetricFamily> merged;
  };
  std::vector<Segment> segments;
  std::unordered_map<std::string_view, size_t> merged_at;  // name -> its segment
  for (auto& [name, entry] : snapshots_) {
    const Snapshot& snapshot = *entry.snapshot;
    for (size_t i = 0; i < snapshot.size(); ++i) {
      const prometheus::MetricFamily& family = snapshot[i];
      if (count[family.name] == 1) {
        if (segments.empty() || segments.back().entry != &entry || segments.back().end != i) {
          segments.push_back({&entry, i, i + 1, {}});
        } else {
          segments.back().end = i + 1;
        }
        continue;
      }
      auto [it, inserted] = merged_at.try_emplace(family.name, segments.size());
      if (inserted) {
        segments.push_back({nullptr, 0, 0, {family}});
      } else {
        auto& into = segments[it->second].merged.front().metric;
        into.insert(into.end(), family.metric.begin(), family.metric.end());
      }
    }
  }

  auto exposition = std::make_shared<PrecompressedText>();
  DeflatedPart deflated;
  bool deflate_ok = true;
  std::unordered_map<const Entry*, std::vector<CachedRun>> runs;  // the cache after this rebuild
  for (Segment& segment : segments) {
    std::string text;
    if (segment.entry == nullptr) {
      text = Serialize(std::move(segment.merged));
    } else {
      const Snapshot& snapshot = *segment.entry->snapshot;
      text = Serialize(Snapshot(snapshot.begin() + static_cast<std::ptrdiff_t>(segment.begin),
                                snapshot.begin() + static_cast<std::ptrdiff_t>(segment.end)));
    }
    exposition->text += text;
    if (!deflate_ok) continue;
    if (segment.entry != nullptr) {
      std::vector<CachedRun>& old = segment.entry->runs;
      auto hit = std::find_if(old.begin(), old.end(), [&](const CachedRun& run) {
        return run.begin == segment.begin && run.end == segment.end;
      });
      if (hit != old.end()) {
        AppendPart(&deflated, hit->deflated);
        runs[segment.entry].push_back(std::move(*hit));
        continue;
      }
    }
    StatusOr<DeflatedPart> part = DeflatePart(text);
    bytes_deflated_ += text.size();
    if (!part.ok()) {
      deflate_ok = false;  // gzip scrapes then compress the whole text
      continue;
    }
    AppendPart(&deflated, *part);
    if (segment.entry != nullptr) {
      runs[segment.entry].push_back({segment.begin, segment.end, std::move(part).value()});
    }
  }
  if (deflate_ok) exposition->deflated = std::move(deflated);
  for (auto& [name, entry] : snapshots_) {
    auto it = runs.find(&entry);
    entry.runs = it == runs.end() ? std::vector<CachedRun>() : std::move(it->second);
  }
  std::lock_guard lock(exposition_mu_);
  exposition_ = std::move(exposition);
}

std::shared_ptr<const std::string> SnapshotStore::Exposition() const {
  std::shared_ptr<const PrecompressedText> exposition = CompressedExposition();
  return {exposition, &exposition->text};
}

std::shared_ptr<const PrecompressedText> SnapshotStore::CompressedExposition() const {
  std::lock_guard lock(exposition_mu_);
  return exposition_;
}

uint64_t SnapshotStore::BytesDeflated() const {
  std::lock_guard lock(write_mu_);
  return bytes_deflated_;
}

std::shared_ptr<const Snapshot> SnapshotStore::Get(const std::string& collector) const {
  std::lock_guard lock(write_mu_);
  auto it = snapshots_.find(collector);
  return it == snapshots_.end() ? nullptr : it->second.snapshot;
}

}  // namespace mailrep
