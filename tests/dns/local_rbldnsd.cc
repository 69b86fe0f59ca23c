#include "tests/dns/local_rbldnsd.h"

#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "tests/dns/loopback_server.h"

namespace mailrep::testing {

StatusOr<std::unique_ptr<LocalRbldnsd>> LocalRbldnsd::Start(
    const std::vector<RbldnsdDataset>& datasets) {
  if (access(kRbldnsdPath, X_OK) != 0) {
    return Status::NotFound(std::string(kRbldnsdPath) +
                            " not found: install the Debian package rbldnsd "
                            "(exporter/scripts/install-deps.sh test)");
  }
  if (datasets.empty()) return Status::InvalidArgument("no datasets");
  std::vector<std::string> argv = {kRbldnsdPath, "-n", "-4"};
  if (geteuid() == 0) {
    argv.push_back("-u");
    argv.push_back(getpwnam("rbldns") != nullptr ? "rbldns" : "nobody");
  }
  for (int attempt = 0; attempt < 5; ++attempt) {
    StatusOr<uint16_t> port = FreeLoopbackPort(false);
    if (!port.ok()) return port.status();
    std::vector<std::string> args = argv;
    args.push_back("-b");
    args.push_back("127.0.0.1/" + std::to_string(*port));
    for (const RbldnsdDataset& d : datasets) args.push_back(d.zone + ":" + d.format + ":" + d.path);
    StatusOr<std::unique_ptr<ChildProcess>> process = ChildProcess::Start(args);
    if (!process.ok()) return process.status();
    auto server = std::unique_ptr<LocalRbldnsd>(new LocalRbldnsd());
    server->process_ = std::move(*process);
    server->port_ = *port;
    // rbldnsd loads every file before it serves (it exits on a load error).
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline && server->process_->Running()) {
      if (AnswersOnLoopback(*port, datasets[0].zone)) return server;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    server->process_->Stop();
  }
  return Status::Unavailable("rbldnsd did not start (its messages are on stderr)");
}

LocalRbldnsd::~LocalRbldnsd() {
  if (process_) process_->Stop();
}

long LocalRbldnsd::StatusKib(const std::string& field) const {
  std::ifstream status("/proc/" + std::to_string(process_->pid()) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
  }
  return 0;
}

long LocalRbldnsd::RssKib() const { return StatusKib("VmRSS"); }

long LocalRbldnsd::PeakRssKib() const { return StatusKib("VmHWM"); }

}  // namespace mailrep::testing
