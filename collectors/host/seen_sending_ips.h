// SeenSendingIps: the local addresses this host's MTAs recently sent mail
// from, as the delivery collector reads them in the logs ("our own IPs" seen
// at work, beside the configured senders).
//
// The exporter owns one store for the process and keeps it across reloads;
// collectors get it through CollectorEnv::seen_sending_ips. The delivery
// collector records; the dnsbl collector (collectors.dnsbl.seen_senders)
// reads Recent() to add the addresses as targets.
//
// Only public addresses are kept (IsPublicAddress, network_interfaces.h:
// global unicast, not loopback, private, shared, link-local, documentation
// or otherwise reserved): a blocklist never lists the others, so checking
// them is noise. Record() ignores the rest without counting them.
//
// Bounded: at most `capacity` addresses, each dropped once it has not been
// seen for `retention` (the longest window a reader may ask for). When the
// store is full, expired addresses make room first; if none has expired, the
// new address is not kept and counts in dropped() (a live address is never
// evicted, so readers' target sets do not churn; a dropped address gets in
// at its next delivery after a slot frees). Times are Unix seconds from the
// caller's Clock.
//
// Thread-safe: every method may be called from any thread at once.
#ifndef MAILREP_COLLECTORS_HOST_SEEN_SENDING_IPS_H_
#define MAILREP_COLLECTORS_HOST_SEEN_SENDING_IPS_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/util/ip_network.h"

namespace mailrep {

class SeenSendingIps {
 public:
  static constexpr size_t kDefaultCapacity = 1024;
  static constexpr std::chrono::seconds kDefaultRetention = std::chrono::hours(24 * 7);

  explicit SeenSendingIps(size_t capacity = kDefaultCapacity,
                          std::chrono::seconds retention = kDefaultRetention);

  // Notes that mail left from `ip` (any IP text; canonicalized) at
  // `unix_seconds`. Returns true when the address is kept (new or refreshed);
  // false when it is not an IP, not public, or dropped because the store is
  // full.
  bool Record(std::string_view ip, int64_t unix_seconds);

  struct Entry {
    IpAddress address;
    int64_t first_seen = 0;  // Unix seconds; kept while the address stays in the store
    int64_t last_seen = 0;
  };
  // The addresses last seen within `window` before `now` (last_seen >= now -
  // window), first seen first (ties by address), so a reader that takes the
  // first N keeps the same N while they keep sending.
  std::vector<Entry> Recent(int64_t now, std::chrono::seconds window) const;

  // Addresses held (seen within the retention) at `now`.
  size_t Size(int64_t now) const;
  // New addresses not kept because the store was full, since it was made.
  uint64_t dropped() const;
  size_t capacity() const { return capacity_; }
  std::chrono::seconds retention() const { return retention_; }

 private:
  // Forgets the addresses not seen since `now` - retention. Needs mu_.
  void Expire(int64_t now);

  const size_t capacity_;
  const std::chrono::seconds retention_;
  mutable std::mutex mu_;                              // guards the members below
  std::map<std::string, Entry, std::less<>> entries_;  // canonical text -> entry
  uint64_t dropped_ = 0;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_HOST_SEEN_SENDING_IPS_H_
