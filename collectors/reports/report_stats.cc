#include "collectors/reports/report_stats.h"

#include <algorithm>

#include "collectors/reports/complaint_attribution.h"
#include "collectors/reports/reports_metrics.h"
#include "exporter/util/ip_network.h"

namespace mailrep {

void ReportStats::CountRead(std::string_view kind, std::string_view result) {
  read_[{std::string(kind), std::string(result)}] += 1;
}

void ReportStats::CountInvalid(std::string_view reason) { invalid_[{std::string(reason)}] += 1; }

void ReportStats::CountStateError(std::string_view operation) {
  state_errors_[{std::string(operation)}] += 1;
}

void ReportStats::CountSourceError(std::string_view source_kind, std::string_view reason) {
  source_errors_[{std::string(source_kind), std::string(reason)}] += 1;
}

std::string ReportStats::IpLabel(std::string_view ip, const ReportLabels& labels) {
  std::string label = labels.Ip(ip);
  if (label == "other" || own_ips_.count(label) > 0) return label;
  if (own_ips_.size() >= kMaxOwnIpSeries) return "other";
  own_ips_.insert(label);
  return label;
}

std::string ReportStats::OwnIpLabel(std::string_view ip) {
  StatusOr<IpAddress> parsed = IpAddress::Parse(ip);
  if (!parsed.ok()) return "other";
  std::string label = UnmapIpv4(*parsed).ToString();
  if (own_ips_.count(label) > 0) return label;
  if (own_ips_.size() >= kMaxOwnIpSeries) return "other";
  own_ips_.insert(label);
  return label;
}

void ReportStats::CountReport(const ParsedReport& parsed, std::string_view receiver,
                              const ReportLabels& labels, const MessageIdIndex* message_ids,
                              int64_t now) {
  std::string rcv(receiver);
  if (const auto* dmarc = std::get_if<DmarcAggregateReport>(&parsed.report)) {
    // A report's records mostly repeat a few label sets: they are summed
    // here first (at most kBatch distinct ones at a time), then added to the
    // counters once per label set, not once per record.
    struct Sum {
      std::string ip;
      std::string_view disposition;
      bool dkim, spf;
      double n;
    };
    constexpr size_t kBatch = 64;
    std::vector<Sum> sums;
    auto flush = [&] {
      for (const Sum& s : sums) {
        dmarc_messages_[{s.ip, rcv, std::string(s.disposition)}] += s.n;
        dmarc_aligned_[{s.ip, rcv, "dkim", s.dkim ? "pass" : "fail"}] += s.n;
        dmarc_aligned_[{s.ip, rcv, "spf", s.spf ? "pass" : "fail"}] += s.n;
        dmarc_aligned_[{s.ip, rcv, "dmarc", s.dkim || s.spf ? "pass" : "fail"}] += s.n;
      }
      sums.clear();
    };
    for (const DmarcAggregateRecord& r : dmarc->records) {
      std::string ip = IpLabel(r.source_ip, labels);
      std::string_view disposition = ReportLabels::Disposition(r.disposition);
      bool dkim = r.dkim_aligned(), spf = r.spf_aligned();
      auto same = [&](const Sum& s) {
        return s.dkim == dkim && s.spf == spf && s.disposition == disposition && s.ip == ip;
      };
      auto it = std::find_if(sums.begin(), sums.end(), same);
      if (it != sums.end()) {
        it->n += static_cast<double>(r.count);
        continue;
      }
      if (sums.size() == kBatch) flush();
      sums.push_back({std::move(ip), disposition, dkim, spf, static_cast<double>(r.count)});
    }
    flush();
  } else if (const auto* tls = std::get_if<TlsrptReport>(&parsed.report)) {
    for (const TlsrptPolicy& p : tls->policies) {
      std::string domain(labels.PolicyDomain(p.policy_domain));
      std::string type(ReportLabels::PolicyType(p.policy_type));
      tls_sessions_[{domain, type, "success"}] += static_cast<double>(p.successful);
      tls_sessions_[{domain, type, "failure"}] += static_cast<double>(p.failed);
      for (const TlsrptFailure& f : p.failures) {
        tls_failures_[{std::string(ReportLabels::TlsResultType(f.result_type)),
                       std::string(labels.MxHost(f.receiving_mx))}] += static_cast<double>(f.count);
      }
    }
  } else if (const auto* arf = std::get_if<ArfReport>(&parsed.report)) {
    ComplaintOrigin origin = AttributeComplaint(*arf, message_ids, now);
    std::string label = "unknown";
    if (origin.by == ComplaintAttribution::kMessageId) {
      if (!origin.ip.empty()) label = OwnIpLabel(origin.ip);
    } else if (origin.by != ComplaintAttribution::kNone) {
      label = IpLabel(origin.ip, labels);
    }
    complaints_[{label, rcv, std::string(ReportLabels::FeedbackType(arf->feedback_type))}] += 1;
    complaints_by_[{std::string(ComplaintAttributionName(origin.by))}] += 1;
  }
}

void ReportStats::Write(const MetricFamily& family, const Counters& counters, MetricSet* out) {
  out->Declare(family);
  std::vector<std::string_view> values;
  for (const auto& [key, value] : counters) {
    values.assign(key.begin(), key.end());
    out->Add(family, std::span<const std::string_view>(values), value);
  }
}

void ReportStats::WriteMetrics(const ReportState::ReceivedMap& received, size_t backlog,
                               MetricSet* out) const {
  Write(kReportsReadFamily, read_, out);
  Write(kReportsInvalidFamily, invalid_, out);
  out->Declare(kReportLastReceivedFamily);
  for (const auto& [key, when] : received) {
    out->Add(kReportLastReceivedFamily, {key.first, key.second}, static_cast<double>(when));
  }
  Write(kDmarcMessagesFamily, dmarc_messages_, out);
  Write(kDmarcAlignedFamily, dmarc_aligned_, out);
  Write(kTlsrptSessionsFamily, tls_sessions_, out);
  Write(kTlsrptFailuresFamily, tls_failures_, out);
  Write(kComplaintsFamily, complaints_, out);
  Write(kComplaintsAttributedFamily, complaints_by_, out);
  Write(kReportsStateErrorsFamily, state_errors_, out);
  Write(kReportsSourceErrorsFamily, source_errors_, out);
  out->Add(kReportsBacklogFamily, {}, static_cast<double>(backlog));
}

}  // namespace mailrep
