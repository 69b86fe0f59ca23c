#include "exporter/config/name_validation.h"

#include <string>

#include "exporter/util/ip_network.h"

namespace mailrep {
namespace {

bool IsLdh(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

Status ValidatePort(std::string_view port) {
  int value = 0;
  bool valid = !port.empty() && port.size() <= 5;
  for (char c : port) {
    if (c < '0' || c > '9') valid = false;
    if (valid) value = value * 10 + (c - '0');
  }
  if (!valid || value < 1 || value > 65535) {
    return Status::InvalidArgument("port must be 1-65535, found \"" + std::string(port) + "\"");
  }
  return Status::OK();
}

}  // namespace

Status ValidateHostname(std::string_view name) {
  if (name.empty()) return Status::InvalidArgument("empty host name");
  std::string_view rest = name;
  if (rest.back() == '.') rest.remove_suffix(1);
  if (rest.size() > 253) {
    return Status::InvalidArgument("host name longer than 253 characters");
  }
  size_t start = 0;
  while (true) {
    size_t dot = rest.find('.', start);
    std::string_view label =
        rest.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty()) {
      return Status::InvalidArgument("not a valid host name: \"" + std::string(name) +
                                     "\" (empty label)");
    }
    if (label.size() > 63) {
      return Status::InvalidArgument("not a valid host name: \"" + std::string(name) +
                                     "\" (label longer than 63 characters)");
    }
    for (char c : label) {
      if (!IsLdh(c)) {
        return Status::InvalidArgument("not a valid host name: \"" + std::string(name) +
                                       "\" (only letters, digits, '-' and '.' are allowed)");
      }
    }
    if (label.front() == '-' || label.back() == '-') {
      return Status::InvalidArgument("not a valid host name: \"" + std::string(name) +
                                     "\" (a label starts or ends with '-')");
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return Status::OK();
}

Status ValidateDnsServer(std::string_view server) {
  std::string quoted = "\"" + std::string(server) + "\"";
  if (server.empty()) return Status::InvalidArgument("empty DNS server");
  if (server.front() == '[') {
    size_t close = server.find(']');
    if (close == std::string_view::npos) {
      return Status::InvalidArgument("not a DNS server: " + quoted + " (missing ']')");
    }
    StatusOr<IpAddress> address = IpAddress::Parse(server.substr(1, close - 1));
    if (!address.ok() || address->family != IpAddress::Family::kV6) {
      return Status::InvalidArgument("not a DNS server: " + quoted +
                                     " (brackets must hold an IPv6 address)");
    }
    std::string_view after = server.substr(close + 1);
    if (after.empty()) return Status::OK();
    if (after.front() != ':') {
      return Status::InvalidArgument("not a DNS server: " + quoted + " (expected :port after ']')");
    }
    return ValidatePort(after.substr(1)).Annotate("not a DNS server: " + quoted);
  }
  if (IpAddress::Parse(server).ok()) return Status::OK();
  size_t colon = server.find(':');
  if (colon != std::string_view::npos && server.find(':', colon + 1) != std::string_view::npos) {
    return Status::InvalidArgument("not a DNS server: " + quoted +
                                   " (write an IPv6 address with a port as [address]:port)");
  }
  std::string_view host = server.substr(0, colon);
  if (colon != std::string_view::npos) {
    Status port = ValidatePort(server.substr(colon + 1));
    if (!port.ok()) return port.Annotate("not a DNS server: " + quoted);
  }
  if (IpAddress::Parse(host).ok()) return Status::OK();
  bool looks_numeric = !host.empty() && host.find_first_not_of("0123456789.") == std::string::npos;
  if (looks_numeric) {
    return Status::InvalidArgument("not a DNS server: " + quoted + " (invalid IPv4 address)");
  }
  return Status::InvalidArgument("not a DNS server: " + quoted +
                                 " (give an IP address: resolving the resolver would need a "
                                 "resolver)");
}

}  // namespace mailrep
