// ListenAddress: parsing of --web.listen-address values.
//
// Accepted forms: "host:port", ":port" (every address, IPv4 and IPv6),
// "[v6addr]:port" and "[v6addr%zone]:port". The port is 0..65535; 0 asks the
// kernel for a free one. Pure string handling, no resolution; thread-safe.
#ifndef MAILREP_EXPORTER_HTTP_LISTEN_ADDRESS_H_
#define MAILREP_EXPORTER_HTTP_LISTEN_ADDRESS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "exporter/util/status.h"

namespace mailrep {

struct ListenAddress {
  std::string host;  // without brackets; "" when all_addresses
  uint16_t port = 0;
  bool all_addresses = false;  // ":port"
};

StatusOr<ListenAddress> ParseListenAddress(std::string_view text);

// "127.0.0.1:9154", "[::1]:9154", "[::]:9154" (host containing ':' is bracketed).
std::string FormatHostPort(std::string_view host, uint16_t port);

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_HTTP_LISTEN_ADDRESS_H_
