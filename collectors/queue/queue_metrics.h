// The metric families every queue collector exports, filled the same way for
// each MTA (mta label "postfix", "exim", ...):
//   mailrep_queue_messages / _bytes / _recipients /
//   _oldest_message_age_seconds                       {mta,instance,queue}
//   mailrep_queue_deferred_messages_by_destination    {mta,instance,destination}
//   mailrep_queue_deferred_messages_by_reason         {mta,instance,reason}
//   mailrep_queue_scan_errors_total                   {mta,instance,kind}
#ifndef MAILREP_COLLECTORS_QUEUE_QUEUE_METRICS_H_
#define MAILREP_COLLECTORS_QUEUE_QUEUE_METRICS_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "collectors/queue/deferral_reason.h"
#include "collectors/queue/spool_walker.h"
#include "exporter/core/metric_set.h"

namespace mailrep {

struct QueueSample {
  std::string_view queue;  // label value
  uint64_t messages = 0;
  uint64_t bytes = 0;
  uint64_t recipients = 0;
  std::optional<int64_t> oldest_arrival;  // Unix seconds; none when empty
};

struct QueueReport {
  std::string_view mta;
  std::string instance;
  std::vector<QueueSample> queues;
  const std::unordered_map<std::string, uint64_t>* deferred_by_destination = nullptr;
  std::array<uint64_t, kAllDeferralReasons.size()> deferred_by_reason{};
  SpoolProblemCounts error_totals;  // since the collector started
  int top_destinations = 10;
  int64_t now = 0;  // Unix seconds, for ages
};

// The destination label of a recipient address: MailAddressDomain, or
// "(none)" when it has no domain.
std::string DestinationLabel(std::string_view address);

// Adds one instance's series. Every queue, reason and error kind gets a
// sample (0 when empty), and destination="other" always exists.
void EmitQueueReport(const QueueReport& report, MetricSet* out);

// Builds the QueueReport of one MTA scan and emits it. `Scan` has
// `queues[i]` (messages, bytes, recipients, oldest_arrival) named by
// `queue_names[i]`, `deferred_by_destination` and `deferred_by_reason`.
template <typename Scan, size_t N>
void EmitScan(std::string_view mta, const std::string& instance,
              const std::array<std::string_view, N>& queue_names, const Scan& scan,
              const SpoolProblemCounts& error_totals, int top_destinations, int64_t now,
              MetricSet* out) {
  QueueReport report;
  report.mta = mta;
  report.instance = instance;
  for (size_t q = 0; q < N; ++q) {
    const auto& s = scan.queues[q];
    report.queues.push_back({queue_names[q], s.messages, s.bytes, s.recipients, s.oldest_arrival});
  }
  report.deferred_by_destination = &scan.deferred_by_destination;
  report.deferred_by_reason = scan.deferred_by_reason;
  report.error_totals = error_totals;
  report.top_destinations = top_destinations;
  report.now = now;
  EmitQueueReport(report, out);
}

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_QUEUE_METRICS_H_
