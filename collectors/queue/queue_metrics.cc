#include "collectors/queue/queue_metrics.h"

#include <algorithm>

#include "exporter/util/ascii.h"

namespace mailrep {
namespace {

using prometheus::MetricType;

constexpr MetricFamily kMessages{"mailrep_queue_messages",
                                 MetricType::Gauge,
                                 {"mta", "mta_instance", "queue"},
                                 "Messages in the MTA queue (0 for an empty one).",
                                 true};
constexpr MetricFamily kBytes{
    "mailrep_queue_bytes",
    MetricType::Gauge,
    {"mta", "mta_instance", "queue"},
    "Total size of the messages in the queue, as the MTA's queue listing shows it.",
    true};
constexpr MetricFamily kRecipients{"mailrep_queue_recipients",
                                   MetricType::Gauge,
                                   {"mta", "mta_instance", "queue"},
                                   "Recipients still pending delivery in the queue.",
                                   true};
constexpr MetricFamily kOldest{"mailrep_queue_oldest_message_age_seconds",
                               MetricType::Gauge,
                               {"mta", "mta_instance", "queue"},
                               "Age of the oldest message in the queue (0 when empty).",
                               true};
constexpr MetricFamily kByDestination{
    "mailrep_queue_deferred_messages_by_destination",
    MetricType::Gauge,
    {"mta", "mta_instance", "destination"},
    "Deferred messages with a pending recipient in the destination domain (a message counts once "
    "per domain, not per recipient): the top N domains, the rest as other.",
    true};
constexpr MetricFamily kByReason{
    "mailrep_queue_deferred_messages_by_reason",
    MetricType::Gauge,
    {"mta", "mta_instance", "reason"},
    "Deferred messages whose last delivery attempt failed for this class of reason (from the "
    "MTA's per-message logs; the classes of mailrep_delivery_rejections_total).",
    true};
constexpr MetricFamily kScanErrors{
    "mailrep_queue_scan_errors_total",
    MetricType::Counter,
    {"mta", "mta_instance", "kind"},
    "Queue files and directories skipped during queue scans (vanished, unreadable, half-written "
    "or corrupt), by kind of problem.",
    true};
constexpr MetricFamily kSourceInfo{
    "mailrep_queue_scan_source_info",
    MetricType::Gauge,
    {"mta", "mta_instance", "source"},
    "How the last queue scan read the queue: spool (the files) or showq (Postfix's showq socket, "
    "when the spool is unreadable); always 1.",
    true};

constexpr MetricFamily kTopSenderDomain{
    "mailrep_queue_top_sender_domain_messages",
    MetricType::Gauge,
    {"mta", "mta_instance", "queue", "sender_domain"},
    "Messages in the queue by the domain of their envelope sender (<> for bounces): the top N "
    "domains of each queue, the rest (and messages whose file could not be read) as other. Only "
    "with the collector's composition option.",
    true};
constexpr MetricFamily kTopSubmitter{
    "mailrep_queue_top_submitter_messages",
    MetricType::Gauge,
    {"mta", "mta_instance", "queue", "submitter_kind", "submitter"},
    "Messages in the queue by who submitted them, as the queue file says: kind sasl (an "
    "authenticated login), local (a local user or uid), client (an unauthenticated client IP) or "
    "unknown; the top N of each queue, the rest as other; submitter as submitter_labels says "
    "(name, hash or none). Only with the collector's composition option.",
    true};
constexpr MetricFamily kTopSubmitterShare{
    "mailrep_queue_top_submitter_share",
    MetricType::Gauge,
    {"mta", "mta_instance", "queue"},
    "Share (0 to 1) of the queue's messages that its largest known submitter put there (0 when "
    "empty or none is known). Only with the collector's composition option.",
    true};

constexpr MetricFamily kQueueFamilies[] = {
    kMessages,   kBytes,      kRecipients,      kOldest,       kByDestination,    kByReason,
    kScanErrors, kSourceInfo, kTopSenderDomain, kTopSubmitter, kTopSubmitterShare};

}  // namespace

std::span<const MetricFamily> QueueMetricFamilies() { return kQueueFamilies; }

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
    double age = q.oldest_arrival
                     ? static_cast<double>(std::max<int64_t>(0, r.now - *q.oldest_arrival))
                     : 0.0;
    out->Add(kMessages, {mta, r.instance, q.queue}, static_cast<double>(q.messages));
    out->Add(kBytes, {mta, r.instance, q.queue}, static_cast<double>(q.bytes));
    out->Add(kRecipients, {mta, r.instance, q.queue}, static_cast<double>(q.recipients));
    out->Add(kOldest, {mta, r.instance, q.queue}, age);
  }

  static const std::unordered_map<std::string, uint64_t> kNone;
  for (const auto& [domain, count] : TopDestinations(
           r.deferred_by_destination ? *r.deferred_by_destination : kNone, r.top_destinations)) {
    out->Add(kByDestination, {mta, r.instance, domain}, static_cast<double>(count));
  }

  for (ReplyReason reason : kAllReplyReasons) {
    out->Add(kByReason, {mta, r.instance, ReplyReasonName(reason)},
             static_cast<double>(r.deferred_by_reason[static_cast<size_t>(reason)]));
  }
  for (size_t k = 0; k < kNumSpoolProblems; ++k) {
    SpoolProblem kind = static_cast<SpoolProblem>(k);
    out->Add(kScanErrors, {mta, r.instance, SpoolProblemName(kind)},
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

void EmitQueueComposition(const QueueMta& mta, const std::string& instance, const QueueScan& scan,
                          const QueueCompositionExport& options, MetricSet* out) {
  std::string mta_label(mta.mta);
  const size_t top = static_cast<size_t>(std::max(0, options.top));
  for (size_t q = 0; q < mta.queue_names.size(); ++q) {
    std::string queue(mta.queue_names[q]);
    uint64_t depth = q < scan.queues.size() ? scan.queues[q].messages : 0;
    static const QueueComposition::PerQueue kEmpty;
    const QueueComposition::PerQueue& c =
        q < scan.composition.queues.size() ? scan.composition.queues[q] : kEmpty;

    std::unordered_map<std::string, QueueTally> domains;
    for (const auto& [sender, t] : c.senders) {
      if (sender == kOtherKey) continue;
      domains[SenderDomainLabel(sender)].messages += t.messages;
    }
    uint64_t listed = 0;
    size_t shown = 0;
    for (const auto& [domain, t] : RankByMessages(domains)) {
      if (shown++ == top) break;
      listed += t.messages;
      out->Add(kTopSenderDomain, {mta_label, instance, queue, domain},
               static_cast<double>(t.messages));
    }
    out->Add(kTopSenderDomain, {mta_label, instance, queue, "other"},
             static_cast<double>(depth > listed ? depth - listed : 0));

    // Labels may merge submitters (hash collisions, mode none): count by label.
    std::unordered_map<std::string, QueueTally> labeled;
    uint64_t largest = 0;
    for (const auto& [key, t] : c.submitters) {
      if (key == kOtherKey) continue;
      auto [kind, name] = SplitSubmitterKey(key);
      if (kind != SubmitterKind::kUnknown) largest = std::max(largest, t.messages);
      std::string label(SubmitterKindName(kind));
      label += '\0';
      label += SubmitterLabel(options.labels, kind, name);
      labeled[label].messages += t.messages;
    }
    listed = 0;
    shown = 0;
    for (const auto& [label, t] : RankByMessages(labeled)) {
      if (shown++ == top) break;
      listed += t.messages;
      size_t nul = label.find('\0');
      out->Add(kTopSubmitter,
               {mta_label, instance, queue, label.substr(0, nul), label.substr(nul + 1)},
               static_cast<double>(t.messages));
    }
    out->Add(kTopSubmitter, {mta_label, instance, queue, "other", "other"},
             static_cast<double>(depth > listed ? depth - listed : 0));
    out->Add(kTopSubmitterShare, {mta_label, instance, queue},
             depth == 0 ? 0.0 : std::min(1.0, static_cast<double>(largest) / depth));
  }
}

void EmitQueueScan(const QueueMta& mta, const std::string& instance, const QueueScan& scan,
                   const SpoolProblemCounts& error_totals, int top_destinations, int64_t now,
                   MetricSet* out) {
  QueueReport report = MakeQueueReport(mta, instance, scan, now);
  report.error_totals = error_totals;
  report.top_destinations = top_destinations;
  EmitQueueReport(report, out);
  out->Add(kSourceInfo, {mta.mta, instance, scan.source}, 1.0);
}

}  // namespace mailrep
