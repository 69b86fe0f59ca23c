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
constexpr char kSourceHelp[] =
    "How the last queue scan read the queue: \"spool\" (the files) or \"showq\" (Postfix's "
    "showq socket, when the spool is unreadable). Always 1.";

}  // namespace

std::string DestinationLabel(std::string_view address) {
  std::string domain = MailAddressDomain(address);
  return domain.empty() ? "(none)" : domain;
}

void CountDestinations(const std::set<std::string>& domains, size_t max_destinations,
                       std::unordered_map<std::string, uint64_t>* by_destination) {
  for (const std::string& d : domains) {
    auto it = by_destination->find(d);
    if (it != by_destination->end()) {
      ++it->second;
    } else if (by_destination->size() < max_destinations) {
      by_destination->emplace(d, 1);
    } else {
      ++(*by_destination)["other"];
    }
  }
}

void CountRecipientDestinations(std::span<const std::string> addresses, size_t max_destinations,
                                std::unordered_map<std::string, uint64_t>* by_destination) {
  std::set<std::string> domains;
  for (const std::string& a : addresses) domains.insert(DestinationLabel(a));
  CountDestinations(domains, max_destinations, by_destination);
}

std::vector<std::pair<std::string, uint64_t>> TopDestinations(
    const std::unordered_map<std::string, uint64_t>& by_destination, int top) {
  std::vector<std::pair<std::string, uint64_t>> sorted(by_destination.begin(),
                                                       by_destination.end());
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  std::vector<std::pair<std::string, uint64_t>> result;
  uint64_t other = 0;
  for (auto& [domain, count] : sorted) {
    if (domain == "other" || result.size() >= static_cast<size_t>(std::max(0, top))) {
      other += count;
    } else {
      result.emplace_back(std::move(domain), count);
    }
  }
  result.emplace_back("other", other);
  return result;
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

  static const std::unordered_map<std::string, uint64_t> kNone;
  for (const auto& [domain, count] : TopDestinations(
           r.deferred_by_destination ? *r.deferred_by_destination : kNone, r.top_destinations)) {
    out->AddGauge("mailrep_queue_deferred_messages_by_destination", kDestinationHelp,
                  {{"mta", mta}, {"mta_instance", r.instance}, {"destination", domain}},
                  static_cast<double>(count));
  }

  for (ReplyReason reason : kAllReplyReasons) {
    out->AddGauge("mailrep_queue_deferred_messages_by_reason", kReasonHelp,
                  {{"mta", mta},
                   {"mta_instance", r.instance},
                   {"reason", std::string(ReplyReasonName(reason))}},
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

QueueReport MakeQueueReport(const QueueMta& mta, const std::string& instance, const QueueScan& scan,
                            int64_t now) {
  QueueReport report;
  report.mta = mta.mta;
  report.instance = instance;
  for (size_t q = 0; q < mta.queue_names.size(); ++q) {
    QueueStats s = q < scan.queues.size() ? scan.queues[q] : QueueStats{};
    report.queues.push_back(
        {mta.queue_names[q], s.messages, s.bytes, s.recipients, s.oldest_arrival});
  }
  report.deferred_by_destination = &scan.deferred_by_destination;
  report.deferred_by_reason = scan.deferred_by_reason;
  report.now = now;
  return report;
}

void EmitQueueScan(const QueueMta& mta, const std::string& instance, const QueueScan& scan,
                   const SpoolProblemCounts& error_totals, int top_destinations, int64_t now,
                   MetricSet* out) {
  QueueReport report = MakeQueueReport(mta, instance, scan, now);
  report.error_totals = error_totals;
  report.top_destinations = top_destinations;
  EmitQueueReport(report, out);
  out->AddGauge("mailrep_queue_scan_source_info", kSourceHelp,
                {{"mta", std::string(mta.mta)},
                 {"mta_instance", instance},
                 {"source", std::string(scan.source)}},
                1.0);
}

}  // namespace mailrep
