#include "collectors/auth/ptr_check.h"

#include <algorithm>
#include <cstdio>

#include "exporter/util/ascii.h"

namespace mailrep {
namespace {

constexpr const char* kGenericTokens[] = {
    "dsl",       "adsl",        "vdsl",       "xdsl",    "sdsl", "dyn",    "dynamic",
    "dynip",     "pool",        "cable",      "dhcp",    "dial", "dialup", "dialin",
    "ppp",       "pppoe",       "client",     "clients", "cpe",  "cust",   "customer",
    "broadband", "residential", "unassigned", "ftth",    "hsd",
};

bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f'); }
bool IsLowerAlpha(char c) { return c >= 'a' && c <= 'z'; }

// True when `needle` occurs in `haystack` not directly preceded or followed
// by a byte for which `joined` is true (so "1-2-3-4" does not match inside
// "11-2-3-45").
template <typename Pred>
bool ContainsBounded(std::string_view haystack, std::string_view needle, Pred joined) {
  if (needle.empty()) return false;
  for (size_t pos = haystack.find(needle); pos != std::string_view::npos;
       pos = haystack.find(needle, pos + 1)) {
    bool left = pos == 0 || !joined(haystack[pos - 1]);
    size_t end = pos + needle.size();
    bool right = end == haystack.size() || !joined(haystack[end]);
    if (left && right) return true;
  }
  return false;
}

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

std::string Hex(unsigned value, int width) {
  char buffer[16];
  std::snprintf(buffer, sizeof(buffer), "%0*x", width, value);
  return buffer;
}

bool EmbedsIpv4(std::string_view host, const IpAddress& ip, std::string* evidence) {
  std::vector<std::string> plain, padded;
  for (int i = 0; i < 4; ++i) {
    plain.push_back(std::to_string(ip.bytes[i]));
    char buffer[4];
    std::snprintf(buffer, sizeof(buffer), "%03u", ip.bytes[i]);
    padded.push_back(buffer);
  }
  std::vector<std::string> candidates;
  for (int reversed = 0; reversed < 2; ++reversed) {
    candidates.push_back(Join(plain, "-"));
    candidates.push_back(Join(padded, "-"));
    candidates.push_back(Join(padded, ""));
    std::reverse(plain.begin(), plain.end());
    std::reverse(padded.begin(), padded.end());
  }
  for (const std::string& candidate : candidates) {
    if (ContainsBounded(host, candidate, IsDigit)) {
      *evidence = candidate;
      return true;
    }
  }
  uint32_t value = (uint32_t{ip.bytes[0]} << 24) | (uint32_t{ip.bytes[1]} << 16) |
                   (uint32_t{ip.bytes[2]} << 8) | ip.bytes[3];
  std::string hex = Hex(value, 8);
  if (ContainsBounded(host, hex, IsHex)) {
    *evidence = hex;
    return true;
  }
  std::string integer = std::to_string(value);
  if (integer.size() >= 8 && ContainsBounded(host, integer, IsDigit)) {
    *evidence = integer;
    return true;
  }
  return false;
}

bool EmbedsIpv6(std::string_view host, const IpAddress& ip, std::string* evidence) {
  std::vector<std::string> groups, short_groups;
  for (int i = 0; i < 16; i += 2) {
    unsigned group = (unsigned{ip.bytes[i]} << 8) | ip.bytes[i + 1];
    groups.push_back(Hex(group, 4));
    short_groups.push_back(Hex(group, 0));
  }
  std::string nibbles;
  for (uint8_t byte : ip.bytes) nibbles += Hex(byte, 2);
  std::string reversed_nibbles(nibbles.rbegin(), nibbles.rend());
  std::string compressed = ip.ToString();
  std::replace(compressed.begin(), compressed.end(), ':', '-');
  for (const std::string& candidate :
       {Join(groups, "-"), Join(short_groups, "-"), nibbles, reversed_nibbles, compressed}) {
    if (ContainsBounded(host, candidate, IsHex)) {
      *evidence = candidate;
      return true;
    }
  }
  return false;
}

DnsAnswer LookupAddress(DnsLookup& dns, std::string_view name, const IpAddress& ip) {
  return dns.Lookup(name, ip.family == IpAddress::Family::kV4 ? RecordType::kA : RecordType::kAaaa);
}

bool AnswerHolds(const DnsAnswer& answer, const IpAddress& ip) {
  for (const DnsRecord& record : answer.records) {
    if ((record.type == RecordType::kA || record.type == RecordType::kAaaa) &&
        UnmapIpv4(record.address) == ip) {
      return true;
    }
  }
  return false;
}

bool IsDnsFailure(DnsOutcome outcome) {
  return outcome != DnsOutcome::kData && outcome != DnsOutcome::kNoData &&
         outcome != DnsOutcome::kNxDomain;
}

}  // namespace

std::string_view PtrStatusName(PtrStatus status) {
  switch (status) {
    case PtrStatus::kOk:
      return "ok";
    case PtrStatus::kMissing:
      return "missing";
    case PtrStatus::kNotForwardConfirmed:
      return "not_forward_confirmed";
    case PtrStatus::kHeloMismatch:
      return "helo_mismatch";
    case PtrStatus::kGeneric:
      return "generic";
    case PtrStatus::kDnsError:
      return "dns_error";
  }
  return "unknown";
}

std::string ReverseDnsName(const IpAddress& address) {
  IpAddress ip = UnmapIpv4(address);
  std::string name;
  if (ip.family == IpAddress::Family::kV4) {
    for (int i = 3; i >= 0; --i) name += std::to_string(ip.bytes[i]) + ".";
    return name + "in-addr.arpa";
  }
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 15; i >= 0; --i) {
    name += kHex[ip.bytes[i] & 0xf];
    name += '.';
    name += kHex[ip.bytes[i] >> 4];
    name += '.';
  }
  return name + "ip6.arpa";
}

bool LooksGenericHostName(std::string_view name, const IpAddress& address, std::string* reason) {
  IpAddress ip = UnmapIpv4(address);
  std::string normalized = NormalizeDnsName(name);
  size_t last_dot = normalized.rfind('.');
  if (last_dot == std::string::npos || last_dot == 0) return false;
  size_t second_dot = normalized.rfind('.', last_dot - 1);
  if (second_dot == std::string::npos) return false;
  std::string host = normalized.substr(0, second_dot);
  std::replace(host.begin(), host.end(), '.', '-');
  std::replace(host.begin(), host.end(), '_', '-');
  std::string evidence;
  bool embeds = ip.family == IpAddress::Family::kV4 ? EmbedsIpv4(host, ip, &evidence)
                                                    : EmbedsIpv6(host, ip, &evidence);
  if (embeds) {
    if (reason != nullptr) *reason = "embeds the IP (" + evidence + ")";
    return true;
  }
  for (size_t i = 0; i < host.size();) {
    if (!IsLowerAlpha(host[i])) {
      ++i;
      continue;
    }
    size_t start = i;
    while (i < host.size() && IsLowerAlpha(host[i])) ++i;
    std::string_view token(host.data() + start, i - start);
    for (const char* generic : kGenericTokens) {
      if (token == generic) {
        if (reason != nullptr) *reason = "token '" + std::string(token) + "'";
        return true;
      }
    }
  }
  return false;
}

PtrCheckResult CheckPtr(const PtrCheckRequest& request, DnsLookup& dns) {
  PtrCheckResult result;
  IpAddress ip = UnmapIpv4(request.ip);
  result.reverse_name = ReverseDnsName(ip);
  DnsAnswer answer = dns.Lookup(result.reverse_name, RecordType::kPtr);
  result.ptr_outcome = answer.outcome;
  if (IsDnsFailure(answer.outcome)) {
    result.status = PtrStatus::kDnsError;
    result.details.push_back("PTR lookup of " + result.reverse_name +
                             " failed: " + std::string(DnsOutcomeName(answer.outcome)));
    return result;
  }
  for (const DnsRecord& record : answer.records) {
    if (record.type != RecordType::kPtr) continue;
    std::string target = NormalizeDnsName(record.target);
    if (std::find(result.ptr_names.begin(), result.ptr_names.end(), target) ==
        result.ptr_names.end()) {
      result.ptr_names.push_back(std::move(target));
    }
  }
  if (result.ptr_names.empty()) {
    result.status = PtrStatus::kMissing;
    result.details.push_back("no PTR record for " + ip.ToString());
    return result;
  }
  if (result.ptr_names.size() > 1) {
    result.details.push_back(std::to_string(result.ptr_names.size()) +
                             " PTR names (legal, but receivers may use any of them)");
  }
  bool forward_error = false;
  size_t checked = std::min(result.ptr_names.size(), kMaxPtrNames);
  for (size_t i = 0; i < checked; ++i) {
    DnsAnswer forward = LookupAddress(dns, result.ptr_names[i], ip);
    forward_error |= IsDnsFailure(forward.outcome);
    if (AnswerHolds(forward, ip)) result.confirmed_names.push_back(result.ptr_names[i]);
  }
  result.forward_confirmed = !result.confirmed_names.empty();
  if (!result.forward_confirmed) {
    result.status = forward_error ? PtrStatus::kDnsError : PtrStatus::kNotForwardConfirmed;
    result.details.push_back(forward_error
                                 ? "forward lookup of a PTR name failed; confirmation unknown"
                                 : "no PTR name resolves back to " + ip.ToString());
    return result;
  }
  bool helo_error = false;
  if (!request.helo_name.empty()) {
    std::string helo = NormalizeDnsName(request.helo_name);
    result.helo_matches_ptr =
        std::find(result.ptr_names.begin(), result.ptr_names.end(), helo) != result.ptr_names.end();
    if (std::find(result.confirmed_names.begin(), result.confirmed_names.end(), helo) !=
        result.confirmed_names.end()) {
      result.helo_resolves_to_ip = true;
    } else {
      DnsAnswer forward = LookupAddress(dns, helo, ip);
      helo_error = IsDnsFailure(forward.outcome);
      if (!helo_error) result.helo_resolves_to_ip = AnswerHolds(forward, ip);
    }
    if (!*result.helo_matches_ptr) {
      result.details.push_back("HELO name " + helo + " is not a PTR name of " + ip.ToString());
    }
    if (helo_error) {
      result.details.push_back("lookup of the HELO name " + helo + " failed");
    } else if (!*result.helo_resolves_to_ip) {
      result.details.push_back("HELO name " + helo + " does not resolve to " + ip.ToString());
    }
  }
  result.generic = true;
  for (const std::string& name : result.confirmed_names) {
    std::string reason;
    if (!LooksGenericHostName(name, ip, &reason)) {
      result.generic = false;
      result.generic_reason.clear();
      break;
    }
    if (result.generic_reason.empty()) result.generic_reason = name + ": " + reason;
  }
  if (result.generic) result.details.push_back("generic-looking PTR: " + result.generic_reason);
  if (helo_error) {
    result.status = PtrStatus::kDnsError;
  } else if (result.generic) {
    result.status = PtrStatus::kGeneric;
  } else if (result.helo_matches_ptr == false || result.helo_resolves_to_ip == false) {
    result.status = PtrStatus::kHeloMismatch;
  } else {
    result.status = PtrStatus::kOk;
  }
  return result;
}

}  // namespace mailrep
