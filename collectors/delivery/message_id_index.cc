#include "collectors/delivery/message_id_index.h"

#include <algorithm>
#include <cstring>

namespace mailrep {
namespace {

constexpr size_t kMaxMessageIdBytes = 998;  // RFC 5322's line limit

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// FNV-1a, 64 bits.
uint64_t Hash(std::string_view text) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

namespace {

// The normalized Message-ID's two parts: `left` kept as written, `right`
// (after the last '@', empty without one) to lower-case. False when `text`
// cannot be one (see NormalizeMessageId).
bool SplitMessageId(std::string_view text, std::string_view* left, std::string_view* right,
                    bool* has_at) {
  text = Trim(text);
  if (!text.empty() && text.front() == '<') {
    size_t close = text.find('>');
    if (close == std::string_view::npos) return false;
    text = Trim(text.substr(1, close - 1));
  }
  if (text.empty() || text.size() > kMaxMessageIdBytes) return false;
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '<' || c == '>') return false;
  }
  size_t at = text.rfind('@');
  *has_at = at != std::string_view::npos;
  *left = *has_at ? text.substr(0, at) : text;
  *right = *has_at ? text.substr(at + 1) : std::string_view();
  return true;
}

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::optional<std::string> NormalizeMessageId(std::string_view text) {
  std::string_view left, right;
  bool has_at;
  if (!SplitMessageId(text, &left, &right, &has_at)) return std::nullopt;
  std::string out(left);
  if (has_at) {
    out += '@';
    for (char c : right) out += Lower(c);
  }
  return out;
}

uint64_t MessageIdKey(std::string_view text) {
  std::string_view left, right;
  bool has_at;
  if (!SplitMessageId(text, &left, &right, &has_at)) return 0;
  // FNV-1a over NormalizeMessageId(text), without building it.
  uint64_t h = Hash(left);
  if (has_at) {
    auto step = [&h](char c) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ull;
    };
    step('@');
    for (char c : right) step(Lower(c));
  }
  return h == 0 ? 1 : h;
}

MessageIdIndex::MessageIdIndex(size_t capacity, std::chrono::seconds max_age)
    : capacity_(capacity), max_age_(max_age), strings_(1) {}

void MessageIdIndex::SetLimits(size_t capacity, std::chrono::seconds max_age) {
  std::lock_guard lock(mu_);
  capacity_ = capacity;
  max_age_ = max_age;
  while (slots_.size() > capacity_) DropOldest();
  if (slots_.empty()) std::vector<Cell>().swap(cells_);
}

uint32_t MessageIdIndex::Intern(std::string_view text) {
  if (text.empty()) return 0;
  auto it = string_ids_.find(text);
  uint32_t id;
  if (it != string_ids_.end()) {
    id = it->second;
  } else {
    if (!free_strings_.empty()) {
      id = free_strings_.back();
      free_strings_.pop_back();
      strings_[id].text.assign(text);
    } else {
      id = static_cast<uint32_t>(strings_.size());
      strings_.push_back({std::string(text), 0});
    }
    string_ids_.emplace(std::string(text), id);
  }
  ++strings_[id].refs;
  return id;
}

void MessageIdIndex::Release(uint32_t id) {
  if (id == 0 || --strings_[id].refs > 0) return;
  string_ids_.erase(strings_[id].text);
  std::string().swap(strings_[id].text);
  free_strings_.push_back(id);
}

size_t MessageIdIndex::Home(uint64_t key) const {
  // The splitmix64 finalizer: FNV's low bits alone spread poorly.
  key ^= key >> 30;
  key *= 0xbf58476d1ce4e5b9ull;
  key ^= key >> 27;
  key *= 0x94d049bb133111ebull;
  key ^= key >> 31;
  return static_cast<size_t>(key) & (cells_.size() - 1);
}

size_t MessageIdIndex::Probe(uint64_t key) const {
  size_t mask = cells_.size() - 1;
  size_t i = Home(key);
  while (cells_[i].key != 0 && cells_[i].key != key) i = (i + 1) & mask;
  return i;
}

void MessageIdIndex::EraseCell(size_t i) {
  // Backward-shift deletion: later cells of the run that may move up do.
  size_t mask = cells_.size() - 1;
  size_t j = i;
  while (true) {
    j = (j + 1) & mask;
    if (cells_[j].key == 0) break;
    size_t home = Home(cells_[j].key);
    // Moves when its home is not within (i, j], cyclically.
    bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
    if (stays) continue;
    cells_[i] = cells_[j];
    i = j;
  }
  cells_[i].key = 0;
}

void MessageIdIndex::Grow() {
  std::vector<Cell> old = std::move(cells_);
  cells_.assign(old.empty() ? 1024 : old.size() * 2, Cell{0, 0});
  for (const Cell& c : old) {
    if (c.key != 0) cells_[Probe(c.key)] = c;
  }
}

void MessageIdIndex::DropOldest() {
  const Slot& s = slots_.front();
  EraseCell(Probe(s.key));
  Release(s.ip);
  Release(s.submitter);
  slots_.pop_front();
  ++first_seq_;
}

void MessageIdIndex::Trim(int64_t now) {
  int64_t oldest_kept = now - max_age_.count();
  while (!slots_.empty() && slots_.front().added < oldest_kept) DropOldest();
}

MessageIdIndex::Slot* MessageIdIndex::FindSlot(uint64_t key) {
  if (cells_.empty()) return nullptr;
  const Cell& c = cells_[Probe(key)];
  return c.key == 0 ? nullptr : &slots_[c.seq - first_seq_];
}

void MessageIdIndex::Add(uint64_t key, std::string_view sending_ip, std::string_view queue_id,
                         std::string_view submitter, int64_t now) {
  std::lock_guard lock(mu_);
  AddLocked(key, sending_ip, queue_id, submitter, now);
}

void MessageIdIndex::AddAll(std::span<const Addition> additions) {
  std::lock_guard lock(mu_);
  for (const Addition& a : additions) {
    AddLocked(a.key, a.sending_ip, a.queue_id, a.submitter, a.now);
  }
}

void MessageIdIndex::AddLocked(uint64_t key, std::string_view sending_ip, std::string_view queue_id,
                               std::string_view submitter, int64_t now) {
  if (key == 0 || capacity_ == 0) return;
  queue_id = queue_id.substr(0, kMaxQueueIdBytes);
  submitter = submitter.substr(0, kMaxSubmitterBytes);
  Trim(now);
  Slot* slot = FindSlot(key);
  if (slot == nullptr) {
    if (slots_.size() >= capacity_) {
      DropOldest();
      ++evicted_;
    }
    if ((slots_.size() + 1) * 4 > cells_.size() * 3) Grow();
    cells_[Probe(key)] = Cell{key, first_seq_ + slots_.size()};
    slot = &slots_.emplace_back();
    slot->key = key;
    slot->added = now;
  } else {
    Release(slot->ip);
    Release(slot->submitter);
  }
  slot->ip = Intern(sending_ip);
  slot->submitter = Intern(submitter);
  slot->queue_id_size = static_cast<uint8_t>(queue_id.size());
  std::memcpy(slot->queue_id, queue_id.data(), queue_id.size());
}

std::optional<MessageIdIndex::Entry> MessageIdIndex::Find(std::string_view message_id,
                                                          int64_t now) const {
  return FindKey(MessageIdKey(message_id), now);
}

std::optional<MessageIdIndex::Entry> MessageIdIndex::FindKey(uint64_t key, int64_t now) const {
  if (key == 0) return std::nullopt;
  std::lock_guard lock(mu_);
  if (cells_.empty()) return std::nullopt;
  const Cell& c = cells_[Probe(key)];
  if (c.key == 0) return std::nullopt;
  const Slot& s = slots_[c.seq - first_seq_];
  if (s.added < now - max_age_.count()) return std::nullopt;
  return Entry{strings_[s.ip].text, std::string(s.queue_id, s.queue_id_size),
               strings_[s.submitter].text, s.added};
}

size_t MessageIdIndex::Size(int64_t now) {
  std::lock_guard lock(mu_);
  Trim(now);
  return slots_.size();
}

uint64_t MessageIdIndex::evicted() const {
  std::lock_guard lock(mu_);
  return evicted_;
}

size_t MessageIdIndex::ApproximateBytes() const {
  std::lock_guard lock(mu_);
  size_t bytes = slots_.size() * sizeof(Slot) + cells_.size() * sizeof(Cell);
  for (const Interned& s : strings_) bytes += sizeof(Interned) + s.text.capacity() + 64;
  return bytes;
}

}  // namespace mailrep
