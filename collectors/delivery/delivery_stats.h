// DeliveryStats: cumulative counts of delivery outcomes and log lines, with
// every label value bounded, written out as the delivery metrics (the
// families of delivery_metrics.h).
//
// sending_ip: the address from the line (Exim I=, OpenSMTPD source=), else the
// Postfix syslog tag mapping, else "unknown"; at most kMaxSendingIps distinct
// values, then "other". provider: ProviderMap. Rejections are every deferred,
// bounced or expired outcome. Not thread-safe; the referenced maps must
// outlive it.
#ifndef MAILREP_COLLECTORS_DELIVERY_DELIVERY_STATS_H_
#define MAILREP_COLLECTORS_DELIVERY_DELIVERY_STATS_H_

#include <array>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "collectors/delivery/delivery_event.h"
#include "collectors/delivery/postfix_sending_ip.h"
#include "collectors/delivery/provider_map.h"
#include "collectors/delivery/rejection_classifier.h"
#include "exporter/core/metric_set.h"

namespace mailrep {

// The delivery delay histogram's upper bounds, in seconds.
inline constexpr std::array<double, 12> kDelayBuckets = {0.5, 1,    5,     15,    60,    300,
                                                         900, 3600, 14400, 43200, 86400, 432000};

// An event with its label values worked out.
struct ResolvedDelivery {
  std::string_view mta;
  std::string_view status;
  std::string sending_ip;
  std::string_view provider;
  std::string_view reason;           // empty for sent
  std::string_view cited_blocklist;  // empty when none
};

class DeliveryStats {
 public:
  static constexpr size_t kMaxSendingIps = 64;

  DeliveryStats(const ProviderMap* providers, const RejectionClassifier* classifier,
                const SendingIpMap* postfix_ips);
  // Holds pointers into its own maps.
  DeliveryStats(const DeliveryStats&) = delete;
  DeliveryStats& operator=(const DeliveryStats&) = delete;

  // Counts one line of `source` (a bounded name: the configured path).
  void AddLine(const std::string& source, LineResult result);
  // Counts one parsed outcome and returns its label values.
  ResolvedDelivery AddEvent(const DeliveryEvent& event);

  // On reload: takes over `previous`'s counts (before this counts anything),
  // keeping line counts only of `sources`, the sources still configured.
  void AdoptCounts(const DeliveryStats& previous, const std::vector<std::string>& sources);

  // Adds every family (declared even when empty). `sources` get zero-valued
  // line counters so each result shows from the start.
  void WriteMetrics(const std::vector<std::string>& sources, MetricSet* out) const;

  // The class of a rejection's reply (cached by reply and DSN).
  RejectionClass Classify(const DeliveryEvent& event);

  // (mta, sending_ip, status, provider) -> count
  using DeliveryKey = std::tuple<std::string, std::string, std::string, std::string>;
  // (mta, sending_ip, provider, reason) -> count
  using RejectionKey = std::tuple<std::string, std::string, std::string, std::string>;
  std::map<DeliveryKey, uint64_t> deliveries() const;
  std::map<RejectionKey, uint64_t> rejections() const;
  const std::map<std::string, uint64_t>& cited_blocklists() const { return cited_; }
  // result -> count over all sources
  uint64_t lines(LineResult result) const;

 private:
  struct Histogram {
    std::array<uint64_t, kDelayBuckets.size()> buckets{};  // not cumulative
    uint64_t count = 0;
    double sum = 0;
  };
  // A view of a literal or of a sending_ips_seen_ key (stable while *this lives).
  std::string_view SendingIp(const DeliveryEvent& event);
  // `ip` interned in sending_ips_seen_ (or "unknown", or "other" past the cap).
  std::string_view SeenIp(std::string_view ip);
  // providers_->Lookup(relay host, recipient domain), cached by relay host.
  std::string_view Provider(const DeliveryEvent& event);
  // Label values as views of stable storage (literals, map keys/values), so a
  // set of them is identified by their pointers and sizes.
  using LabelIds = std::array<uintptr_t, 9>;
  template <typename Map>
  typename Map::mapped_type* Counter(Map* map, const LabelIds& ids,
                                     std::initializer_list<std::string_view> labels);

  const ProviderMap* providers_;
  const RejectionClassifier* classifier_;
  const SendingIpMap* postfix_ips_;
  // Keys are the label values joined by '\x1f' (hashing one string is much
  // cheaper per line than ordering tuples of strings).
  std::unordered_map<std::string, uint64_t> deliveries_;
  std::unordered_map<std::string, uint64_t> rejections_;
  std::map<std::string, uint64_t> cited_;
  std::unordered_map<std::string, Histogram> delays_;                  // mta, status
  std::map<std::string, std::array<uint64_t, 3>, std::less<>> lines_;  // source -> by result
  std::string key_;                                                    // scratch
  std::map<std::string, bool, std::less<>> sending_ips_seen_;

  // Per-line caches (a log repeats few label sets and reply texts): direct
  // mapped, a miss takes the slow path and refills the slot.
  static constexpr size_t kCacheSlots = 256;
  struct CounterSlot {
    LabelIds ids{};
    void* counter = nullptr;  // element of deliveries_, rejections_ or delays_
  };
  std::vector<CounterSlot> counter_cache_;
  static constexpr size_t kMaxCachedReplyBytes = 512;
  struct ReplySlot {
    bool used = false;
    std::string dsn;
    std::string reply;
    RejectionClass result;
  };
  std::vector<ReplySlot> reply_cache_;
  struct TextSlot {
    bool used = false;
    std::string key;
    std::string_view value;  // a literal, or storage of providers_ / sending_ips_seen_
  };
  std::vector<TextSlot> provider_cache_;    // relay host -> its provider (not the domain's)
  std::vector<TextSlot> postfix_ip_cache_;  // syslog tag -> SendingIp()
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_DELIVERY_STATS_H_
