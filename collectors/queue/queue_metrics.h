// The metric families every queue collector exports, filled the same way for
// each MTA (mta label "postfix", "exim", ...); described in queue_metrics.cc.
#ifndef MAILREP_COLLECTORS_QUEUE_QUEUE_METRICS_H_
#define MAILREP_COLLECTORS_QUEUE_QUEUE_METRICS_H_

#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "collectors/queue/queue_source.h"
#include "collectors/queue/spool_walker.h"
#include "collectors/queue/submitter_labels.h"
#include "collectors/reply/reply_classifier.h"
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
  std::array<uint64_t, kAllReplyReasons.size()> deferred_by_reason{};
  SpoolProblemCounts error_totals;  // since the collector started
  int top_destinations = 10;
  int64_t now = 0;  // Unix seconds, for ages
};

// The descriptions of the families below, shared by every <mta>_queue
// collector's CollectorSpec.
std::span<const MetricFamily> QueueMetricFamilies();

// The destination label of a recipient address: MailAddressDomain, or
// "(none)" when it has no domain.
std::string DestinationLabel(std::string_view address);

// Counts one deferred message in `by_destination`: +1 for each of its
// distinct destination `domains` (DestinationLabel values). A domain not yet
// in the map is added only while the map holds fewer than `max_destinations`
// entries; past that the message counts under "other" instead.
void CountDestinations(const std::set<std::string>& domains, size_t max_destinations,
                       std::unordered_map<std::string, uint64_t>* by_destination);

// CountDestinations for the DestinationLabels of one message's pending
// recipient `addresses` (repeats count once).
void CountRecipientDestinations(std::span<const std::string> addresses, size_t max_destinations,
                                std::unordered_map<std::string, uint64_t>* by_destination);

// The top `top` destinations by messages (ties by name), then one
// {"other", rest} entry (always present, 0 when nothing is left over).
std::vector<std::pair<std::string, uint64_t>> TopDestinations(
    const std::unordered_map<std::string, uint64_t>& by_destination, int top);

// Adds one instance's series. Every queue, reason and error kind gets a
// sample (0 when empty), and destination="other" always exists.
void EmitQueueReport(const QueueReport& report, MetricSet* out);

// The QueueReport of one scan of an instance of `mta` (queues named by
// mta.queue_names, parallel to scan.queues).
QueueReport MakeQueueReport(const QueueMta& mta, const std::string& instance, const QueueScan& scan,
                            int64_t now);

// What the composition families export (`composition` and its options).
struct QueueCompositionExport {
  int top = 10;  // per queue; the rest as "other"
  SubmitterLabeling labels;
};

// The composition families of one scan: per queue, the top senders' domains
// and top submitters by messages, each with an "other" entry so that a
// queue's entries sum to its mailrep_queue_messages (messages the reader
// could not attribute count as other), and the top submitter's share.
void EmitQueueComposition(const QueueMta& mta, const std::string& instance, const QueueScan& scan,
                          const QueueCompositionExport& options, MetricSet* out);

// EmitQueueReport(MakeQueueReport(...)) with `error_totals` and
// `top_destinations`, plus mailrep_queue_scan_source_info{source} = 1 (the
// reader used: "spool" or "showq").
void EmitQueueScan(const QueueMta& mta, const std::string& instance, const QueueScan& scan,
                   const SpoolProblemCounts& error_totals, int top_destinations, int64_t now,
                   MetricSet* out);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_QUEUE_METRICS_H_
