#include "collectors/milter/milter_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "exporter/core/log.h"

namespace mailrep {
namespace {

struct ListenAddress {
  bool unix_socket = false;
  std::string path;  // unix
  std::string host;  // inet
  uint16_t port = 0;
};

std::optional<ListenAddress> ParseListen(const std::string& listen, std::string* why) {
  ListenAddress a;
  std::string_view s = listen;
  if (s.rfind("unix:", 0) == 0) {
    a.unix_socket = true;
    a.path = std::string(s.substr(5));
    if (a.path.empty() || a.path.front() != '/') {
      *why = "a unix socket needs an absolute path, unix:/run/...";
      return std::nullopt;
    }
    if (a.path.size() >= sizeof(sockaddr_un::sun_path)) {
      *why = "the unix socket path is too long";
      return std::nullopt;
    }
    return a;
  }
  if (s.rfind("inet:", 0) == 0) s.remove_prefix(5);
  if (s.rfind("inet6:", 0) == 0) s.remove_prefix(6);
  size_t colon = s.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    *why = "give unix:/path or host:port (inet:127.0.0.1:8895)";
    return std::nullopt;
  }
  std::string_view host = s.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  a.host = std::string(host);
  std::string port(s.substr(colon + 1));
  char* end = nullptr;
  long p = std::strtol(port.c_str(), &end, 10);
  if (port.empty() || *end != '\0' || p < 0 || p > 65535) {
    *why = "bad port";
    return std::nullopt;
  }
  a.port = static_cast<uint16_t>(p);
  in6_addr a6;
  in_addr a4;
  if (inet_pton(AF_INET, a.host.c_str(), &a4) != 1 &&
      inet_pton(AF_INET6, a.host.c_str(), &a6) != 1) {
    *why = "the host must be an IP address";
    return std::nullopt;
  }
  return a;
}

bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

std::string MilterListenError(const std::string& listen) {
  std::string why;
  return ParseListen(listen, &why) ? "" : why;
}

StatusOr<std::unique_ptr<MilterServer>> MilterServer::Start(MilterServerOptions options,
                                                            OnMessage on_message) {
  std::string why;
  std::optional<ListenAddress> a = ParseListen(options.listen, &why);
  if (!a) return Status::InvalidArgument("milter listen address " + options.listen + ": " + why);
  std::unique_ptr<MilterServer> s(new MilterServer(std::move(options), std::move(on_message)));
  auto fail = [&](const std::string& what) {
    return Status::IoError(what + " " + s->options_.listen + ": " + std::strerror(errno));
  };
  if (a->unix_socket) {
    s->listen_fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s->listen_fd_ < 0) return fail("cannot make a socket for");
    sockaddr_un sun{};
    sun.sun_family = AF_UNIX;
    std::memcpy(sun.sun_path, a->path.c_str(), a->path.size() + 1);
    struct stat st;
    // A socket file left by an earlier run: replace it, but nothing else.
    if (lstat(a->path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) unlink(a->path.c_str());
    if (bind(s->listen_fd_, reinterpret_cast<sockaddr*>(&sun), sizeof(sun)) != 0) {
      return fail("cannot bind");
    }
    s->unix_path_ = a->path;
    s->address_ = "unix:" + a->path;
  } else {
    sockaddr_storage ss{};
    socklen_t len = 0;
    int family = AF_INET;
    in_addr a4;
    if (inet_pton(AF_INET, a->host.c_str(), &a4) == 1) {
      auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
      sin->sin_family = AF_INET;
      sin->sin_addr = a4;
      sin->sin_port = htons(a->port);
      len = sizeof(sockaddr_in);
    } else {
      family = AF_INET6;
      auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
      sin6->sin6_family = AF_INET6;
      inet_pton(AF_INET6, a->host.c_str(), &sin6->sin6_addr);
      sin6->sin6_port = htons(a->port);
      len = sizeof(sockaddr_in6);
    }
    s->listen_fd_ = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s->listen_fd_ < 0) return fail("cannot make a socket for");
    int one = 1;
    setsockopt(s->listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(s->listen_fd_, reinterpret_cast<sockaddr*>(&ss), len) != 0) {
      return fail("cannot bind");
    }
    getsockname(s->listen_fd_, reinterpret_cast<sockaddr*>(&ss), &len);
    uint16_t port = family == AF_INET ? ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port)
                                      : ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
    s->address_ =
        "inet:" + (family == AF_INET6 ? "[" + a->host + "]" : a->host) + ":" + std::to_string(port);
  }
  if (listen(s->listen_fd_, 64) != 0) return fail("cannot listen on");
  if (pipe2(s->wake_, O_CLOEXEC | O_NONBLOCK) != 0) return fail("cannot make a pipe for");
  s->acceptor_ = std::thread([p = s.get()] { p->AcceptLoop(); });
  return s;
}

MilterServer::~MilterServer() {
  stopping_ = true;
  if (wake_[1] >= 0) {
    char b = 0;
    (void)!write(wake_[1], &b, 1);
  }
  if (acceptor_.joinable()) acceptor_.join();
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (Connection& c : connections_) shutdown(c.fd, SHUT_RDWR);
  }
  Reap(true);
  if (listen_fd_ >= 0) close(listen_fd_);
  if (!unix_path_.empty()) unlink(unix_path_.c_str());
  for (int fd : wake_) {
    if (fd >= 0) close(fd);
  }
}

MilterServerCounts MilterServer::Counts() const {
  std::lock_guard<std::mutex> lock(mu_);
  MilterServerCounts c = counts_;
  c.open = 0;
  for (const Connection& conn : connections_) c.open += conn.done ? 0 : 1;
  return c;
}

void MilterServer::Reap(bool all) {
  std::list<Connection> finished;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = connections_.begin(); it != connections_.end();) {
      if (all || it->done) {
        auto next = std::next(it);
        finished.splice(finished.end(), connections_, it);
        it = next;
      } else {
        ++it;
      }
    }
  }
  for (Connection& c : finished) {
    if (c.thread.joinable()) c.thread.join();
    close(c.fd);
  }
}

void MilterServer::AcceptLoop() {
  while (!stopping_) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    int n = poll(fds, 2, 1000);
    Reap(false);
    if (n <= 0 || !(fds[0].revents & POLLIN)) continue;
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    std::lock_guard<std::mutex> lock(mu_);
    size_t open = 0;
    for (const Connection& c : connections_) open += c.done ? 0 : 1;
    if (open >= options_.max_connections) {
      ++counts_.refused;
      close(fd);
      continue;
    }
    ++counts_.connections;
    if (unix_path_.empty()) {
      // Replies are small and each one is waited for: without this, Nagle's
      // algorithm and the MTA's delayed ACKs add ~40 ms to every message.
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    }
    Connection& c = connections_.emplace_back();
    c.fd = fd;
    c.thread = std::thread([this, p = &c] { Serve(p); });
  }
}

void MilterServer::Serve(Connection* c) {
  MilterFrameReader reader(options_.max_packet_bytes);
  MilterSession session(options_.budget);
  char buffer[65536];
  bool open = true;
  const bool tcp = unix_path_.empty();
  // A blocking recv with a timeout, not poll then recv: one system call per
  // wake-up (the MTA writes every packet on its own). Stopping shuts the
  // socket down, which ends the recv.
  timeval idle{};
  idle.tv_sec = static_cast<time_t>(options_.idle_timeout.count() / 1000);
  idle.tv_usec = static_cast<suseconds_t>(options_.idle_timeout.count() % 1000 * 1000);
  setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof(idle));
  std::string reply;
  while (open && !stopping_) {
    if (tcp) {
      // The MTA sends packets that get no reply back to back; with Nagle's
      // algorithm on its side each waits for our ACK, which Linux delays up
      // to 40 ms unless asked, each time, to ACK at once.
      int one = 1;
      setsockopt(c->fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
    }
    ssize_t n = recv(c->fd, buffer, sizeof(buffer), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // closed, or idle (EAGAIN)
    reader.Append(std::string_view(buffer, static_cast<size_t>(n)));
    bool error = false;
    while (open) {
      std::optional<std::pair<char, std::string_view>> packet = reader.Next(&error);
      if (!packet) break;
      reply.clear();
      std::optional<MilterMessageEvent> event;
      open = session.Handle(packet->first, packet->second, std::chrono::steady_clock::now(), &reply,
                            &event);
      if (!reply.empty() && !WriteAll(c->fd, reply)) open = false;
      if (event) on_message_(std::move(*event));
    }
    if (error) {
      std::lock_guard<std::mutex> lock(mu_);
      ++counts_.protocol_errors;
      open = false;
    }
  }
  shutdown(c->fd, SHUT_RDWR);
  c->done = true;
}

}  // namespace mailrep
