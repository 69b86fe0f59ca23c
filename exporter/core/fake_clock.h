// FakeClock: a Clock for tests that moves only when told. Both readings start
// at the given points and Advance() moves them together.
//
// Thread-safe.
#ifndef MAILREP_EXPORTER_CORE_FAKE_CLOCK_H_
#define MAILREP_EXPORTER_CORE_FAKE_CLOCK_H_

#include <chrono>
#include <cstdint>
#include <mutex>

#include "exporter/core/clock.h"

namespace mailrep {

class FakeClock : public Clock {
 public:
  // Wall time `unix_seconds` after the epoch; steady time at an arbitrary
  // fixed point.
  explicit FakeClock(int64_t unix_seconds = 1700000000)
      : steady_(std::chrono::hours(1)), wall_(std::chrono::seconds(unix_seconds)) {}

  std::chrono::steady_clock::time_point SteadyNow() const override {
    std::lock_guard lock(mu_);
    return steady_;
  }
  std::chrono::system_clock::time_point WallNow() const override {
    std::lock_guard lock(mu_);
    return wall_;
  }

  void Advance(std::chrono::steady_clock::duration by) {
    std::lock_guard lock(mu_);
    steady_ += by;
    wall_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(by);
  }

 private:
  mutable std::mutex mu_;  // guards the members below
  std::chrono::steady_clock::time_point steady_;
  std::chrono::system_clock::time_point wall_;
};

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CORE_FAKE_CLOCK_H_
