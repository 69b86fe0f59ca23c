#include "exporter/http/connection_deadlines.h"

#include <sys/socket.h>

namespace mailrep {
namespace {

constexpr std::chrono::milliseconds kCheckInterval{200};

}  // namespace

ConnectionDeadlines::ConnectionDeadlines() : thread_([this] { Run(); }) {}

ConnectionDeadlines::~ConnectionDeadlines() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void ConnectionDeadlines::Add(Id id, int fd, Clock::time_point deadline) {
  std::lock_guard<std::mutex> lock(mu_);
  entries_[id] = Entry{fd, deadline};
}

void ConnectionDeadlines::Set(Id id, Clock::time_point deadline) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(id);
  if (it != entries_.end()) it->second.deadline = deadline;
}

void ConnectionDeadlines::Remove(Id id) {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.erase(id);
}

uint64_t ConnectionDeadlines::expired() const {
  std::lock_guard<std::mutex> lock(mu_);
  return expired_;
}

void ConnectionDeadlines::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, kCheckInterval, [this] { return stopping_; });
    Clock::time_point now = Clock::now();
    for (auto& [id, entry] : entries_) {
      if (entry.deadline > now) continue;
      // The owner still holds the descriptor open (Remove() comes first).
      shutdown(entry.fd, SHUT_RDWR);
      entry.deadline = kNone;
      ++expired_;
    }
  }
}

}  // namespace mailrep
