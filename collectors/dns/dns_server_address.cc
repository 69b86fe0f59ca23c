#include "collectors/dns/dns_server_address.h"

#include <charconv>

namespace mailrep {

std::string DnsServerAddress::ToString() const {
  std::string host = address.ToString();
  if (address.family == IpAddress::Family::kV6) host = "[" + host + "]";
  return host + ":" + std::to_string(port);
}

StatusOr<DnsServerAddress> DnsServerAddress::Parse(std::string_view text) {
  auto error = [&](const std::string& why) {
    return Status::InvalidArgument("bad DNS server \"" + std::string(text) + "\": " + why +
                                   " (want IP, IP:PORT or [IPv6]:PORT)");
  };
  if (text.empty()) return error("empty");
  std::string_view host = text;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos) return error("missing ']'");
    host = text.substr(1, close - 1);
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return error("junk after ']'");
      port = rest.substr(1);
      if (port.empty()) return error("empty port");
    }
  } else if (text.find(':') == text.rfind(':') && text.find(':') != std::string_view::npos) {
    size_t colon = text.find(':');
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (port.empty()) return error("empty port");
  }
  StatusOr<IpAddress> address = IpAddress::Parse(host);
  if (!address.ok()) return error("not an IP address");
  if (text.front() == '[' && address->family != IpAddress::Family::kV6) {
    return error("brackets are for IPv6 addresses");
  }
  DnsServerAddress server;
  server.address = *address;
  if (!port.empty()) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
      return error("port must be 1-65535");
    }
    server.port = static_cast<uint16_t>(value);
  }
  return server;
}

}  // namespace mailrep
