// RateLimiter: one token bucket per key (a DNSBL zone), in queries/second, so
// sweeps stay inside each list's free-use volume. A bucket starts full, refills
// continuously at `queries_per_second` and holds at most `burst` tokens.
// Keys without a rate of their own use the default rate, which is unlimited
// until SetDefaultRate is called.
//
// Thread-safe.
#ifndef MAILREP_COLLECTORS_DNS_RATE_LIMITER_H_
#define MAILREP_COLLECTORS_DNS_RATE_LIMITER_H_

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "exporter/core/clock.h"

namespace mailrep {

class RateLimiter {
 public:
  explicit RateLimiter(std::shared_ptr<const Clock> clock = Clock::Real());
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Limits `key` to `queries_per_second` (> 0) with a bucket of `burst`
  // tokens (at least 1). queries_per_second <= 0 makes the key unlimited.
  // Resets the key's bucket to full.
  void SetRate(const std::string& key, double queries_per_second, double burst = 1);

  // The rate for keys without their own; queries_per_second <= 0 = unlimited.
  void SetDefaultRate(double queries_per_second, double burst = 1);

  // Takes one token for `key` and returns true, or returns false and sets
  // *wait to how long until a token will be available (nothing is taken).
  bool TryAcquire(std::string_view key, std::chrono::steady_clock::duration* wait);

 private:
  struct Bucket {
    double rate = 0;  // tokens per second; <= 0 = unlimited
    double burst = 1;
    double tokens = 1;
    SteadyTime updated;
    bool explicit_rate = false;
  };

  const std::shared_ptr<const Clock> clock_;
  std::mutex mu_;
  double default_rate_ = 0;
  double default_burst_ = 1;
  std::map<std::string, Bucket, std::less<>> buckets_;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNS_RATE_LIMITER_H_
