// Clock: where the exporter reads the time, so tests can set it.
//
// Two readings: steady time (monotonic; for deadlines, rates, cache TTLs) and
// wall time (for ages and timestamps that are exported). Production code takes
// a Clock from its environment (CollectorEnv::clock, DnsEngine::Create) and
// never calls std::chrono::*_clock::now() itself; Clock::Real() is the
// system's. Tests pass a FakeClock (exporter/core/fake_clock.h).
//
// Thread-safe: every implementation may be read from any thread at once.
#ifndef MAILREP_EXPORTER_CORE_CLOCK_H_
#define MAILREP_EXPORTER_CORE_CLOCK_H_

#include <chrono>
#include <cstdint>
#include <memory>

namespace mailrep {

class Clock {
 public:
  virtual ~Clock() = default;

  virtual std::chrono::steady_clock::time_point SteadyNow() const = 0;
  virtual std::chrono::system_clock::time_point WallNow() const = 0;

  // WallNow() in whole seconds since the Unix epoch.
  int64_t UnixSeconds() const;

  // The system's clocks; one shared instance for the process.
  static const std::shared_ptr<const Clock>& Real();
};

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CORE_CLOCK_H_
