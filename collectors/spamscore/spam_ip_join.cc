#include "collectors/spamscore/spam_ip_join.h"

#include "collectors/spamscore/spamscore_metrics.h"

namespace mailrep {
namespace {

const std::string kOther = "other";

}  // namespace

SpamIpJoin::SpamIpJoin(size_t max_pending, std::chrono::seconds max_age)
    : max_pending_(max_pending), max_age_(max_age) {}

void SpamIpJoin::Hold(const SpamVerdict& verdict, int64_t now) {
  uint64_t key = MessageIdKey(verdict.message_id);
  if (key == 0 || max_pending_ == 0) return;
  while (pending_.size() >= max_pending_) {
    pending_.pop_front();
    ++dropped_;
  }
  pending_.push_back({key, now, verdict.filter, verdict.action});
}

const std::string& SpamIpJoin::IpLabel(const std::string& ip) {
  if (ip.empty()) return kOther;
  auto it = ips_.find(ip);
  if (it != ips_.end()) return *it;
  if (ips_.size() >= kMaxIpSeries) return kOther;
  return *ips_.insert(ip).first;
}

void SpamIpJoin::Resolve(const MessageIdIndex& index, int64_t now) {
  std::deque<Held> kept;
  for (const Held& h : pending_) {
    if (std::optional<MessageIdIndex::Entry> e = index.FindKey(h.key, now)) {
      ++messages_[{h.filter, IpLabel(e->sending_ip), h.action}];
      ++joined_;
    } else if (h.held < now - max_age_.count()) {
      ++expired_;
    } else {
      kept.push_back(h);
    }
  }
  pending_ = std::move(kept);
}

void SpamIpJoin::WriteMetrics(MetricSet* out) const {
  out->Declare(kSpamMessagesBySendingIpFamily);
  for (const auto& [labels, count] : messages_) {
    const auto& [filter, ip, action] = labels;
    out->Add(kSpamMessagesBySendingIpFamily, {SpamFilterName(filter), ip, SpamActionName(action)},
             static_cast<double>(count));
  }
  out->Declare(kSpamVerdictJoinsFamily);
  out->Add(kSpamVerdictJoinsFamily, {"joined"}, static_cast<double>(joined_));
  out->Add(kSpamVerdictJoinsFamily, {"expired"}, static_cast<double>(expired_));
  out->Add(kSpamVerdictJoinsFamily, {"dropped"}, static_cast<double>(dropped_));
  out->Declare(kSpamVerdictsPendingFamily);
  out->Add(kSpamVerdictsPendingFamily, {}, static_cast<double>(pending_.size()));
}

}  // namespace mailrep
