#include "collectors/delivery/delivery_stats.h"

#include <limits>

#include "collectors/delivery/log_text.h"
#include "exporter/util/ip_network.h"

namespace mailrep {
namespace {

constexpr char kDeliveriesHelp[] =
    "Outbound delivery attempts read from MTA logs, by MTA, local sending IP, outcome and "
    "receiving provider.";
constexpr char kRejectionsHelp[] =
    "Deferred, bounced and expired deliveries by the class of the receiver's reply.";
constexpr char kCitedHelp[] =
    "Rejections whose reply cites a blocklist, by blocklist (\"other\": a blocklist rejection "
    "naming no known list).";
constexpr char kDelayHelp[] =
    "Time from arrival to this delivery outcome, as logged by the MTA, in seconds.";
constexpr char kLinesHelp[] =
    "Log lines read, by source and result (parsed: a delivery outcome; ignored: not a delivery; "
    "malformed: unreadable, counted and skipped).";

}  // namespace

DeliveryStats::DeliveryStats(const ProviderMap* providers, const RejectionClassifier* classifier,
                             const SendingIpMap* postfix_ips)
    : providers_(providers), classifier_(classifier), postfix_ips_(postfix_ips) {}

namespace {

constexpr char kSep = '\x1f';

std::vector<std::string> SplitKey(const std::string& key) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t end = key.find(kSep, start);
    parts.push_back(key.substr(start, end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

void JoinKey(std::string* key, std::initializer_list<std::string_view> parts) {
  key->clear();
  for (std::string_view p : parts) {
    if (!key->empty()) key->push_back(kSep);
    key->append(p);
  }
}

constexpr LineResult kResults[] = {LineResult::kParsed, LineResult::kIgnored,
                                   LineResult::kMalformed};

}  // namespace

void DeliveryStats::AddLine(const std::string& source, LineResult result) {
  auto it = lines_.find(source);
  if (it == lines_.end()) it = lines_.emplace(source, std::array<uint64_t, 3>{}).first;
  ++it->second[static_cast<size_t>(result)];
}

uint64_t DeliveryStats::lines(LineResult result) const {
  uint64_t n = 0;
  for (const auto& [source, counts] : lines_) n += counts[static_cast<size_t>(result)];
  return n;
}

std::map<DeliveryStats::DeliveryKey, uint64_t> DeliveryStats::deliveries() const {
  std::map<DeliveryKey, uint64_t> out;
  for (const auto& [key, n] : deliveries_) {
    std::vector<std::string> p = SplitKey(key);
    out[{p[0], p[1], p[2], p[3]}] += n;
  }
  return out;
}

std::map<DeliveryStats::RejectionKey, uint64_t> DeliveryStats::rejections() const {
  std::map<RejectionKey, uint64_t> out;
  for (const auto& [key, n] : rejections_) {
    std::vector<std::string> p = SplitKey(key);
    out[{p[0], p[1], p[2], p[3]}] += n;
  }
  return out;
}

std::string DeliveryStats::SendingIp(const DeliveryEvent& event) {
  std::string ip;
  if (!event.sending_ip.empty()) {
    StatusOr<IpAddress> parsed = IpAddress::Parse(event.sending_ip);
    ip = parsed.ok() ? parsed->ToString() : "unknown";
  } else if (event.mta == "postfix" && postfix_ips_ != nullptr) {
    ip = std::string(LookUpSendingIp(*postfix_ips_, event.syslog_tag));
  } else {
    ip = "unknown";
  }
  if (ip == "unknown" || sending_ips_seen_.contains(ip)) return ip;
  if (sending_ips_seen_.size() >= kMaxSendingIps) return "other";
  sending_ips_seen_.emplace(ip, true);
  return ip;
}

ResolvedDelivery DeliveryStats::AddEvent(const DeliveryEvent& event) {
  ResolvedDelivery r;
  r.mta = event.mta == "postfix"    ? "postfix"
          : event.mta == "exim"     ? "exim"
          : event.mta == "sendmail" ? "sendmail"
          : event.mta == "qmail"    ? "qmail"
                                    : "opensmtpd";
  r.status = DeliveryStatusName(event.status);
  r.sending_ip = SendingIp(event);
  r.provider = providers_->Lookup(event.relay_host, RecipientDomain(event.recipient));
  JoinKey(&key_, {r.mta, r.sending_ip, r.status, r.provider});
  ++deliveries_[key_];
  if (event.status != DeliveryStatus::kSent) {
    RejectionClass c = classifier_->Classify(event.reply, event.dsn);
    r.reason = c.reason;
    r.cited_blocklist = c.cited_blocklist;
    JoinKey(&key_, {r.mta, r.sending_ip, r.provider, r.reason});
    ++rejections_[key_];
    if (!c.cited_blocklist.empty()) ++cited_[std::string(c.cited_blocklist)];
  }
  if (event.delay_seconds >= 0) {
    JoinKey(&key_, {r.mta, r.status});
    Histogram& h = delays_[key_];
    size_t i = 0;
    while (i < kDelayBuckets.size() && event.delay_seconds > kDelayBuckets[i]) ++i;
    if (i < kDelayBuckets.size()) ++h.buckets[i];
    ++h.count;
    h.sum += event.delay_seconds;
  }
  return r;
}

void DeliveryStats::WriteMetrics(const std::vector<std::string>& sources, MetricSet* out) const {
  out->Declare("mailrep_deliveries_total", kDeliveriesHelp, prometheus::MetricType::Counter);
  for (const auto& [k, n] : deliveries()) {
    out->AddCounter("mailrep_deliveries_total", kDeliveriesHelp,
                    {{"mta", std::get<0>(k)},
                     {"sending_ip", std::get<1>(k)},
                     {"status", std::get<2>(k)},
                     {"provider", std::get<3>(k)}},
                    static_cast<double>(n));
  }
  out->Declare("mailrep_delivery_rejections_total", kRejectionsHelp,
               prometheus::MetricType::Counter);
  for (const auto& [k, n] : rejections()) {
    out->AddCounter("mailrep_delivery_rejections_total", kRejectionsHelp,
                    {{"mta", std::get<0>(k)},
                     {"sending_ip", std::get<1>(k)},
                     {"provider", std::get<2>(k)},
                     {"reason", std::get<3>(k)}},
                    static_cast<double>(n));
  }
  out->Declare("mailrep_delivery_cited_blocklist_total", kCitedHelp,
               prometheus::MetricType::Counter);
  for (const auto& [name, n] : cited_) {
    out->AddCounter("mailrep_delivery_cited_blocklist_total", kCitedHelp, {{"dnsbl", name}},
                    static_cast<double>(n));
  }
  out->Declare("mailrep_delivery_delay_seconds", kDelayHelp, prometheus::MetricType::Histogram);
  std::map<std::string, Histogram> delays(delays_.begin(), delays_.end());
  for (const auto& [key, h] : delays) {
    std::vector<std::string> k = SplitKey(key);
    prometheus::ClientMetric::Histogram hist;
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kDelayBuckets.size(); ++i) {
      cumulative += h.buckets[i];
      hist.bucket.push_back({cumulative, kDelayBuckets[i]});
    }
    hist.bucket.push_back({h.count, std::numeric_limits<double>::infinity()});
    hist.sample_count = h.count;
    hist.sample_sum = h.sum;
    out->AddHistogram("mailrep_delivery_delay_seconds", kDelayHelp,
                      {{"mta", k[0]}, {"status", k[1]}}, hist);
  }
  out->Declare("mailrep_log_lines_total", kLinesHelp, prometheus::MetricType::Counter);
  std::map<std::string, std::array<uint64_t, 3>, std::less<>> lines(lines_.begin(), lines_.end());
  for (const std::string& s : sources) lines.try_emplace(s, std::array<uint64_t, 3>{});
  for (const auto& [source, counts] : lines) {
    for (LineResult r : kResults) {
      out->AddCounter("mailrep_log_lines_total", kLinesHelp,
                      {{"source", source}, {"result", std::string(LineResultName(r))}},
                      static_cast<double>(counts[static_cast<size_t>(r)]));
    }
  }
}

}  // namespace mailrep
