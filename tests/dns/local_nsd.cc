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

#include "tests/dns/loopback_server.h"

namespace mailrep::testing {
namespace {

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
    StatusOr<uint16_t> port = FreeLoopbackPort(options.ipv6);
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
      if (AnswersOnLoopback(*port, options.zones[0].origin)) return nsd;
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
