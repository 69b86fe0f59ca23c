#include "collectors/delivery/submitter_stats.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <map>
#include <string>
#include <utility>

#include "collectors/delivery/delivery_metrics.h"
#include "collectors/sketch/hash64.h"

namespace mailrep {
namespace {

// The per-run table's hash of a submitter.
uint64_t PendingHash(SubmitterKind kind, uint64_t name_hash) {
  return Mix64(name_hash + 0x9e3779b97f4a7c15ULL * (static_cast<uint64_t>(kind) + 1));
}

// The SubmitterDistincts key of a SubmitterKey as the sketches keep it.
uint64_t DistinctKey(std::string_view key) {
  return Hash64(key.substr(0, SpaceSaving::kDefaultMaxKeyBytes));
}

}  // namespace

SubmitterStats::SubmitterStats(SubmitterOptions options, std::shared_ptr<const Clock> clock)
    : options_(std::move(options)) {
  const std::pair<std::string_view, WindowSpec> specs[] = {{"1h", kHourWindow},
                                                           {"24h", kDayWindow}};
  for (size_t w = 0; w < windows_.size(); ++w) {
    windows_[w].name = specs[w].first;
    for (auto& sketch : windows_[w].sketches) {
      sketch =
          std::make_unique<Windowed<SpaceSaving>>(specs[w].second, clock, SpaceSaving(kCapacity));
    }
    windows_[w].distincts = std::make_unique<Windowed<SubmitterDistincts>>(specs[w].second, clock,
                                                                           SubmitterDistincts());
  }
}

uint64_t SubmitterStats::RecipientDomainHash(std::string_view address) {
  size_t at = address.rfind('@');
  if (at == std::string_view::npos || at + 1 == address.size()) return 0;
  std::string_view domain = address.substr(at + 1);
  char lower[255];
  size_t n = std::min(domain.size(), sizeof(lower));
  for (size_t i = 0; i < n; ++i) {
    char c = domain[i];
    lower[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return Hash64(std::string_view(lower, n));
}

void SubmitterStats::Add(SubmitterKind kind, std::string_view name, const Outcome& outcome) {
  Add(kind, name, kind == SubmitterKind::kUnknown ? 0 : Hash64(name), outcome);
}

void SubmitterStats::Add(SubmitterKind kind, std::string_view name, uint64_t name_hash,
                         const Outcome& outcome) {
  if (!outcome.message && !outcome.deferred && !outcome.bounced && !outcome.blocklist &&
      outcome.recipients == 0 && outcome.client_ip_hash == 0 &&
      outcome.recipient_domain_hash == 0) {
    return;
  }
  if (kind == SubmitterKind::kUnknown) {
    name = {};
    name_hash = 0;
  }
  if (pending_size_ >= kMaxPending || items_.size() >= kMaxPendingItems) Flush();
  if ((pending_size_ + 1) * 2 > pending_index_.size()) {
    pending_index_.assign(std::max<size_t>(64, pending_index_.size() * 2), 0);
    size_t mask = pending_index_.size() - 1;
    for (size_t e = 0; e < pending_size_; ++e) {
      size_t i = pending_[e].hash & mask;
      while (pending_index_[i] != 0) i = (i + 1) & mask;
      pending_index_[i] = static_cast<uint32_t>(e + 1);
    }
  }
  uint64_t hash = PendingHash(kind, name_hash);
  size_t mask = pending_index_.size() - 1;
  size_t i = hash & mask;
  Pending* p = nullptr;
  for (; pending_index_[i] != 0; i = (i + 1) & mask) {
    Pending& e = pending_[pending_index_[i] - 1];
    if (e.hash == hash && e.kind == kind && e.name == name) {
      p = &e;
      break;
    }
  }
  if (p == nullptr) {
    if (pending_size_ == pending_.size()) pending_.emplace_back();
    p = &pending_[pending_size_++];
    pending_index_[i] = static_cast<uint32_t>(pending_size_);
    p->hash = hash;
    p->kind = kind;
    p->name.assign(name);
    p->counts = {};
    p->last_client_ip = 0;
    p->last_domain = 0;
  }
  uint32_t entry = static_cast<uint32_t>(p - pending_.data());
  p->counts[kMessages] += outcome.message;
  p->counts[kDeferred] += outcome.deferred;
  p->counts[kBounced] += outcome.bounced;
  p->counts[kBlocklist] += outcome.blocklist;
  p->counts[kRecipients] += outcome.recipients;
  // A client-kind submitter is its one address.
  if (outcome.client_ip_hash != 0 && kind != SubmitterKind::kClient &&
      outcome.client_ip_hash != p->last_client_ip) {
    p->last_client_ip = outcome.client_ip_hash;
    items_.push_back({entry, false, outcome.client_ip_hash});
  }
  if (outcome.recipient_domain_hash != 0 && outcome.recipient_domain_hash != p->last_domain) {
    p->last_domain = outcome.recipient_domain_hash;
    items_.push_back({entry, true, outcome.recipient_domain_hash});
  }
}

void SubmitterStats::Flush() {
  if (pending_size_ == 0) return;
  std::array<std::array<SpaceSaving*, kCounts>, 2> buckets;
  std::array<SubmitterDistincts*, 2> distincts;
  for (size_t w = 0; w < windows_.size(); ++w) {
    for (int c = 0; c < kCounts; ++c) buckets[w][c] = &windows_[w].sketches[c]->Current();
    distincts[w] = &windows_[w].distincts->Current();
  }
  // The distinct keys of the pending submitters that have items (0: none).
  distinct_keys_.assign(pending_size_, 0);
  for (const Item& item : items_) distinct_keys_[item.pending] = 1;
  for (size_t e = 0; e < pending_size_; ++e) {
    const Pending& p = pending_[e];
    key_.assign(SubmitterKindName(p.kind));  // as SubmitterKey
    key_ += ':';
    key_ += p.name;
    for (size_t w = 0; w < windows_.size(); ++w) {
      for (int c = 0; c < kCounts; ++c) buckets[w][c]->Add(key_, p.counts[c]);
    }
    if (distinct_keys_[e] == 0) continue;
    uint64_t key = DistinctKey(key_);
    distinct_keys_[e] = key;
    for (SubmitterDistincts* d : distincts) d->Touch(key, p.counts[kMessages]);
  }
  for (const Item& item : items_) {
    for (SubmitterDistincts* d : distincts) {
      if (SubmitterDistincts::Entry* entry = d->Find(distinct_keys_[item.pending])) {
        (item.domain ? entry->recipient_domains : entry->client_ips).AddHash(item.hash);
      }
    }
  }
  pending_size_ = 0;
  items_.clear();
  std::fill(pending_index_.begin(), pending_index_.end(), 0);
}

void SubmitterStats::WriteMetrics(MetricSet* out) const {
  static constexpr const MetricFamily* kFamilies[kCounts] = {
      &kSubmitterMessagesFamily, &kSubmitterDeferredFamily, &kSubmitterBouncedFamily,
      &kSubmitterBlocklistFamily, &kSubmitterRecipientsFamily};
  for (const MetricFamily* f : kFamilies) out->Declare(*f);
  out->Declare(kSubmitterClientIpsFamily);
  out->Declare(kSubmitterRecipientDomainsFamily);
  struct Row {
    std::array<uint64_t, kCounts> counts{};
    bool other = false;
    uint64_t clients = 0;  // client-kind submitters in the row: 1 address each
    HyperLogLog client_ips{SubmitterDistincts::kPrecision};
    HyperLogLog recipient_domains{SubmitterDistincts::kPrecision};
  };
  for (const Window& w : windows_) {
    SpaceSaving merged[kCounts];
    for (int c = 0; c < kCounts; ++c) merged[c] = w.sketches[c]->Merged();
    std::vector<HeavyHitter> top = merged[kMessages].Top(static_cast<size_t>(options_.top));
    // (kind, label) -> values; labels may coincide (none, a hash collision).
    std::map<std::pair<std::string, std::string>, Row> rows;
    std::array<uint64_t, kCounts> listed{};
    for (const HeavyHitter& h : top) {
      auto [kind, name] = SplitSubmitterKey(h.key);
      Row& row =
          rows[{std::string(SubmitterKindName(kind)), SubmitterLabel(options_.labels, kind, name)}];
      for (int c = 0; c < kCounts; ++c) {
        SpaceSaving::Estimate e = merged[c].Find(h.key);
        uint64_t v = e.monitored ? e.count : 0;
        row.counts[c] += v;
        listed[c] += v;
      }
      row.clients += kind == SubmitterKind::kClient;
      uint64_t key = DistinctKey(h.key);
      w.distincts->ForEachLive([&](const SubmitterDistincts& bucket) {
        if (const SubmitterDistincts::Entry* d = bucket.Find(key)) {
          row.client_ips.Merge(d->client_ips);
          row.recipient_domains.Merge(d->recipient_domains);
        }
      });
    }
    Row& other = rows[{"other", "other"}];
    other.other = true;
    for (int c = 0; c < kCounts; ++c) {
      other.counts[c] = merged[c].total() > listed[c] ? merged[c].total() - listed[c] : 0;
    }
    for (const auto& [labels, row] : rows) {
      for (int c = 0; c < kCounts; ++c) {
        out->Add(*kFamilies[c], {w.name, labels.first, labels.second},
                 static_cast<double>(row.counts[c]));
      }
      if (row.other) continue;
      double ips = static_cast<double>(row.clients) + std::round(row.client_ips.Estimate());
      out->Add(kSubmitterClientIpsFamily, {w.name, labels.first, labels.second}, ips);
      out->Add(kSubmitterRecipientDomainsFamily, {w.name, labels.first, labels.second},
               std::round(row.recipient_domains.Estimate()));
    }
  }
}

void SubmitterStats::AdoptWindows(SubmitterStats& previous) {
  previous.Flush();
  std::swap(windows_, previous.windows_);
}

size_t SubmitterStats::MemoryBytes() const {
  size_t bytes = sizeof(*this) + pending_.capacity() * sizeof(Pending) +
                 pending_index_.capacity() * sizeof(uint32_t) + items_.capacity() * sizeof(Item) +
                 distinct_keys_.capacity() * sizeof(uint64_t);
  for (const Pending& p : pending_) bytes += p.name.capacity();
  for (const Window& w : windows_) {
    for (const auto& s : w.sketches) bytes += s->MemoryBytes();
    bytes += w.distincts->MemoryBytes();
  }
  return bytes;
}

}  // namespace mailrep
