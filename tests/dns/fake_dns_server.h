// FakeDnsServer: runs tests/dns/fake_dns_server.py (see its docstring for
// the behaviours, picked by the first label of the query name) on a free
// loopback port. Test-only. Not thread-safe.
#ifndef MAILREP_TESTS_DNS_FAKE_DNS_SERVER_H_
#define MAILREP_TESTS_DNS_FAKE_DNS_SERVER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "collectors/dns/dns_server_address.h"
#include "exporter/util/status.h"
#include "tests/dns/child_process.h"

namespace mailrep::testing {

class FakeDnsServer {
 public:
  // Starts the responder on 127.0.0.1 (and ::1 when `ipv6`).
  static StatusOr<std::unique_ptr<FakeDnsServer>> Start(bool ipv6 = false);

  uint16_t port() const { return port_; }
  DnsServerAddress v4() const;

  // How many queries the server has received for names at or below `zone`
  // ("zen.test"), asked of the server itself (its "count" behaviour) through a
  // resolver of its own, so the count is the server's, not the client's.
  StatusOr<uint64_t> QueriesReceived(const std::string& zone) const;

 private:
  FakeDnsServer() = default;

  uint16_t port_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace mailrep::testing

#endif  // MAILREP_TESTS_DNS_FAKE_DNS_SERVER_H_
