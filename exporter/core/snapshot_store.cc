#include "exporter/core/snapshot_store.h"

#include <prometheus/text_serializer.h>

#include <algorithm>
#include <sstream>
#include <unordered_map>

#include "exporter/core/exposition_repair.h"

namespace mailrep {

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
  RepairFamilies(&merged);  // the one validation point of every exported string
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, merged);
  return std::move(out).str();
}

SnapshotStore::SnapshotStore() : exposition_(std::make_shared<const std::string>()) {}

void SnapshotStore::Put(const std::string& collector, std::shared_ptr<const Snapshot> snapshot) {
  std::lock_guard lock(write_mu_);
  snapshots_[collector] = std::move(snapshot);
  RebuildLocked();
}

void SnapshotStore::RetainOnly(const std::vector<std::string>& keep) {
  std::lock_guard lock(write_mu_);
  std::erase_if(snapshots_, [&](const auto& entry) {
    return std::find(keep.begin(), keep.end(), entry.first) == keep.end();
  });
  RebuildLocked();
}

void SnapshotStore::RebuildLocked() {
  std::vector<const Snapshot*> all;
  all.reserve(snapshots_.size());
  for (const auto& [name, snapshot] : snapshots_) all.push_back(snapshot.get());
  auto exposition = std::make_shared<const std::string>(SerializeMerged(all));
  std::lock_guard lock(exposition_mu_);
  exposition_ = std::move(exposition);
}

std::shared_ptr<const std::string> SnapshotStore::Exposition() const {
  std::lock_guard lock(exposition_mu_);
  return exposition_;
}

std::shared_ptr<const Snapshot> SnapshotStore::Get(const std::string& collector) const {
  std::lock_guard lock(write_mu_);
  auto it = snapshots_.find(collector);
  return it == snapshots_.end() ? nullptr : it->second;
}

}  // namespace mailrep
