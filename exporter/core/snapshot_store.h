// SnapshotStore: the latest immutable result of every collector, and their
// merged text exposition, plain and deflated, ready for a scrape.
//
// Collectors' runs Put() a new snapshot (background threads); scrapes read
// Exposition(), which is rebuilt on Put, not on scrape, so a scrape copies a
// pointer and never serializes collector data or waits on a check. Families
// with the same name from different collectors (the queue collectors of
// several MTAs, say) are merged into one block, as the text format requires.
//
// The exposition also comes deflated (exporter/util/gzip_parts.h), so a gzip
// scrape joins cached bytes instead of compressing megabytes. The text is a
// sequence of family blocks in first-seen order (collectors by name, then
// each snapshot's order); it is cut into segments: runs of families that only
// one collector exports, and each merged family on its own. A run's deflated
// bytes are cached with that collector's snapshot and reused by later
// rebuilds until the collector puts a new snapshot (or the run's extent
// changes, when another collector starts or stops exporting a family of the
// same name); merged families are compressed at every rebuild. The text
// itself is serialized at every rebuild, as before.
// Thread-safe.
#ifndef MAILREP_EXPORTER_CORE_SNAPSHOT_STORE_H_
#define MAILREP_EXPORTER_CORE_SNAPSHOT_STORE_H_

#include <prometheus/metric_family.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "exporter/util/gzip_parts.h"

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
  // The same text with its deflated form (absent only if zlib failed);
  // never null. Cheap: a pointer copy.
  std::shared_ptr<const PrecompressedText> CompressedExposition() const;
  std::shared_ptr<const Snapshot> Get(const std::string& collector) const;
  // Bytes of text compressed by all rebuilds so far (what the cache did not
  // save; for tests and benchmarks).
  uint64_t BytesDeflated() const;

 private:
  // The deflated bytes of families [begin, end) of one snapshot.
  struct CachedRun {
    size_t begin = 0;
    size_t end = 0;
    DeflatedPart deflated;
  };
  struct Entry {
    std::shared_ptr<const Snapshot> snapshot;
    // Runs of `snapshot` deflated by the last rebuild.
    std::vector<CachedRun> runs;
  };

  void RebuildLocked();

  // Writers hold write_mu_ while they change snapshots_ and serialize, which
  // takes milliseconds for large sets; readers only take exposition_mu_ to
  // copy the pointer, so a scrape never waits for a serialization.
  mutable std::mutex write_mu_;  // guards snapshots_ and bytes_deflated_
  std::map<std::string, Entry> snapshots_;
  uint64_t bytes_deflated_ = 0;
  mutable std::mutex exposition_mu_;  // guards exposition_
  std::shared_ptr<const PrecompressedText> exposition_;
};

// Serializes families in text format 0.0.4, merging families of the same name
// (the first one's HELP and TYPE win). Every string is checked on the way
// (RepairFamilies, exposition_repair.h): the text always parses.
std::string SerializeMerged(const std::vector<const Snapshot*>& snapshots);

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CORE_SNAPSHOT_STORE_H_
