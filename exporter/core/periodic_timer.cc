#include "exporter/core/periodic_timer.h"

#include <algorithm>
#include <utility>

namespace mailrep {

PeriodicTimer::PeriodicTimer(std::shared_ptr<const Clock> clock, Duration period,
                             std::function<void()> task, Duration poll)
    : clock_(std::move(clock)),
      period_(period),
      poll_(std::max<Duration>(poll, std::chrono::milliseconds(1))),
      task_(std::move(task)),
      due_(clock_->SteadyNow() + period_),
      thread_([this] { Loop(); }) {}

PeriodicTimer::~PeriodicTimer() { Stop(); }

void PeriodicTimer::Loop() {
  std::unique_lock lock(mu_);
  while (!stopped_) {
    Duration wait = std::clamp<Duration>(
        std::chrono::duration_cast<Duration>(due_ - clock_->SteadyNow()), Duration(0), poll_);
    if (cv_.wait_for(lock, wait, [this] { return stopped_; })) break;
    lock.unlock();
    RunIfDue();
    lock.lock();
  }
}

bool PeriodicTimer::RunIfDue() {
  std::lock_guard run(run_mu_);
  {
    std::lock_guard lock(mu_);
    if (stopped_ || clock_->SteadyNow() < due_) return false;
  }
  task_();
  std::lock_guard lock(mu_);
  due_ = clock_->SteadyNow() + period_;
  ++runs_;
  return true;
}

void PeriodicTimer::Stop() {
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
  }
  cv_.notify_all();
  {
    std::lock_guard join(join_mu_);  // a concurrent Stop() waits here too
    if (thread_.joinable()) thread_.join();
  }
  // A run a RunIfDue() caller started before Stop() finishes first.
  std::lock_guard run(run_mu_);
}

uint64_t PeriodicTimer::runs() const {
  std::lock_guard lock(mu_);
  return runs_;
}

}  // namespace mailrep
