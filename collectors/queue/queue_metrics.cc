#include "collectors/queue/queue_metrics.h"

#include <algorithm>

#include "exporter/util/ascii.h"

namespace mailrep {
namespace {

constexpr char kMessagesHelp[] = "Messages in the MTA queue, at the last queue scan.";
constexpr char kBytesHelp[] =
    "Total size of the messages in the queue (as the MTA's queue listing shows it), at the last "
    "queue scan.";
constexpr char kRecipientsHelp[] =
    "Recipients still pending delivery in the queue, at the last queue scan.";
constexpr char kOldestHelp[] =
    "Age of the oldest message in the queue (0 when empty), at the last queue scan.";
constexpr char kDestinationHelp[] =
    "Deferred messages with a pending recipient in the destination domain (the top N domains, "
    "the rest as \"other\"), at the last queue scan.";
constexpr char kReasonHelp[] =
    "Deferred messages whose last delivery attempt failed for this class of reason (from the "
    "MTA's per-message logs), at the last queue scan.";
constexpr char kErrorsHelp[] =
    "Queue files and directories skipped during queue scans, by kind of problem.";

}  // namespace

std::string DestinationLabel(std::string_view address) {
  std::string domain = MailAddressDomain(address);
  return domain.empty() ? "(none)" : domain;
}

void EmitQueueReport(const QueueReport& r, MetricSet* out) {
  std::string mta(r.mta);
  for (const QueueSample& q : r.queues) {
    Labels labels = {{"mta", mta}, {"mta_instance", r.instance}, {"queue", std::string(q.queue)}};
    double age = q.oldest_arrival
                     ? static_cast<double>(std::max<int64_t>(0, r.now - *q.oldest_arrival))
                     : 0.0;
    out->AddGauge("mailrep_queue_messages", kMessagesHelp, labels, static_cast<double>(q.messages));
    out->AddGauge("mailrep_queue_bytes", kBytesHelp, labels, static_cast<double>(q.bytes));
    out->AddGauge("mailrep_queue_recipients", kRecipientsHelp, labels,
                  static_cast<double>(q.recipients));
    out->AddGauge("mailrep_queue_oldest_message_age_seconds", kOldestHelp, labels, age);
  }

  std::vector<std::pair<std::string, uint64_t>> sorted;
  if (r.deferred_by_destination != nullptr) {
    sorted.assign(r.deferred_by_destination->begin(), r.deferred_by_destination->end());
  }
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  uint64_t other = 0;
  size_t named = 0;
  for (const auto& [domain, count] : sorted) {
    if (domain == "other" || named >= static_cast<size_t>(std::max(0, r.top_destinations))) {
      other += count;
      continue;
    }
    out->AddGauge("mailrep_queue_deferred_messages_by_destination", kDestinationHelp,
                  {{"mta", mta}, {"mta_instance", r.instance}, {"destination", domain}},
                  static_cast<double>(count));
    ++named;
  }
  out->AddGauge("mailrep_queue_deferred_messages_by_destination", kDestinationHelp,
                {{"mta", mta}, {"mta_instance", r.instance}, {"destination", "other"}},
                static_cast<double>(other));

  for (DeferralReason reason : kAllDeferralReasons) {
    out->AddGauge("mailrep_queue_deferred_messages_by_reason", kReasonHelp,
                  {{"mta", mta},
                   {"mta_instance", r.instance},
                   {"reason", std::string(DeferralReasonName(reason))}},
                  static_cast<double>(r.deferred_by_reason[static_cast<size_t>(reason)]));
  }
  for (size_t k = 0; k < kNumSpoolProblems; ++k) {
    SpoolProblem kind = static_cast<SpoolProblem>(k);
    out->AddCounter(
        "mailrep_queue_scan_errors_total", kErrorsHelp,
        {{"mta", mta}, {"mta_instance", r.instance}, {"kind", std::string(SpoolProblemName(kind))}},
        static_cast<double>(r.error_totals.Get(kind)));
  }
}

}  // namespace mailrep
