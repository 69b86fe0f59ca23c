#include "tests/dns/fake_dns_server.h"

#include <string>

namespace mailrep::testing {

StatusOr<std::unique_ptr<FakeDnsServer>> FakeDnsServer::Start(bool ipv6) {
  std::vector<std::string> argv = {"/usr/bin/python3",
                                   SourceDir() + "/tests/dns/fake_dns_server.py"};
  if (ipv6) argv.push_back("--ipv6");
  StatusOr<std::unique_ptr<ChildProcess>> process = ChildProcess::Start(argv);
  if (!process.ok()) return process.status();
  StatusOr<std::string> line = (*process)->ReadLine(std::chrono::seconds(10));
  if (!line.ok() || line->rfind("PORT ", 0) != 0) {
    return Status::Unavailable("fake_dns_server.py did not report its port");
  }
  auto server = std::unique_ptr<FakeDnsServer>(new FakeDnsServer());
  server->port_ = static_cast<uint16_t>(std::stoi(line->substr(5)));
  server->process_ = std::move(*process);
  return server;
}

DnsServerAddress FakeDnsServer::v4() const {
  DnsServerAddress server;
  server.address = IpAddress::Parse("127.0.0.1").value();
  server.port = port_;
  return server;
}

}  // namespace mailrep::testing
