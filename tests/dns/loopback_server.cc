#include "tests/dns/loopback_server.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sstream>
#include <vector>

namespace mailrep::testing {

StatusOr<uint16_t> FreeLoopbackPort(bool ipv6) {
  for (int attempt = 0; attempt < 50; ++attempt) {
    std::vector<int> fds;
    auto cleanup = [&] {
      for (int fd : fds) close(fd);
    };
    uint16_t port = 0;
    bool ok = true;
    for (int family : {AF_INET, AF_INET6}) {
      if (family == AF_INET6 && !ipv6) continue;
      for (int type : {SOCK_DGRAM, SOCK_STREAM}) {
        int fd = socket(family, type, 0);
        if (fd < 0) return Status::IoError("socket failed");
        fds.push_back(fd);
        sockaddr_storage addr{};
        socklen_t len;
        if (family == AF_INET) {
          auto* in = reinterpret_cast<sockaddr_in*>(&addr);
          in->sin_family = AF_INET;
          in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
          in->sin_port = htons(port);
          len = sizeof(*in);
        } else {
          auto* in6 = reinterpret_cast<sockaddr_in6*>(&addr);
          in6->sin6_family = AF_INET6;
          in6->sin6_addr = in6addr_loopback;
          in6->sin6_port = htons(port);
          len = sizeof(*in6);
        }
        if (bind(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0) {
          ok = false;
          break;
        }
        if (port == 0) {
          getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
          port = ntohs(family == AF_INET ? reinterpret_cast<sockaddr_in*>(&addr)->sin_port
                                         : reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
        }
      }
      if (!ok) break;
    }
    cleanup();
    if (ok) return port;
  }
  return Status::Unavailable("no free port on loopback");
}

bool AnswersOnLoopback(uint16_t port, const std::string& origin) {
  std::string query("\x12\x34\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00", 12);
  std::stringstream labels(origin);
  for (std::string label; std::getline(labels, label, '.');) {
    query.push_back(static_cast<char>(label.size()));
    query += label;
  }
  query += std::string("\x00\x00\x06\x00\x01", 5);
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  bool answered = false;
  if (sendto(fd, query.data(), query.size(), 0, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) ==
      static_cast<ssize_t>(query.size())) {
    pollfd p{fd, POLLIN, 0};
    char buf[512];
    answered = poll(&p, 1, 200) == 1 && recv(fd, buf, sizeof(buf), 0) >= 12 && buf[0] == '\x12' &&
               buf[1] == '\x34';
  }
  close(fd);
  return answered;
}

}  // namespace mailrep::testing
