#include "tests/dns/local_nsd.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

namespace mailrep::testing {
namespace {

// Finds a port free for UDP and TCP on 127.0.0.1 (and ::1). NSD binds it a
// moment later; Start() retries on the rare race.
StatusOr<uint16_t> FreePort(bool ipv6) {
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

// True once something answers a SOA query for `origin` on 127.0.0.1:port.
bool Answers(uint16_t port, const std::string& origin) {
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

Status WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  out.close();
  if (!out) return Status::IoError("cannot write " + path);
  return Status::OK();
}

}  // namespace

StatusOr<std::unique_ptr<LocalNsd>> LocalNsd::Start(const LocalNsdOptions& options) {
  if (access(kNsdPath, X_OK) != 0) {
    return Status::NotFound(std::string(kNsdPath) +
                            " not found: install the Debian package nsd (apt-get install nsd)");
  }
  if (options.zones.empty()) return Status::InvalidArgument("no zones");
  StatusOr<ScopedTempDir> dir = ScopedTempDir::Create("nsd");
  if (!dir.ok()) return dir.status();
  auto nsd = std::unique_ptr<LocalNsd>(new LocalNsd());
  nsd->dir_ = std::move(*dir);

  for (size_t i = 0; i < options.zones.size(); ++i) {
    const NsdZone& zone = options.zones[i];
    std::string text = "$ORIGIN " + zone.origin +
                       ".\n$TTL 300\n@ IN SOA ns hostmaster 1 3600 600 86400 " +
                       std::to_string(zone.negative_ttl) + "\n@ IN NS ns\nns IN A 127.0.0.1\n" +
                       zone.records + "\n";
    Status status = WriteFile(nsd->dir() + "/zone" + std::to_string(i) + ".zone", text);
    if (!status.ok()) return status;
  }

  std::string last_error;
  for (int attempt = 0; attempt < 5; ++attempt) {
    StatusOr<uint16_t> port = FreePort(options.ipv6);
    if (!port.ok()) return port.status();
    std::string p = std::to_string(*port);
    std::string config = "server:\n  ip-address: 127.0.0.1@" + p + "\n";
    if (options.ipv6) config += "  ip-address: ::1@" + p + "\n";
    config += "  port: " + p + "\n  username: \"\"\n  chroot: \"\"\n  zonesdir: \"" + nsd->dir() +
              "\"\n  database: \"\"\n  pidfile: \"" + nsd->dir() + "/nsd.pid\"\n  xfrdfile: \"" +
              nsd->dir() + "/xfrd.state\"\n  zonelistfile: \"" + nsd->dir() +
              "/zone.list\"\n  logfile: \"" + nsd->dir() +
              "/nsd.log\"\n  server-count: " + std::to_string(options.server_count) +
              "\n  verbosity: 0\n  hide-version: yes\n  rrl-ratelimit: 0\n"
              "  rrl-whitelist-ratelimit: 0\n  do-ip6: " +
              (options.ipv6 ? "yes" : "no") + "\nremote-control:\n  control-enable: no\n";
    for (size_t i = 0; i < options.zones.size(); ++i) {
      config += "zone:\n  name: \"" + options.zones[i].origin + "\"\n  zonefile: \"zone" +
                std::to_string(i) + ".zone\"\n";
    }
    Status status = WriteFile(nsd->dir() + "/nsd.conf", config);
    if (!status.ok()) return status;

    StatusOr<std::unique_ptr<ChildProcess>> process =
        ChildProcess::Start({kNsdPath, "-d", "-c", nsd->dir() + "/nsd.conf"});
    if (!process.ok()) return process.status();
    nsd->process_ = std::move(*process);
    nsd->port_ = *port;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < deadline && nsd->process_->Running()) {
      if (Answers(*port, options.zones[0].origin)) return nsd;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    nsd->process_->Stop();
    std::ifstream log(nsd->dir() + "/nsd.log");
    std::stringstream text;
    text << log.rdbuf();
    last_error = text.str();
  }
  return Status::Unavailable("nsd did not start; its log:\n" + last_error);
}

LocalNsd::~LocalNsd() {
  if (process_) process_->Stop();
  if (dir_ && std::getenv("MAILREP_KEEP_NSD_DIR") != nullptr) dir_->Release();
}

DnsServerAddress LocalNsd::v4() const {
  DnsServerAddress server;
  server.address = IpAddress::Parse("127.0.0.1").value();
  server.port = port_;
  return server;
}

DnsServerAddress LocalNsd::v6() const {
  DnsServerAddress server;
  server.address = IpAddress::Parse("::1").value();
  server.port = port_;
  return server;
}

}  // namespace mailrep::testing
