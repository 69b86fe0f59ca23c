#include "collectors/dnsbl/dnsbl_mirrors.h"

#include <ctime>

#include "exporter/core/log.h"

namespace mailrep {
namespace {

std::string UtcTime(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

DnsblLocalZone LocalZoneOf(const RbldnsdMirror& mirror, int64_t now_unix) {
  std::shared_ptr<const RbldnsdZone> zone = mirror.zone();
  if (zone == nullptr) {
    RbldnsdMirrorState state = mirror.state();
    return {nullptr, "the mirror file " + mirror.path() + " has not loaded yet" +
                         (state.last_error.empty() ? "" : ": " + state.last_error)};
  }
  if (zone->expires() != 0 && now_unix > zone->expires()) {
    return {nullptr, "the mirror's data expired at " + UtcTime(zone->expires()) +
                         " ($TIMESTAMP in " + mirror.path() + "): the feed is stale"};
  }
  return {std::move(zone), ""};
}

DnsblMirrors::DnsblMirrors(const std::vector<DnsblMirrorConfig>& configs, const std::string& root) {
  for (const DnsblMirrorConfig& c : configs) {
    entries_.push_back({c.zone, std::make_shared<RbldnsdMirror>(root + c.file, c.format)});
  }
}

void DnsblMirrors::Refresh(int64_t now_unix) {
  for (const Entry& e : entries_) {
    RbldnsdMirror& mirror = *e.mirror;
    std::shared_ptr<const RbldnsdZone> before = mirror.zone();
    uint64_t errors_before = mirror.state().load_errors;
    Status status = mirror.Refresh(now_unix);
    RbldnsdMirrorState state = mirror.state();
    if (!status.ok()) {
      if (state.load_errors != errors_before) {
        LogWarn(state.loaded ? "DNSBL mirror file not loaded; the data loaded before stays in use"
                             : "DNSBL mirror file not loaded; the list is unhealthy until it is",
                {{"dnsbl", e.zone}, {"file", mirror.path()}, {"error", status.message()}});
      }
      continue;
    }
    std::shared_ptr<const RbldnsdZone> after = mirror.zone();
    if (after == before) continue;
    LogInfo("DNSBL mirror file loaded",
            {{"dnsbl", e.zone},
             {"file", mirror.path()},
             {"entries", static_cast<double>(state.entries)},
             {"skipped_lines", static_cast<double>(state.skipped_lines)}});
    for (const std::string& message : after->report().messages) {
      LogWarn("DNSBL mirror file: line skipped or cut", {{"dnsbl", e.zone}, {"detail", message}});
    }
  }
}

DnsblLocalZones DnsblMirrors::Snapshot(int64_t now_unix) const {
  DnsblLocalZones out;
  for (const Entry& e : entries_) out[e.zone] = LocalZoneOf(*e.mirror, now_unix);
  return out;
}

void DnsblMirrors::Adopt(const DnsblMirrors& previous) {
  for (Entry& e : entries_) {
    for (const Entry& old : previous.entries_) {
      if (old.zone == e.zone && old.mirror->path() == e.mirror->path() &&
          old.mirror->format() == e.mirror->format()) {
        e.mirror = old.mirror;
      }
    }
  }
}

}  // namespace mailrep
