#include "exporter/http/listen_address.h"

namespace mailrep {
namespace {

bool ParsePort(std::string_view text, uint16_t* port) {
  if (text.empty() || text.size() > 5) return false;
  uint32_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<uint32_t>(c - '0');
  }
  if (value > 65535) return false;
  *port = static_cast<uint16_t>(value);
  return true;
}

bool IsHostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_' || c == ':' || c == '%';
}

}  // namespace

StatusOr<ListenAddress> ParseListenAddress(std::string_view text) {
  auto invalid = [&](const char* why) {
    return Status::InvalidArgument("listen address \"" + std::string(text) + "\": " + why +
                                   " (use host:port, :port or [v6addr]:port)");
  };
  ListenAddress address;
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos) return invalid("missing ']'");
    host = text.substr(1, close - 1);
    if (host.empty()) return invalid("empty IPv6 address");
    if (close + 1 >= text.size() || text[close + 1] != ':') return invalid("missing port");
    port = text.substr(close + 2);
  } else {
    size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) return invalid("missing port");
    host = text.substr(0, colon);
    if (host.find(':') != std::string_view::npos) return invalid("IPv6 address needs brackets");
    port = text.substr(colon + 1);
  }
  for (char c : host) {
    if (!IsHostChar(c)) return invalid("invalid character in host");
  }
  if (!ParsePort(port, &address.port)) return invalid("invalid port");
  address.host = std::string(host);
  address.all_addresses = host.empty();
  return address;
}

std::string FormatHostPort(std::string_view host, uint16_t port) {
  std::string out;
  if (host.find(':') != std::string_view::npos) {
    out.append("[").append(host).append("]");
  } else {
    out.append(host);
  }
  out.append(":").append(std::to_string(port));
  return out;
}

}  // namespace mailrep
