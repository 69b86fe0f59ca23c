#include "collectors/delivery/message_tracer.h"

#include <cstring>
#include <functional>

namespace mailrep {

namespace {

uint64_t QueueIdHash(std::string_view queue_id) {
  uint64_t h = std::hash<std::string_view>()(queue_id);
  // The splitmix64 finalizer: the table uses the low bits.
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  return h ^ (h >> 31);
}

}  // namespace

size_t MessageTracer::Probe(std::string_view queue_id, uint64_t hash) const {
  size_t mask = cells_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    uint32_t c = cells_[i];
    if (c == 0) return i;
    const Slot& s = slots_[c - 1];
    if (s.hash == hash && s.QueueId() == queue_id) return i;
  }
}

void MessageTracer::EraseCell(size_t i) {
  // Backward-shift deletion keeps every probe sequence unbroken.
  size_t mask = cells_.size() - 1;
  cells_[i] = 0;
  for (size_t j = (i + 1) & mask; cells_[j] != 0; j = (j + 1) & mask) {
    size_t home = slots_[cells_[j] - 1].hash & mask;
    // Move j's entry back to i when i lies cyclically in [home, j).
    if (((j - home) & mask) >= ((j - i) & mask)) {
      cells_[i] = cells_[j];
      cells_[j] = 0;
      i = j;
    }
  }
}

void MessageTracer::Grow() {
  std::vector<uint32_t> old = std::move(cells_);
  cells_.assign(old.empty() ? 64 : old.size() * 2, 0);
  size_t mask = cells_.size() - 1;
  for (uint32_t c : old) {
    if (c == 0) continue;
    size_t i = slots_[c - 1].hash & mask;
    while (cells_[i] != 0) i = (i + 1) & mask;
    cells_[i] = c;
  }
}

void MessageTracer::Unlink(uint32_t id) {
  Slot& s = slots_[id];
  (s.prev == kNone ? oldest_ : slots_[s.prev].next) = s.next;
  (s.next == kNone ? newest_ : slots_[s.next].prev) = s.prev;
}

void MessageTracer::Remove(size_t cell) {
  uint32_t id = cells_[cell] - 1;
  EraseCell(cell);
  Unlink(id);
  Slot& s = slots_[id];
  s.submitter.clear();
  s.client_ip.clear();
  s.sender_domain.clear();
  s.kind = LoggedSubmitterKind::kNone;
  s.flags = 0;
  free_.push_back(id);
  --live_;
}

void MessageTracer::Note(const MessageTrace& trace) {
  if (trace.empty()) return;
  std::string_view queue_id = trace.queue_id.substr(0, kMaxQueueIdBytes);
  uint64_t hash = QueueIdHash(queue_id);
  if (trace.removed) {
    if (live_ == 0) return;
    size_t cell = Probe(queue_id, hash);
    if (cells_[cell] != 0) Remove(cell);
    return;
  }
  if (max_pending_ == 0) return;
  if ((live_ + 1) * 2 > cells_.size()) Grow();
  size_t cell = Probe(queue_id, hash);
  uint32_t id;
  if (cells_[cell] != 0) {
    id = cells_[cell] - 1;
  } else {
    if (free_.empty()) {
      id = static_cast<uint32_t>(slots_.size());
      slots_.emplace_back();
    } else {
      id = free_.back();
      free_.pop_back();
    }
    Slot& s = slots_[id];
    s.hash = hash;
    s.key = 0;
    s.queue_id_size = static_cast<uint8_t>(queue_id.size());
    std::memcpy(s.queue_id, queue_id.data(), queue_id.size());
    s.prev = newest_;
    s.next = kNone;
    (newest_ == kNone ? oldest_ : slots_[newest_].next) = id;
    newest_ = id;
    cells_[cell] = id + 1;
    ++live_;
    while (live_ > max_pending_) {
      const Slot& old = slots_[oldest_];
      Remove(Probe(old.QueueId(), old.hash));
    }
  }
  Slot& s = slots_[id];
  if (!trace.message_id.empty()) s.key = MessageIdKey(trace.message_id);
  if (!trace.submitter.empty()) {
    s.submitter.assign(trace.submitter.substr(0, MessageIdIndex::kMaxSubmitterBytes));
    s.kind = trace.submitter_kind;
  }
  if (!trace.client_ip.empty()) s.client_ip.assign(trace.client_ip.substr(0, kMaxClientIpBytes));
  if (!trace.sender_domain.empty()) {
    s.sender_domain.assign(trace.sender_domain.substr(0, kMaxDomainBytes));
    for (char& c : s.sender_domain) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
  }
}

std::optional<MessageTracer::Origin> MessageTracer::OriginOf(std::string_view queue_id) const {
  if (live_ == 0 || queue_id.empty()) return std::nullopt;
  queue_id = queue_id.substr(0, kMaxQueueIdBytes);
  size_t cell = Probe(queue_id, QueueIdHash(queue_id));
  if (cells_[cell] == 0) return std::nullopt;
  const Slot& s = slots_[cells_[cell] - 1];
  return Origin{s.kind, s.submitter, s.client_ip, s.sender_domain};
}

bool MessageTracer::MarkOnce(std::string_view queue_id, uint8_t flag) {
  if (live_ == 0 || queue_id.empty()) return true;
  queue_id = queue_id.substr(0, kMaxQueueIdBytes);
  size_t cell = Probe(queue_id, QueueIdHash(queue_id));
  if (cells_[cell] == 0) return true;
  Slot& s = slots_[cells_[cell] - 1];
  if (s.flags & flag) return false;
  s.flags |= flag;
  return true;
}

void MessageTracer::OnDelivery(const DeliveryEvent& event, std::string_view sending_ip,
                               MessageIdIndex& index, int64_t now) {
  if (event.status != DeliveryStatus::kSent || event.queue_id.empty() || live_ == 0) return;
  std::string_view queue_id = std::string_view(event.queue_id).substr(0, kMaxQueueIdBytes);
  size_t cell = Probe(queue_id, QueueIdHash(queue_id));
  if (cells_[cell] == 0) return;
  const Slot& s = slots_[cells_[cell] - 1];
  if (s.key == 0) return;
  if (batch_size_ == batch_.size()) batch_.emplace_back();
  MessageIdIndex::Addition& a = batch_[batch_size_++];
  a.key = s.key;
  a.now = now;
  a.sending_ip.assign(sending_ip);
  a.queue_id.assign(queue_id);
  a.submitter.assign(s.submitter);
  if (batch_size_ >= kMaxBatch) Flush(index);
}

void MessageTracer::Flush(MessageIdIndex& index) {
  if (batch_size_ == 0) return;
  index.AddAll(std::span<const MessageIdIndex::Addition>(batch_.data(), batch_size_));
  batch_size_ = 0;
}

}  // namespace mailrep
