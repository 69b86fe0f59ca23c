// BoundedExecutor: a fixed number of worker threads for work that may block
// (probes, reloads, password hashing), which refuses work instead of queueing
// it when every thread is busy.
//
// TrySubmit() never blocks: it returns false at once when `threads` tasks are
// already accepted and unfinished, or once Shutdown() has begun; an accepted
// task always runs. Shutdown() (also run by the destructor) stops accepting,
// waits for the accepted tasks to finish and joins the threads; tasks that
// should end early must watch their own cancellation signal. A task must not
// call Shutdown() of its own executor. Thread-safe.
#ifndef MAILREP_EXPORTER_HTTP_BOUNDED_EXECUTOR_H_
#define MAILREP_EXPORTER_HTTP_BOUNDED_EXECUTOR_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace mailrep {

class BoundedExecutor {
 public:
  explicit BoundedExecutor(int threads);  // at least one thread
  ~BoundedExecutor();
  BoundedExecutor(const BoundedExecutor&) = delete;
  BoundedExecutor& operator=(const BoundedExecutor&) = delete;

  // Accepts `task` if a thread is free for it; false when all are busy or
  // the executor is shutting down.
  bool TrySubmit(std::function<void()> task);
  void Shutdown();

  int capacity() const { return capacity_; }
  // Accepted tasks not yet finished.
  int InFlight() const;

 private:
  void Work();

  const int capacity_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;  // guarded by mu_
  int in_flight_ = 0;                        // guarded by mu_
  bool stopping_ = false;                    // guarded by mu_
  std::mutex join_mu_;                       // held by Shutdown()
  std::vector<std::thread> threads_;         // guarded by join_mu_ after construction
};

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_HTTP_BOUNDED_EXECUTOR_H_
