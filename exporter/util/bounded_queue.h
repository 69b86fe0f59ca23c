// A bounded blocking FIFO between producer and consumer threads: Push blocks
// while `capacity` items wait, Pop blocks until an item is ready. Both give up
// when their std::stop_token is requested; Close() lets consumers drain what
// is left and then end. Thread-safe; items are moved in and out, never copied.
// Memory stays bounded by `capacity` items (callers batch small work items).
#ifndef MAILREP_EXPORTER_UTIL_BOUNDED_QUEUE_H_
#define MAILREP_EXPORTER_UTIL_BOUNDED_QUEUE_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <stop_token>
#include <utility>

namespace mailrep {

template <typename T>
class BoundedQueue {
 public:
  explicit BoundedQueue(size_t capacity) : capacity_(capacity) {}
  BoundedQueue(const BoundedQueue&) = delete;
  BoundedQueue& operator=(const BoundedQueue&) = delete;

  // Blocks while full; false when `stop` was requested meanwhile.
  bool Push(T&& item, std::stop_token stop) {
    std::unique_lock lock(mu_);
    if (!cv_.wait(lock, stop, [&] { return items_.size() < capacity_; })) return false;
    items_.push_back(std::move(item));
    cv_.notify_all();
    return true;
  }

  // Blocks until an item is ready; false once closed and drained, or stopped.
  bool Pop(T* item, std::stop_token stop) {
    std::unique_lock lock(mu_);
    if (!cv_.wait(lock, stop, [&] { return !items_.empty() || closed_; })) return false;
    if (items_.empty()) return false;
    *item = std::move(items_.front());
    items_.pop_front();
    cv_.notify_all();
    return true;
  }

  // No more Push calls; Pop returns false once the queue is empty.
  void Close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    cv_.notify_all();
  }

 private:
  const size_t capacity_;
  std::mutex mu_;
  std::condition_variable_any cv_;
  std::deque<T> items_;
  bool closed_ = false;
};

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_UTIL_BOUNDED_QUEUE_H_
