// The snds collector (off by default): Microsoft SNDS's view of each
// configured sending IP, from the IP data and IP status reports fetched over
// HTTPS through env.http (snds_fetch.h) on every run.
//
// Options (collectors.snds):
//   url_file    a file with the report links (snds_fetch.h SndsLinkSource), or
//   key_file    a file with the automated-access key (links built on base_url);
//               either file is re-read on every run, so a renewed link needs
//               no reload. Without either the collector fetches nothing.
//   base_url    for key_file links (default the classic SNDS address).
//   link_issued the date (YYYY-MM-DD, UTC) the link was issued; default: the
//               url_file's (or key_file's) modification time. Gives
//               mailrep_snds_link_age_seconds: links expire after 30 days.
//   ips         addresses and CIDR blocks to export (default every
//               senders[].ips); rows for other addresses are only counted.
//   max_ips     at most this many addresses get series (default 256).
//   ca_file, fetch_timeout (60s), max_response_bytes (32 MiB).
//
// A failed fetch (any reason but ok) keeps the report's last good rows and
// their time (mailrep_snds_data_timestamp_seconds), counts the reason and logs
// it with the link redacted: the key never reaches a log line, an error or
// /metrics. The run itself succeeds: SNDS's state is in the collector's own
// metrics. The last good rows are handed over on a reload (AdoptState).
//
// Collect() runs on the scheduler's thread; nothing is shared with probes.
#ifndef MAILREP_COLLECTORS_SNDS_SNDS_COLLECTOR_H_
#define MAILREP_COLLECTORS_SNDS_SNDS_COLLECTOR_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "collectors/snds/snds_fetch.h"
#include "exporter/core/collector.h"

namespace mailrep {

struct SndsCollectorOptions {
  SndsLinkSource links;                // paths with the root prefix already added
  std::optional<int64_t> link_issued;  // Unix seconds; else the file's mtime
  std::vector<IpNetwork> ips;
  size_t max_ips = 256;
  SndsFetchOptions fetch;
};

// What one SNDS snapshot says about one address (for `check snds` and the
// metrics): the IP data row, if any, and whether an IP status range blocks it.
struct SndsIpView {
  IpAddress ip;
  std::optional<SndsIpDataRow> data;
  std::optional<bool> blocked;  // absent without an IP status report
};

// The addresses to show: every IP data row's address within `ips` (all of
// them when `ips` is empty and `all_if_empty`, none when not), the latest row
// of an address listed twice, then each single address of `ips` with no row;
// at most `max_ips`. *others counts the data rows left out.
std::vector<SndsIpView> SndsViews(const std::vector<SndsIpDataRow>* data,
                                  const std::vector<SndsIpStatusRow>* status,
                                  const std::vector<IpNetwork>& ips, bool all_if_empty,
                                  size_t max_ips, size_t* others);

class SndsCollector : public Collector {
 public:
  SndsCollector(SndsCollectorOptions options, std::shared_ptr<HttpFetcher> http,
                std::shared_ptr<const Clock> clock);

  Status Collect(const CollectContext& ctx, MetricSet* out) override;
  void AdoptState(Collector& previous) override;

 private:
  struct ReportState {
    std::optional<std::vector<SndsIpDataRow>> ip_data;      // last good
    std::optional<std::vector<SndsIpStatusRow>> ip_status;  // last good
    int64_t data_time = 0;  // Unix seconds of the last good fetch, 0 never
    SndsFetchReason last = SndsFetchReason::kOk;
    bool tried = false;
    std::map<SndsFetchReason, uint64_t> errors;
  };
  ReportState& State(SndsReport report) {
    return report == SndsReport::kIpData ? ip_data_ : ip_status_;
  }
  std::optional<int64_t> LinkIssued() const;

  const SndsCollectorOptions options_;
  const std::shared_ptr<HttpFetcher> http_;
  const std::shared_ptr<const Clock> clock_;
  ReportState ip_data_, ip_status_;
};

// Registration: name and defaults, help, factory, metric families.
CollectorSpec SndsCollectorSpec();

StatusOr<std::unique_ptr<Collector>> NewSndsCollector(const CollectorEnv& env, ConfigNode& options);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_SNDS_SNDS_COLLECTOR_H_
