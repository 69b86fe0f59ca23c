#include "tests/dns/fake_dns_server.h"

#include <chrono>
#include <string>

#include "collectors/dns/cares_resolver.h"

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

StatusOr<uint64_t> FakeDnsServer::QueriesReceived(const std::string& zone) const {
  CaresResolverOptions options;
  options.servers = {v4()};
  options.cache.max_entries = 0;
  StatusOr<std::unique_ptr<CaresResolver>> resolver = CaresResolver::Create(options);
  if (!resolver.ok()) return resolver.status();
  DnsAnswer answer =
      (*resolver)->Resolve("count." + zone, RecordType::kTxt,
                           std::chrono::steady_clock::now() + std::chrono::seconds(5));
  if (!answer.ok() || answer.records.empty()) {
    return Status::Unavailable("count." + zone + ": " +
                               std::string(DnsOutcomeName(answer.outcome)));
  }
  return static_cast<uint64_t>(std::stoull(JoinedTxt(answer.records[0])));
}

}  // namespace mailrep::testing
