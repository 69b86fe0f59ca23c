// ConnectionDeadlines: closes connections whose client is too slow to send a
// request (slowloris), which an inactivity timeout alone cannot catch because
// each trickled byte counts as activity.
//
// The HTTP server registers each connection's socket with a deadline, clears
// the deadline while it serves a request and sets a new one after each
// response. A background thread checks a few times a second and calls
// shutdown(SHUT_RDWR) on the socket of every connection past its deadline, so
// the server's own event loop sees the socket fail and closes the connection
// as usual. The socket is never closed here; Remove() must run before its
// owner closes it (so a reused descriptor is never touched). Thread-safe.
#ifndef MAILREP_EXPORTER_HTTP_CONNECTION_DEADLINES_H_
#define MAILREP_EXPORTER_HTTP_CONNECTION_DEADLINES_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace mailrep {

class ConnectionDeadlines {
 public:
  using Clock = std::chrono::steady_clock;
  using Id = const void*;
  static constexpr Clock::time_point kNone = Clock::time_point::max();

  ConnectionDeadlines();  // starts the checking thread
  ~ConnectionDeadlines();
  ConnectionDeadlines(const ConnectionDeadlines&) = delete;
  ConnectionDeadlines& operator=(const ConnectionDeadlines&) = delete;

  void Add(Id id, int fd, Clock::time_point deadline);
  // Replaces the deadline of a registered connection (kNone: no deadline).
  void Set(Id id, Clock::time_point deadline);
  void Remove(Id id);

  // Connections shut down so far.
  uint64_t expired() const;

 private:
  struct Entry {
    int fd;
    Clock::time_point deadline;
  };
  void Run();

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::unordered_map<Id, Entry> entries_;  // guarded by mu_
  uint64_t expired_ = 0;                   // guarded by mu_
  bool stopping_ = false;                  // guarded by mu_
  std::thread thread_;
};

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_HTTP_CONNECTION_DEADLINES_H_
