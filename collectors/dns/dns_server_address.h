// DnsServerAddress: a resolver given as "host:port" in the config or on the
// command line. The host is an IP address literal (no names: resolving the
// resolver would need a resolver).
#ifndef MAILREP_COLLECTORS_DNS_DNS_SERVER_ADDRESS_H_
#define MAILREP_COLLECTORS_DNS_DNS_SERVER_ADDRESS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "exporter/util/ip_network.h"
#include "exporter/util/status.h"

namespace mailrep {

struct DnsServerAddress {
  IpAddress address;
  uint16_t port = 53;

  // "192.0.2.1:53", "[2001:db8::1]:5353" (the form c-ares' CSV setter takes).
  std::string ToString() const;
  bool operator==(const DnsServerAddress&) const = default;

  // Accepts "192.0.2.1", "192.0.2.1:5353", "2001:db8::1", "[2001:db8::1]" and
  // "[2001:db8::1]:5353". The port defaults to 53 and must be 1-65535.
  static StatusOr<DnsServerAddress> Parse(std::string_view text);
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNS_DNS_SERVER_ADDRESS_H_
