#include "exporter/http/bounded_executor.h"

#include <algorithm>

namespace mailrep {

BoundedExecutor::BoundedExecutor(int threads) : capacity_(std::max(1, threads)) {
  threads_.reserve(capacity_);
  for (int i = 0; i < capacity_; ++i) threads_.emplace_back([this] { Work(); });
}

BoundedExecutor::~BoundedExecutor() { Shutdown(); }

bool BoundedExecutor::TrySubmit(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ || in_flight_ >= capacity_) return false;
    ++in_flight_;
    queue_.push_back(std::move(task));
  }
  cv_.notify_one();
  return true;
}

void BoundedExecutor::Shutdown() {
  std::lock_guard<std::mutex> joining(join_mu_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

int BoundedExecutor::InFlight() const {
  std::lock_guard<std::mutex> lock(mu_);
  return in_flight_;
}

void BoundedExecutor::Work() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and every accepted task has been taken
    std::function<void()> task = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    task();
    task = nullptr;  // destroy captures before the slot is given back
    lock.lock();
    --in_flight_;
  }
}

}  // namespace mailrep
