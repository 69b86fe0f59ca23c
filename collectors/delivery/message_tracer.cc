#include "collectors/delivery/message_tracer.h"

#include <cstring>

#include "collectors/sketch/hash64.h"

namespace mailrep {

namespace {

// Queue ids are short (Postfix 10 to 17 characters, Exim 16 or 23): up to 16
// bytes are read as two overlapping words, folded by one 128-bit multiply
// and mixed (Mix64: the table uses the low bits); longer ones go to Hash64.
// It runs four times per message, inline.
inline uint64_t QueueIdHash(std::string_view queue_id) {
  size_t n = queue_id.size();
  if (n > 16) return Hash64(queue_id);
  const char* p = queue_id.data();
  uint64_t lo = 0, hi = 0;
  if (n >= 8) {
    std::memcpy(&lo, p, 8);
    std::memcpy(&hi, p + n - 8, 8);
  } else if (n >= 4) {
    uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    lo = a;
    hi = b;
  } else {
    for (size_t i = 0; i < n; ++i) lo = lo << 8 | static_cast<unsigned char>(p[i]);
  }
  unsigned __int128 m = static_cast<unsigned __int128>(lo ^ 0x9e3779b97f4a7c15ULL) *
                        (hi ^ 0xc2b2ae3d27d4eb4fULL ^ (n << 56));
  return Mix64(static_cast<uint64_t>(m) ^ static_cast<uint64_t>(m >> 64));
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
  s.submitter_hash = 0;
  s.client_ip_hash = 0;
  s.flags = 0;
  s.deferred_size = 0;
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
    s.submitter_hash = Hash64(s.submitter);
    s.kind = trace.submitter_kind;
  }
  if (!trace.client_ip.empty()) {
    s.client_ip.assign(trace.client_ip.substr(0, kMaxClientIpBytes));
    s.client_ip_hash = Hash64(s.client_ip);
  }
  if (!trace.sender_domain.empty()) {
    s.sender_domain.assign(trace.sender_domain.substr(0, kMaxDomainBytes));
    for (char& c : s.sender_domain) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
  }
}

const MessageTracer::Slot* MessageTracer::FindSlot(std::string_view queue_id) const {
  if (live_ == 0 || queue_id.empty()) return nullptr;
  queue_id = queue_id.substr(0, kMaxQueueIdBytes);
  size_t cell = Probe(queue_id, QueueIdHash(queue_id));
  return cells_[cell] == 0 ? nullptr : &slots_[cells_[cell] - 1];
}

std::optional<MessageTracer::Origin> MessageTracer::OriginOf(std::string_view queue_id) const {
  const Slot* s = FindSlot(queue_id);
  if (s == nullptr) return std::nullopt;
  return Origin{s->kind, s->submitter, s->client_ip, s->sender_domain};
}

bool MessageTracer::MarkOnce(std::string_view queue_id, uint8_t flag) {
  Pending p = Find(queue_id);
  return !p || p.MarkOnce(flag);
}

MessageTracer::Pending MessageTracer::Find(std::string_view queue_id) {
  Pending p;
  p.slot_ = const_cast<Slot*>(FindSlot(queue_id));
  return p;
}

MessageTracer::Origin MessageTracer::Pending::origin() const {
  return Origin{slot_->kind, slot_->submitter, slot_->client_ip, slot_->sender_domain};
}

uint64_t MessageTracer::Pending::submitter_hash() const { return slot_->submitter_hash; }
uint64_t MessageTracer::Pending::client_ip_hash() const { return slot_->client_ip_hash; }

bool MessageTracer::Pending::MarkOnce(uint8_t flag) {
  if (slot_->flags & flag) return false;
  slot_->flags |= flag;
  return true;
}

bool MessageTracer::Pending::FirstOutcome(std::string_view recipient, bool deferred) {
  Slot& s = *slot_;
  if (!deferred && s.deferred_size == 0) return true;  // the common case: no hash
  uint32_t recipient_hash = static_cast<uint32_t>(Hash64(recipient));
  for (uint8_t i = 0; i < s.deferred_size; ++i) {
    if (s.deferred[i] != recipient_hash) continue;
    if (!deferred) s.deferred[i] = s.deferred[--s.deferred_size];
    return false;
  }
  if (!deferred) return true;
  if (s.deferred_size == kMaxDeferredRecipients) return false;  // counted when final
  s.deferred[s.deferred_size++] = recipient_hash;
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
