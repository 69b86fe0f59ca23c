// Monotonic time for the DNS engine's parts (RateLimiter, DnsCache),
// injectable so tests control it. DnsEngine feeds its RateLimiter the
// environment's Clock (exporter/core/clock.h).
#ifndef MAILREP_COLLECTORS_DNS_CLOCK_H_
#define MAILREP_COLLECTORS_DNS_CLOCK_H_

#include <chrono>
#include <functional>

namespace mailrep {

using SteadyTime = std::chrono::steady_clock::time_point;

// Returns the current steady time. Must be callable from any thread.
using NowFunction = std::function<SteadyTime()>;

inline NowFunction SystemSteadyNow() {
  return [] { return std::chrono::steady_clock::now(); };
}

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNS_CLOCK_H_
