#include "collectors/dnsbl/dnsbl_targets.h"

#include "collectors/dns/dns_types.h"

namespace mailrep {

std::string ReversedAddressName(const IpAddress& address) {
  std::string out;
  if (address.family == IpAddress::Family::kV4) {
    for (int i = 3; i >= 0; --i) {
      out += std::to_string(address.bytes[i]);
      if (i > 0) out += '.';
    }
    return out;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out.reserve(63);
  for (int i = 15; i >= 0; --i) {
    out += kHex[address.bytes[i] & 0xF];
    out += '.';
    out += kHex[address.bytes[i] >> 4];
    if (i > 0) out += '.';
  }
  return out;
}

DnsblTarget IpTarget(const IpAddress& address) {
  DnsblTarget t;
  t.kind = address.family == IpAddress::Family::kV4 ? DnsblKind::kIp4 : DnsblKind::kIp6;
  t.value = address.ToString();
  t.query_prefix = ReversedAddressName(address);
  return t;
}

StatusOr<DnsblTarget> DomainTarget(std::string_view domain) {
  std::string name = NormalizeDnsName(domain);
  auto bad = [&](const char* why) {
    return Status::InvalidArgument("not a domain name: \"" + std::string(domain) + "\": " + why);
  };
  if (name.empty() || name == ".") return bad("empty");
  if (name.size() > 253) return bad("longer than 253 bytes");
  if (IpAddress::Parse(name).ok()) return bad("an IP address");
  size_t label = 0;
  size_t labels = 1;
  for (char c : name) {
    if (c == '.') {
      if (label == 0) return bad("empty label");
      label = 0;
      ++labels;
      continue;
    }
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return bad("only letters, digits, '-' and '_' are allowed");
    if (++label > 63) return bad("a label is longer than 63 bytes");
  }
  if (label == 0) return bad("empty label");
  if (labels < 2) return bad("needs at least two labels (example.com)");
  DnsblTarget t;
  t.kind = DnsblKind::kDomain;
  t.value = name;
  t.query_prefix = name;
  return t;
}

StatusOr<DnsblTarget> ParseDnsblTarget(std::string_view text) {
  if (StatusOr<IpAddress> ip = IpAddress::Parse(text); ip.ok()) return IpTarget(*ip);
  if (text.find(':') != std::string_view::npos || text.find('/') != std::string_view::npos) {
    return Status::InvalidArgument("not an IP address or domain: \"" + std::string(text) + "\"");
  }
  return DomainTarget(text);
}

std::string DnsblQueryName(std::string_view prefix, std::string_view key, std::string_view zone) {
  std::string out(prefix);
  out += '.';
  if (!key.empty()) {
    out += key;
    out += '.';
  }
  out += zone;
  return out;
}

StatusOr<std::vector<IpAddress>> ExpandNetwork(const IpNetwork& network, uint64_t max_addresses) {
  uint64_t size = network.size();
  if (size > max_addresses) {
    return Status::InvalidArgument(
        "block " + network.ToString() + " has " +
        (size == UINT64_MAX ? std::string("more than 2^64") : std::to_string(size)) +
        " addresses; at most " + std::to_string(max_addresses) +
        " per block are checked (collectors.dnsbl.max_block_addresses): list smaller blocks");
  }
  std::vector<IpAddress> out;
  out.reserve(size);
  IpAddress address = network.address;
  int last = network.address.family == IpAddress::Family::kV4 ? 3 : 15;
  for (uint64_t i = 0; i < size; ++i) {
    out.push_back(address);
    for (int b = last; b >= 0; --b) {  // increment, big-endian
      if (++address.bytes[b] != 0) break;
    }
  }
  return out;
}

StatusOr<std::vector<IpAddress>> ExpandSenderBlock(const IpNetwork& network, uint64_t max_addresses,
                                                   bool* one_per_64) {
  *one_per_64 = false;
  bool wide_v6 = network.address.family == IpAddress::Family::kV6 && network.prefix_length <= 64 &&
                 network.size() > max_addresses;
  if (!wide_v6) return ExpandNetwork(network, max_addresses);
  int free_bits = 64 - network.prefix_length;
  uint64_t networks = free_bits >= 64 ? UINT64_MAX : uint64_t{1} << free_bits;
  if (networks > max_addresses) {
    return Status::InvalidArgument(
        "block " + network.ToString() + " has " +
        (networks == UINT64_MAX ? std::string("2^64") : std::to_string(networks)) +
        " /64 networks; at most " + std::to_string(max_addresses) +
        " per block are checked (collectors.dnsbl.max_block_addresses): list smaller blocks");
  }
  *one_per_64 = true;
  std::vector<IpAddress> out;
  out.reserve(networks);
  IpAddress address = network.address;
  for (uint64_t i = 0; i < networks; ++i) {
    out.push_back(address);
    for (int b = 7; b >= 0; --b) {  // the next /64, big-endian
      if (++address.bytes[b] != 0) break;
    }
  }
  return out;
}

}  // namespace mailrep
