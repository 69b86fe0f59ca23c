#include "collectors/delivery/delivery_stats.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "collectors/delivery/delivery_metrics.h"
#include "collectors/delivery/log_text.h"
#include "exporter/util/ascii.h"
#include "exporter/util/ip_network.h"

namespace mailrep {
DeliveryStats::DeliveryStats(const ProviderMap* providers, const RejectionClassifier* classifier,
                             const SendingIpMap* postfix_ips)
    : providers_(providers),
      classifier_(classifier),
      postfix_ips_(postfix_ips),
      counter_cache_(kCacheSlots),
      reply_cache_(kCacheSlots),
      provider_cache_(kCacheSlots),
      postfix_ip_cache_(kCacheSlots) {}

namespace {

constexpr char kSep = '\x1f';

// A cache slot for `s`: mixes its length and four 8-byte samples (start, two
// inner, end), far cheaper than hashing every byte of a reply text. Keys that
// share a slot only cost a miss.
size_t SlotOf(std::string_view s, size_t slots) {
  uint64_t h = s.size() * 0x9E3779B97F4A7C15ULL;
  if (s.size() >= 8) {
    for (size_t at : {size_t{0}, s.size() / 3, (s.size() * 2) / 3, s.size() - 8}) {
      at = std::min(at, s.size() - 8);
      uint64_t w;
      std::memcpy(&w, s.data() + at, 8);
      h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
    }
  } else {
    for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 0x9E3779B97F4A7C15ULL;
  }
  return static_cast<size_t>(h >> 32) % slots;
}

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

std::string_view DeliveryStats::SendingIp(const DeliveryEvent& event) {
  std::string parsed_ip;
  std::string_view ip;
  if (!event.sending_ip.empty()) {
    StatusOr<IpAddress> parsed = IpAddress::Parse(event.sending_ip);
    if (!parsed.ok()) return "unknown";
    parsed_ip = parsed->ToString();
    ip = parsed_ip;
  } else if (event.mta == "postfix" && postfix_ips_ != nullptr) {
    // The answer for a tag never changes (the seen set only grows, and is
    // consulted only below the cap).
    std::string_view tag = event.syslog_tag;
    TextSlot& slot = postfix_ip_cache_[SlotOf(tag, kCacheSlots)];
    if (slot.used && slot.key == tag) return slot.value;
    slot.value = SeenIp(LookUpSendingIp(*postfix_ips_, tag));
    slot.key.assign(tag);
    slot.used = true;
    return slot.value;
  } else {
    return "unknown";
  }
  return SeenIp(ip);
}

std::string_view DeliveryStats::SeenIp(std::string_view ip) {
  if (ip == "unknown") return "unknown";
  auto it = sending_ips_seen_.find(ip);
  if (it != sending_ips_seen_.end()) return it->first;
  if (sending_ips_seen_.size() >= kMaxSendingIps) return "other";
  return sending_ips_seen_.emplace(std::string(ip), true).first->first;
}

RejectionClass DeliveryStats::Classify(const DeliveryEvent& event) {
  if (event.reply.size() > kMaxCachedReplyBytes) {
    return classifier_->Classify(event.reply, event.dsn);
  }
  ReplySlot& slot =
      reply_cache_[(SlotOf(event.reply, kCacheSlots) + SlotOf(event.dsn, kCacheSlots)) %
                   kCacheSlots];
  if (!slot.used || slot.reply != event.reply || slot.dsn != event.dsn) {
    slot.result = classifier_->Classify(event.reply, event.dsn);
    slot.dsn = event.dsn;
    slot.reply = event.reply;
    slot.used = true;
  }
  return slot.result;
}

std::string_view DeliveryStats::Provider(const DeliveryEvent& event) {
  std::string_view domain = event.recipient;
  size_t at = domain.rfind('@');
  domain = at == std::string_view::npos ? std::string_view() : domain.substr(at + 1);
  while (!domain.empty() && (domain.back() == '>' || domain.back() == '.')) domain.remove_suffix(1);
  // Same as providers_->Lookup(relay_host, MailAddressDomain(recipient)): LookupName lower-cases.
  std::string_view host = event.relay_host;
  if (host.empty()) return providers_->LookupName(domain);
  TextSlot& slot = provider_cache_[SlotOf(host, kCacheSlots)];
  if (!slot.used || slot.key != host) {
    slot.value = IsIpLiteral(host) ? "other" : providers_->LookupName(host);
    slot.key.assign(host);
    slot.used = true;
  }
  if (slot.value != "other") return slot.value;
  return providers_->LookupName(domain);
}

namespace {

uintptr_t Id(std::string_view s) { return reinterpret_cast<uintptr_t>(s.data()); }

}  // namespace

template <typename Map>
typename Map::mapped_type* DeliveryStats::Counter(Map* map, const LabelIds& ids,
                                                  std::initializer_list<std::string_view> labels) {
  uint64_t h = 0;
  for (uintptr_t v : ids) h = (h ^ v) * 0x9E3779B97F4A7C15ULL;
  CounterSlot& slot = counter_cache_[(h >> 40) % kCacheSlots];
  bool same = slot.counter != nullptr;
  for (size_t i = 0; i < ids.size(); ++i) same = same && slot.ids[i] == ids[i];
  if (!same) {
    JoinKey(&key_, labels);
    slot.counter = &(*map)[key_];  // map elements never move
    slot.ids = ids;
  }
  return static_cast<typename Map::mapped_type*>(slot.counter);
}

ResolvedDelivery DeliveryStats::AddEvent(const DeliveryEvent& event) {
  ResolvedDelivery r;
  r.mta = event.mta == "postfix"    ? "postfix"
          : event.mta == "exim"     ? "exim"
          : event.mta == "sendmail" ? "sendmail"
          : event.mta == "qmail"    ? "qmail"
                                    : "opensmtpd";
  r.status = DeliveryStatusName(event.status);
  std::string_view ip = SendingIp(event);
  r.sending_ip.assign(ip);
  r.provider = Provider(event);
  // Which map a slot belongs to is part of its identity (the last id).
  LabelIds ids = {Id(r.mta),      r.mta.size(),      Id(ip),
                  ip.size(),      Id(r.status),      r.status.size(),
                  Id(r.provider), r.provider.size(), 0};
  ++*Counter(&deliveries_, ids, {r.mta, ip, r.status, r.provider});
  if (event.status != DeliveryStatus::kSent) {
    RejectionClass c = Classify(event);
    r.reason = ReplyReasonName(c.reason);
    r.cited_blocklist = c.cited_blocklist;
    LabelIds rids = {Id(r.mta),         r.mta.size(), Id(ip),          ip.size(), Id(r.provider),
                     r.provider.size(), Id(r.reason), r.reason.size(), 1};
    ++*Counter(&rejections_, rids, {r.mta, ip, r.provider, r.reason});
    if (!c.cited_blocklist.empty()) {
      std::string_view b = c.cited_blocklist;
      LabelIds bids = {Id(b), b.size(), 0, 0, 0, 0, 0, 0, 3};
      ++*Counter(&cited_, bids, {b});
    }
  }
  if (event.delay_seconds >= 0) {
    LabelIds dids = {Id(r.mta), r.mta.size(), Id(r.status), r.status.size(), 0, 0, 0, 0, 2};
    Histogram& h = *Counter(&delays_, dids, {r.mta, r.status});
    size_t i = 0;
    while (i < kDelayBuckets.size() && event.delay_seconds > kDelayBuckets[i]) ++i;
    if (i < kDelayBuckets.size()) ++h.buckets[i];
    ++h.count;
    h.sum += event.delay_seconds;
  }
  return r;
}

void DeliveryStats::AdoptCounts(const DeliveryStats& previous,
                                const std::vector<std::string>& sources) {
  deliveries_ = previous.deliveries_;
  rejections_ = previous.rejections_;
  cited_ = previous.cited_;
  delays_ = previous.delays_;
  sending_ips_seen_ = previous.sending_ips_seen_;
  lines_.clear();
  for (const std::string& source : sources) {
    auto it = previous.lines_.find(source);
    if (it != previous.lines_.end()) lines_.insert(*it);
  }
  // The caches point into the maps just replaced.
  counter_cache_.assign(kCacheSlots, {});
  reply_cache_.assign(kCacheSlots, {});
  provider_cache_.assign(kCacheSlots, {});
  postfix_ip_cache_.assign(kCacheSlots, {});
}

void DeliveryStats::WriteMetrics(const std::vector<std::string>& sources, MetricSet* out) const {
  out->Declare(kDeliveriesFamily);
  for (const auto& [k, n] : deliveries()) {
    out->Add(kDeliveriesFamily, {std::get<0>(k), std::get<1>(k), std::get<2>(k), std::get<3>(k)},
             static_cast<double>(n));
  }
  out->Declare(kRejectionsFamily);
  for (const auto& [k, n] : rejections()) {
    out->Add(kRejectionsFamily, {std::get<0>(k), std::get<1>(k), std::get<2>(k), std::get<3>(k)},
             static_cast<double>(n));
  }
  out->Declare(kCitedBlocklistFamily);
  for (const auto& [name, n] : cited_) {
    out->Add(kCitedBlocklistFamily, {name}, static_cast<double>(n));
  }
  out->Declare(kDelayFamily);
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
    out->AddHistogram(kDelayFamily, {k[0], k[1]}, hist);
  }
  out->Declare(kLogLinesFamily);
  std::map<std::string, std::array<uint64_t, 3>, std::less<>> lines(lines_.begin(), lines_.end());
  for (const std::string& s : sources) lines.try_emplace(s, std::array<uint64_t, 3>{});
  for (const auto& [source, counts] : lines) {
    for (LineResult r : kResults) {
      out->Add(kLogLinesFamily, {source, LineResultName(r)},
               static_cast<double>(counts[static_cast<size_t>(r)]));
    }
  }
}

}  // namespace mailrep
