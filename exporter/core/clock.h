// Clock: where the exporter reads the time, so tests can set it.
//
// Two readings: steady time (monotonic; for rates, cache TTLs, due times,
// durations) and wall time (for ages and timestamps that are exported).
// Production code takes a Clock from its environment (CollectorEnv::clock,
// DnsEngine::Create, Scheduler, Exporter); Clock::Real() is the system's.
// Tests pass a FakeClock (exporter/core/fake_clock.h).
//
// One exception: a deadline that bounds real I/O or a real wait
// (CollectContext::deadline, ProbeRequest::deadline, a DNS lookup's or an HTTP
// fetch's deadline, a condition variable's wait) is real steady time,
// std::chrono::steady_clock::now() + budget, because the I/O waits in real
// time whatever a FakeClock says.
//
// Thread-safe: every implementation may be read from any thread at once.
#ifndef MAILREP_EXPORTER_CORE_CLOCK_H_
#define MAILREP_EXPORTER_CORE_CLOCK_H_

#include <chrono>
#include <cstdint>
#include <memory>

namespace mailrep {

// A point on the steady (monotonic) clock: deadlines, cache expiry, rates.
using SteadyTime = std::chrono::steady_clock::time_point;

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
