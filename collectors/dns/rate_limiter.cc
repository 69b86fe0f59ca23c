#include "collectors/dns/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace mailrep {

RateLimiter::RateLimiter(std::shared_ptr<const Clock> clock) : clock_(std::move(clock)) {}

void RateLimiter::SetRate(const std::string& key, double queries_per_second, double burst) {
  std::lock_guard<std::mutex> lock(mu_);
  Bucket& bucket = buckets_[key];
  bucket.rate = queries_per_second;
  bucket.burst = std::max(1.0, burst);
  bucket.tokens = bucket.burst;
  bucket.updated = clock_->SteadyNow();
  bucket.explicit_rate = true;
}

void RateLimiter::SetDefaultRate(double queries_per_second, double burst) {
  std::lock_guard<std::mutex> lock(mu_);
  default_rate_ = queries_per_second;
  default_burst_ = std::max(1.0, burst);
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    it = it->second.explicit_rate ? std::next(it) : buckets_.erase(it);
  }
}

bool RateLimiter::TryAcquire(std::string_view key, std::chrono::steady_clock::duration* wait) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (default_rate_ <= 0) return true;
    Bucket bucket;
    bucket.rate = default_rate_;
    bucket.burst = default_burst_;
    bucket.tokens = default_burst_;
    bucket.updated = clock_->SteadyNow();
    it = buckets_.emplace(std::string(key), bucket).first;
  }
  Bucket& bucket = it->second;
  if (bucket.rate <= 0) return true;
  SteadyTime now = clock_->SteadyNow();
  if (now > bucket.updated) {
    double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
    bucket.tokens = std::min(bucket.burst, bucket.tokens + elapsed * bucket.rate);
    bucket.updated = now;
  }
  // The epsilon absorbs floating-point drift in the refill sum.
  if (bucket.tokens >= 1 - 1e-9) {
    bucket.tokens = std::max(0.0, bucket.tokens - 1);
    return true;
  }
  double seconds = (1 - bucket.tokens) / bucket.rate;
  *wait = std::max<std::chrono::steady_clock::duration>(
      std::chrono::ceil<std::chrono::nanoseconds>(std::chrono::duration<double>(seconds)),
      std::chrono::nanoseconds(1));
  return false;
}

}  // namespace mailrep
