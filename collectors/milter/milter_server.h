// MilterServer: the listening side of the observe-only milter. Accepts MTA
// connections on a unix socket ("unix:/path") or a TCP address
// ("inet:127.0.0.1:8895", "[::1]:8895"; port 0 picks a free one), runs one
// MilterSession per connection on its own thread, and hands every ended
// message to `on_message` on that thread, after the MTA has its ACCEPT — so
// the analysis never delays mail. At most `max_connections` at once (more
// are closed at once and counted: the MTA then applies its default action,
// accept); a connection idle over `idle_timeout` is closed. Stopping (the
// destructor) closes the listener and every connection and joins the
// threads; a unix socket file is removed. Thread-safe counters.
#ifndef MAILREP_COLLECTORS_MILTER_MILTER_SERVER_H_
#define MAILREP_COLLECTORS_MILTER_MILTER_SERVER_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "collectors/milter/milter_protocol.h"
#include "exporter/util/status.h"

namespace mailrep {

struct MilterServerOptions {
  std::string listen;
  MilterBudget budget;
  size_t max_connections = 64;
  std::chrono::milliseconds idle_timeout{300000};
  size_t max_packet_bytes = 2 << 20;
};

struct MilterServerCounts {
  uint64_t connections = 0;      // accepted
  uint64_t refused = 0;          // over max_connections
  uint64_t protocol_errors = 0;  // bad framing or negotiation
  size_t open = 0;
};

// Checks a listen address's form: "" when good, else why not.
std::string MilterListenError(const std::string& listen);

class MilterServer {
 public:
  using OnMessage = std::function<void(MilterMessageEvent&&)>;
  [[nodiscard]] static StatusOr<std::unique_ptr<MilterServer>> Start(MilterServerOptions options,
                                                                     OnMessage on_message);
  ~MilterServer();
  MilterServer(const MilterServer&) = delete;
  MilterServer& operator=(const MilterServer&) = delete;

  // "unix:/path" or "inet:127.0.0.1:PORT" with the port bound.
  const std::string& address() const { return address_; }
  MilterServerCounts Counts() const;

 private:
  struct Connection {
    int fd = -1;
    std::thread thread;
    std::atomic<bool> done{false};
  };
  MilterServer(MilterServerOptions options, OnMessage on_message)
      : options_(std::move(options)), on_message_(std::move(on_message)) {}
  void AcceptLoop();
  void Serve(Connection* c);
  void Reap(bool all);

  MilterServerOptions options_;
  OnMessage on_message_;
  std::string address_;
  std::string unix_path_;
  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  mutable std::mutex mu_;
  std::list<Connection> connections_;  // guarded by mu_
  MilterServerCounts counts_;          // guarded by mu_
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_MILTER_MILTER_SERVER_H_
