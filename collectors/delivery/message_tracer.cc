#include "collectors/delivery/message_tracer.h"

namespace mailrep {

void MessageTracer::Note(const MessageTrace& trace) {
  if (trace.empty()) return;
  if (trace.removed) {
    pending_.erase(std::string(trace.queue_id));
    // Stale order_ entries go when they reach the front, or here when they
    // outnumber the live ones.
    if (order_.size() > 2 * pending_.size() + 1024) {
      std::erase_if(order_, [&](const auto& item) {
        auto it = pending_.find(item.second);
        return it == pending_.end() || it->second.seq != item.first;
      });
    }
    return;
  }
  if (max_pending_ == 0) return;
  auto [it, added] = pending_.try_emplace(std::string(trace.queue_id));
  Pending& p = it->second;
  if (!trace.message_id.empty()) p.key = MessageIdKey(trace.message_id);
  if (!trace.submitter.empty()) {
    p.submitter.assign(trace.submitter.substr(0, MessageIdIndex::kMaxSubmitterBytes));
  }
  if (!added) return;
  p.seq = next_seq_++;
  order_.emplace_back(p.seq, it->first);
  while (pending_.size() > max_pending_ && !order_.empty()) {
    auto& [seq, queue_id] = order_.front();
    auto old = pending_.find(queue_id);
    if (old != pending_.end() && old->second.seq == seq) pending_.erase(old);
    order_.pop_front();
  }
}

void MessageTracer::OnDelivery(const DeliveryEvent& event, std::string_view sending_ip,
                               MessageIdIndex& index, int64_t now) {
  if (event.status != DeliveryStatus::kSent || event.queue_id.empty()) return;
  auto it = pending_.find(event.queue_id);
  if (it == pending_.end() || it->second.key == 0) return;
  index.Add(it->second.key, sending_ip, event.queue_id, it->second.submitter, now);
}

}  // namespace mailrep
