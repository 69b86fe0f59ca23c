// ReportStats: the reports collector's cumulative counters (reports_metrics.h)
// and how one parsed report adds to them, with every label value bounded by
// ReportLabels. Addresses that are ours get their own `ip` series, at most
// kMaxOwnIpSeries distinct ones (later ones count as "other"), so even a huge
// configured block cannot grow the series without bound. Recipients, bodies
// and the reporter's own addresses are never labels. Not thread-safe (the
// collector's run thread owns it); copyable, which is how a reload hands the
// counters over.
#ifndef MAILREP_COLLECTORS_REPORTS_REPORT_STATS_H_
#define MAILREP_COLLECTORS_REPORTS_REPORT_STATS_H_

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/delivery/message_id_index.h"
#include "collectors/reports/report_labels.h"
#include "collectors/reports/report_reader.h"
#include "collectors/reports/report_state.h"
#include "exporter/core/metric_set.h"

namespace mailrep {

class ReportStats {
 public:
  static constexpr size_t kMaxOwnIpSeries = 1024;

  // mailrep_reports_total{kind,result}.
  void CountRead(std::string_view kind, std::string_view result);
  // mailrep_reports_invalid_total{reason}.
  void CountInvalid(std::string_view reason);
  // mailrep_reports_state_errors_total{operation}.
  void CountStateError(std::string_view operation);
  // mailrep_reports_source_errors_total{source_kind,reason} (bounded by the caller).
  void CountSourceError(std::string_view source_kind, std::string_view reason);
  // The DMARC, TLS-RPT or complaint counters of one new report from
  // `receiver`. A complaint is attributed by AttributeComplaint
  // (complaint_attribution.h) with `message_ids` (may be null) at `now`; an
  // IP found by Message-ID is from our own logs, so it is ours.
  void CountReport(const ParsedReport& report, std::string_view receiver,
                   const ReportLabels& labels, const MessageIdIndex* message_ids = nullptr,
                   int64_t now = 0);

  // Every family; the last-received gauges from `received`, the backlog gauge.
  void WriteMetrics(const ReportState::ReceivedMap& received, size_t backlog, MetricSet* out) const;

 private:
  using Key = std::vector<std::string>;
  using Counters = std::map<Key, double>;
  static void Write(const MetricFamily& family, const Counters& counters, MetricSet* out);
  // The ip label: ours (while under the series cap) or "other".
  std::string IpLabel(std::string_view ip, const ReportLabels& labels);
  // The ip label of an address known to be ours (canonical, while under the
  // series cap), else "other".
  std::string OwnIpLabel(std::string_view ip);

  Counters read_, invalid_, state_errors_, dmarc_messages_, dmarc_aligned_, tls_sessions_,
      tls_failures_, complaints_, complaints_by_, source_errors_;
  std::set<std::string, std::less<>> own_ips_;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_REPORTS_REPORT_STATS_H_
