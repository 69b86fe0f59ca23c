// SpamIpJoin: the spamscore collector's join of filter verdicts to the
// sending IP the message left from, through the process's Message-ID index
// (collectors/delivery/message_id_index.h: filled from our own MTA logs, so
// every address it gives is one of ours).
//
// The filter scans a message before the MTA delivers it, so a verdict is
// held (Hold) until the delivery shows in the index; each collector run
// (Resolve) looks every held verdict up and counts those found by filter,
// sending IP and action. What is held: the Message-ID's 64-bit hash, the
// filter, the action and when it was held: never the Message-ID's text. The
// index has no lookup by queue id, so rspamd's qid is not used.
//
// Bounded: at most `max_pending` verdicts, each held for at most `max_age`
// (then counted expired); when full the oldest makes room (counted dropped).
// At most kMaxIpSeries distinct sending IPs get a series; later ones, and
// deliveries whose log line named no address, count as "other".
// Not thread-safe (one collector owns it; the index is thread-safe).
#ifndef MAILREP_COLLECTORS_SPAMSCORE_SPAM_IP_JOIN_H_
#define MAILREP_COLLECTORS_SPAMSCORE_SPAM_IP_JOIN_H_

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "collectors/delivery/message_id_index.h"
#include "collectors/spamscore/spam_verdict.h"
#include "exporter/core/metric_set.h"

namespace mailrep {

class SpamIpJoin {
 public:
  static constexpr size_t kDefaultMaxPending = 50000;
  static constexpr std::chrono::seconds kDefaultMaxAge = std::chrono::hours(1);
  static constexpr size_t kMaxIpSeries = 1024;

  explicit SpamIpJoin(size_t max_pending = kDefaultMaxPending,
                      std::chrono::seconds max_age = kDefaultMaxAge);

  // Holds `verdict` (parsed at `now`, Unix seconds) for Resolve; a verdict
  // without a usable Message-ID is not held.
  void Hold(const SpamVerdict& verdict, int64_t now);

  // Counts and releases the held verdicts whose Message-ID `index` knows at
  // `now`; then releases (as expired) those held longer than max_age.
  void Resolve(const MessageIdIndex& index, int64_t now);

  // mailrep_spam_messages_by_sending_ip_total, mailrep_spam_verdict_joins_total
  // and mailrep_spam_verdicts_pending.
  void WriteMetrics(MetricSet* out) const;

  size_t pending() const { return pending_.size(); }
  uint64_t joined() const { return joined_; }
  uint64_t expired() const { return expired_; }
  uint64_t dropped() const { return dropped_; }

 private:
  struct Held {
    uint64_t key;
    int64_t held;  // Unix seconds
    SpamFilter filter;
    SpamAction action;
  };
  // The sending_ip label: `ip` while under the series cap, else "other".
  const std::string& IpLabel(const std::string& ip);

  size_t max_pending_;
  std::chrono::seconds max_age_;
  std::deque<Held> pending_;  // oldest first
  std::set<std::string> ips_;
  std::map<std::tuple<SpamFilter, std::string, SpamAction>, uint64_t> messages_;
  uint64_t joined_ = 0;
  uint64_t expired_ = 0;
  uint64_t dropped_ = 0;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_SPAMSCORE_SPAM_IP_JOIN_H_
