// SnapshotStore: the latest immutable result of every collector, and their
// merged text exposition, ready for a scrape.
//
// Collectors' runs Put() a new snapshot (background threads); scrapes read
// Exposition(), which is rebuilt on Put, not on scrape, so a scrape copies a
// pointer and never serializes collector data or waits on a check. Families
// with the same name from different collectors (the queue collectors of
// several MTAs, say) are merged into one block, as the text format requires.
// Thread-safe.
#ifndef MAILREP_EXPORTER_CORE_SNAPSHOT_STORE_H_
#define MAILREP_EXPORTER_CORE_SNAPSHOT_STORE_H_

#include <prometheus/metric_family.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace mailrep {

using Snapshot = std::vector<prometheus::MetricFamily>;

class SnapshotStore {
 public:
  SnapshotStore();

  // Replaces `collector`'s snapshot.
  void Put(const std::string& collector, std::shared_ptr<const Snapshot> snapshot);
  // Drops collectors not in `keep` (after a reload disabled them).
  void RetainOnly(const std::vector<std::string>& keep);

  // Text format 0.0.4 of every snapshot; never null. Cheap: a pointer copy.
  std::shared_ptr<const std::string> Exposition() const;
  std::shared_ptr<const Snapshot> Get(const std::string& collector) const;

 private:
  void RebuildLocked();

  // Writers hold write_mu_ while they change snapshots_ and serialize, which
  // takes milliseconds for large sets; readers only take exposition_mu_ to
  // copy the pointer, so a scrape never waits for a serialization.
  mutable std::mutex write_mu_;  // guards snapshots_
  std::map<std::string, std::shared_ptr<const Snapshot>> snapshots_;
  mutable std::mutex exposition_mu_;  // guards exposition_
  std::shared_ptr<const std::string> exposition_;
};

// Serializes families in text format 0.0.4, merging families of the same name
// (the first one's HELP and TYPE win). Every string is checked on the way
// (RepairFamilies, exposition_repair.h): the text always parses.
std::string SerializeMerged(const std::vector<const Snapshot*>& snapshots);

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CORE_SNAPSHOT_STORE_H_
