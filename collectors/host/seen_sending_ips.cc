#include "collectors/host/seen_sending_ips.h"

#include <algorithm>
#include <tuple>

#include "collectors/host/network_interfaces.h"

namespace mailrep {

SeenSendingIps::SeenSendingIps(size_t capacity, std::chrono::seconds retention)
    : capacity_(capacity), retention_(retention) {}

bool SeenSendingIps::Record(std::string_view ip, int64_t unix_seconds) {
  StatusOr<IpAddress> parsed = IpAddress::Parse(ip);
  if (!parsed.ok() || !IsPublicAddress(*parsed)) return false;
  std::string key = parsed->ToString();
  std::lock_guard lock(mu_);
  if (auto it = entries_.find(key); it != entries_.end()) {
    it->second.last_seen = std::max(it->second.last_seen, unix_seconds);
    return true;
  }
  if (entries_.size() >= capacity_) Expire(unix_seconds);
  if (entries_.size() >= capacity_) {
    ++dropped_;
    return false;
  }
  entries_.emplace(std::move(key), Entry{*parsed, unix_seconds, unix_seconds});
  return true;
}

void SeenSendingIps::Expire(int64_t now) {
  int64_t oldest_kept = now - retention_.count();
  std::erase_if(entries_, [&](const auto& item) { return item.second.last_seen < oldest_kept; });
}

std::vector<SeenSendingIps::Entry> SeenSendingIps::Recent(int64_t now,
                                                          std::chrono::seconds window) const {
  int64_t since = now - std::min(window, retention_).count();
  std::vector<Entry> out;
  {
    std::lock_guard lock(mu_);
    for (const auto& [key, entry] : entries_) {
      if (entry.last_seen >= since) out.push_back(entry);
    }
  }
  std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.first_seen, a.address) < std::tie(b.first_seen, b.address);
  });
  return out;
}

size_t SeenSendingIps::Size(int64_t now) const {
  int64_t oldest_kept = now - retention_.count();
  std::lock_guard lock(mu_);
  return static_cast<size_t>(std::count_if(entries_.begin(), entries_.end(), [&](const auto& item) {
    return item.second.last_seen >= oldest_kept;
  }));
}

uint64_t SeenSendingIps::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

}  // namespace mailrep
