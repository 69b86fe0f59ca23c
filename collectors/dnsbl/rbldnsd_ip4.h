// The IPv4 text forms of rbldnsd data files (rbldnsd(8), "ip4set Dataset"),
// read the way rbldnsd 1.0 reads them. Pure functions; no I/O.
//
//   prefix   1 to 4 dotted decimal octets: "127", "127.0", "127.0.0", "127.0.0.1"
//   CIDR     prefix "/" bits ("127/8", "127.0.0/24"); a prefix of 2-4 octets
//            alone means its own length ("127.0.0" = 127.0.0.0/24); a bare
//            "127" is refused (write "127/8")
//   range    prefix "-" prefix, both of the same length, the end completed
//            with all-ones ("127.16-127.31" = 127.16.0.0-127.31.255.255); an end
//            of one octet replaces the last octet of the start
//            ("127.0.0.1-255", "127.16-31"). Ends of different lengths are
//            refused ("127-127.0.0", although rbldnsd(8) lists it).
//   A value  inet_aton-like: "2" = 127.0.0.2 (one number is the last octet of
//            127.0.0.x), "127.0.0.5", "10.2" = 10.0.0.2; 0.0.0.0 is refused.
//
// Addresses are host byte order. Each parser reads from the start of `text`
// and reports how many characters it consumed; the caller checks what follows.
#ifndef MAILREP_COLLECTORS_DNSBL_RBLDNSD_IP4_H_
#define MAILREP_COLLECTORS_DNSBL_RBLDNSD_IP4_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mailrep {

// The netmask of a prefix length 0-32 (0 -> 0).
constexpr uint32_t Ip4Mask(int bits) { return bits <= 0 ? 0 : ~uint32_t{0} << (32 - bits); }

struct Ip4Prefix {
  uint32_t address = 0;  // octets left-aligned: "127.1" -> 127.1.0.0
  int bits = 0;          // 8, 16, 24 or 32
  size_t consumed = 0;
};
// Octets are decimal digits (leading zeros allowed) worth at most 255.
std::optional<Ip4Prefix> ParseIp4Prefix(std::string_view text);

struct Ip4Cidr {
  uint32_t address = 0;  // not masked: the caller decides about host bits
  int bits = 0;          // 0-32
  size_t consumed = 0;
};
// ip4trie entries: a CIDR or a prefix of 2-4 octets.
std::optional<Ip4Cidr> ParseIp4Cidr(std::string_view text);

struct Ip4Range {
  uint32_t first = 0;  // not masked when `bits` < 32 (see ParseIp4Cidr)
  uint32_t last = 0;
  // The CIDR length; 32 for a dash range (whose ends are exact).
  int bits = 0;
  size_t consumed = 0;
};
// ip4set entries: a CIDR, a prefix of 2-4 octets, or a dash range.
std::optional<Ip4Range> ParseIp4Range(std::string_view text);

struct Ip4Value {
  uint32_t address = 0;
  size_t consumed = 0;
};
// The A part of ":A:TXT": see above. Refuses 0.0.0.0.
std::optional<Ip4Value> ParseIp4AValue(std::string_view text);

// "127.0.0.2".
std::string Ip4ToString(uint32_t address);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNSBL_RBLDNSD_IP4_H_
