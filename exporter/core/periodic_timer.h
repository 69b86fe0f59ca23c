// PeriodicTimer: runs a task on a thread of its own each time a period has
// passed on a Clock, for housekeeping that must not ride on a request (the
// TLS-RPT intake's hourly spool retention pass, say). Unlike the Scheduler it
// has no jitter, timeout or snapshot: the task is plain work.
//
// Due times come from the Clock: the first run is one period after
// construction, each next one a period after the previous run ended. The
// thread waits in real time (clock.h) until the task is due by the Clock, but
// never longer than `poll` at once, so a FakeClock that moves is noticed
// within `poll`; tests may also call RunIfDue() themselves.
//
// Thread-safe. Stop() (or the destructor) wakes the thread and joins it; a
// run in progress finishes first, and the task never runs after Stop().
#ifndef MAILREP_EXPORTER_CORE_PERIODIC_TIMER_H_
#define MAILREP_EXPORTER_CORE_PERIODIC_TIMER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "exporter/core/clock.h"
#include "exporter/util/duration.h"

namespace mailrep {

class PeriodicTimer {
 public:
  // Starts the thread. `task` runs on it (or on a caller of RunIfDue), one
  // run at a time, and must not call back into this timer.
  PeriodicTimer(std::shared_ptr<const Clock> clock, Duration period, std::function<void()> task,
                Duration poll = std::chrono::minutes(1));
  ~PeriodicTimer();  // Stop()
  PeriodicTimer(const PeriodicTimer&) = delete;
  PeriodicTimer& operator=(const PeriodicTimer&) = delete;

  // Runs the task when it is due by the Clock and the timer is not stopped;
  // returns whether it ran.
  bool RunIfDue();
  // Idempotent; returns once the thread has ended.
  void Stop();
  // How many times the task has run.
  uint64_t runs() const;

 private:
  void Loop();

  const std::shared_ptr<const Clock> clock_;
  const Duration period_;
  const Duration poll_;
  const std::function<void()> task_;

  std::mutex run_mu_;      // held while the task runs: one run at a time
  std::mutex join_mu_;     // held while Stop() joins the thread
  mutable std::mutex mu_;  // guards the members below
  std::condition_variable cv_;
  SteadyTime due_;
  uint64_t runs_ = 0;
  bool stopped_ = false;

  std::thread thread_;  // last: starts once the members above are ready
};

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CORE_PERIODIC_TIMER_H_
