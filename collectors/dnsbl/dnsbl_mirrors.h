// The local mirrors of one DNSBL config (collectors.dnsbl.mirrors): one
// RbldnsdMirror per mirrored zone, and what a sweep answers those zones from.
//
// A mirrored list is answered in-process from its data file (see
// dnsbl_local_answer.h) and never queried over DNS. Its data is unusable —
// the list is then unhealthy, and its listings are not reported — before the
// file has loaded once, and after the $TIMESTAMP expiry of the data in use.
//
// Thread-safety: Refresh() and Adopt() from the collector's run only (one at
// a time); Snapshot() and mirrors() from any thread, also during Refresh().
#ifndef MAILREP_COLLECTORS_DNSBL_DNSBL_MIRRORS_H_
#define MAILREP_COLLECTORS_DNSBL_DNSBL_MIRRORS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "collectors/dnsbl/dnsbl_config.h"
#include "collectors/dnsbl/rbldnsd_mirror.h"
#include "collectors/dnsbl/rbldnsd_zone.h"

namespace mailrep {

// A mirrored list's data as one sweep sees it.
struct DnsblLocalZone {
  std::shared_ptr<const RbldnsdZone> zone;  // null: unusable
  std::string unusable;                     // why, for logs and `check dnsbl`
};
// By zone. A sweep answers these lists locally and sends them no query.
using DnsblLocalZones = std::map<std::string, DnsblLocalZone, std::less<>>;

// `mirror`'s data at `now_unix`.
DnsblLocalZone LocalZoneOf(const RbldnsdMirror& mirror, int64_t now_unix);

class DnsblMirrors {
 public:
  struct Entry {
    std::string zone;
    std::shared_ptr<RbldnsdMirror> mirror;  // reads root + the configured file
  };

  DnsblMirrors() = default;
  // Nothing is read until Refresh().
  DnsblMirrors(const std::vector<DnsblMirrorConfig>& configs, const std::string& root);

  // Re-reads each file that changed (RbldnsdMirror::Refresh); a failed load
  // or a skipped line is logged once per file version.
  void Refresh(int64_t now_unix);
  // Every mirror's data at `now_unix`.
  DnsblLocalZones Snapshot(int64_t now_unix) const;
  // Reload hand-over: takes `previous`'s mirror of each zone with the same
  // file and format, loaded data, counters and all, instead of reading the
  // file again.
  void Adopt(const DnsblMirrors& previous);

  const std::vector<Entry>& mirrors() const { return entries_; }
  bool empty() const { return entries_.empty(); }

 private:
  std::vector<Entry> entries_;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNSBL_DNSBL_MIRRORS_H_
