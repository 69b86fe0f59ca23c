// DnsPacketBuilder: assembles DNS messages byte by byte for decoder tests and
// fuzz seeds. Names are written uncompressed unless given as raw bytes.
// Test-only; header-only.
#ifndef MAILREP_TESTS_DNS_DNS_PACKET_BUILDER_H_
#define MAILREP_TESTS_DNS_DNS_PACKET_BUILDER_H_

#include <arpa/inet.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mailrep::testing {

using Bytes = std::vector<uint8_t>;

// Flag words for the header.
constexpr uint16_t kResponse = 0x8000;  // QR
constexpr uint16_t kAuthoritative = 0x0400;
constexpr uint16_t kTruncated = 0x0200;
constexpr uint16_t kRecursionDesired = 0x0100;

inline void PutU16(Bytes* out, uint16_t value) {
  out->push_back(static_cast<uint8_t>(value >> 8));
  out->push_back(static_cast<uint8_t>(value));
}

inline void PutU32(Bytes* out, uint32_t value) {
  PutU16(out, static_cast<uint16_t>(value >> 16));
  PutU16(out, static_cast<uint16_t>(value));
}

// "www.example.com" -> 3www7example3com0. "" and "." are the root.
inline Bytes WireName(std::string_view name) {
  Bytes out;
  while (!name.empty() && name != ".") {
    size_t dot = name.find('.');
    std::string_view label = name.substr(0, dot);
    out.push_back(static_cast<uint8_t>(label.size()));
    out.insert(out.end(), label.begin(), label.end());
    name = dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
  }
  out.push_back(0);
  return out;
}

inline Bytes ARdata(const char* ip) {
  Bytes out(4);
  inet_pton(AF_INET, ip, out.data());
  return out;
}

inline Bytes AaaaRdata(const char* ip) {
  Bytes out(16);
  inet_pton(AF_INET6, ip, out.data());
  return out;
}

inline Bytes TxtRdata(const std::vector<std::string>& strings) {
  Bytes out;
  for (const std::string& s : strings) {
    out.push_back(static_cast<uint8_t>(s.size()));
    out.insert(out.end(), s.begin(), s.end());
  }
  return out;
}

inline Bytes MxRdata(uint16_t preference, std::string_view exchange) {
  Bytes out;
  PutU16(&out, preference);
  Bytes name = WireName(exchange);
  out.insert(out.end(), name.begin(), name.end());
  return out;
}

inline Bytes SoaRdata(uint32_t minimum) {
  Bytes out = WireName("ns.example");
  Bytes rname = WireName("hostmaster.example");
  out.insert(out.end(), rname.begin(), rname.end());
  for (uint32_t field : {1u, 3600u, 600u, 86400u}) PutU32(&out, field);
  PutU32(&out, minimum);
  return out;
}

class DnsPacketBuilder {
 public:
  DnsPacketBuilder& Id(uint16_t id) {
    id_ = id;
    return *this;
  }
  DnsPacketBuilder& Flags(uint16_t flags) {
    flags_ = flags;
    return *this;
  }
  DnsPacketBuilder& Question(std::string_view name, uint16_t type, uint16_t klass = 1) {
    return RawQuestion(WireName(name), type, klass);
  }
  DnsPacketBuilder& RawQuestion(const Bytes& wire_name, uint16_t type, uint16_t klass = 1) {
    Append(&questions_, wire_name);
    PutU16(&questions_, type);
    PutU16(&questions_, klass);
    ++qdcount_;
    return *this;
  }
  DnsPacketBuilder& Answer(std::string_view owner, uint16_t type, uint32_t ttl, const Bytes& rdata,
                           uint16_t klass = 1) {
    Record(&answers_, WireName(owner), type, ttl, rdata, klass);
    ++ancount_;
    return *this;
  }
  DnsPacketBuilder& RawAnswer(const Bytes& wire_owner, uint16_t type, uint32_t ttl,
                              const Bytes& rdata) {
    Record(&answers_, wire_owner, type, ttl, rdata, 1);
    ++ancount_;
    return *this;
  }
  DnsPacketBuilder& Authority(std::string_view owner, uint16_t type, uint32_t ttl,
                              const Bytes& rdata) {
    Record(&authority_, WireName(owner), type, ttl, rdata, 1);
    ++nscount_;
    return *this;
  }
  DnsPacketBuilder& Additional(std::string_view owner, uint16_t type, uint32_t ttl,
                               const Bytes& rdata) {
    Record(&additional_, WireName(owner), type, ttl, rdata, 1);
    ++arcount_;
    return *this;
  }
  // Overrides a count in the header (to claim records that are not there).
  DnsPacketBuilder& Counts(uint16_t qd, uint16_t an, uint16_t ns, uint16_t ar) {
    qdcount_ = qd;
    ancount_ = an;
    nscount_ = ns;
    arcount_ = ar;
    return *this;
  }

  Bytes Build() const {
    Bytes out;
    PutU16(&out, id_);
    PutU16(&out, flags_);
    PutU16(&out, qdcount_);
    PutU16(&out, ancount_);
    PutU16(&out, nscount_);
    PutU16(&out, arcount_);
    Append(&out, questions_);
    Append(&out, answers_);
    Append(&out, authority_);
    Append(&out, additional_);
    return out;
  }

 private:
  static void Append(Bytes* out, const Bytes& more) {
    out->insert(out->end(), more.begin(), more.end());
  }
  static void Record(Bytes* out, const Bytes& owner, uint16_t type, uint32_t ttl,
                     const Bytes& rdata, uint16_t klass) {
    Append(out, owner);
    PutU16(out, type);
    PutU16(out, klass);
    PutU32(out, ttl);
    PutU16(out, static_cast<uint16_t>(rdata.size()));
    Append(out, rdata);
  }

  uint16_t id_ = 0x1234;
  uint16_t flags_ = kResponse | kRecursionDesired;
  uint16_t qdcount_ = 0, ancount_ = 0, nscount_ = 0, arcount_ = 0;
  Bytes questions_, answers_, authority_, additional_;
};

}  // namespace mailrep::testing

#endif  // MAILREP_TESTS_DNS_DNS_PACKET_BUILDER_H_
