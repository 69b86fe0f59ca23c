// DecodeDnsAnswer: turns a raw DNS response into a DnsAnswer. Pure functions
// over bytes, safe on any input (fuzzed by dns_answer_fuzzer).
//
// Outcome rules:
//  - Not a parseable response (short, QR clear, opcode not QUERY, QDCOUNT not
//    1, class not IN, a name or record running past the end, bad RDATA for the
//    asked type, a CNAME loop) -> kMalformed.
//  - TC set (the answer is incomplete) -> kError.
//  - RCODE SERVFAIL -> kServFail, REFUSED -> kRefused, other non-zero RCODEs
//    except NXDOMAIN -> kError.
//  - NXDOMAIN -> kNxDomain, for the end of any CNAME chain in the answer.
//  - NOERROR: the CNAME chain from the question name is followed (at most 16
//    links); records of the asked type owned by the chain's end -> kData.
//    None -> kNoData, unless the answer section holds records of unrelated
//    names only, which is kMalformed (an answer for another name).
//  - Negative answers take their TTL from the SOA in the authority section
//    (RFC 2308 §5); without an SOA the TTL is 0 (not cacheable).
// TTLs with the top bit set count as 0 (RFC 2181 §8).
#ifndef MAILREP_COLLECTORS_DNS_ANSWER_DECODER_H_
#define MAILREP_COLLECTORS_DNS_ANSWER_DECODER_H_

#include <cstdint>
#include <span>
#include <string_view>

#include "collectors/dns/dns_types.h"

namespace mailrep {

// Decodes `message` (a UDP payload, or a TCP message without its length
// prefix) for the question it carries. A question type the engine does not
// support is kMalformed.
DnsAnswer DecodeDnsAnswer(std::span<const uint8_t> message);

// As above, and the question must be (`expected_name`, `expected_type`)
// (names compared case-insensitively); otherwise kMalformed.
DnsAnswer DecodeDnsAnswer(std::span<const uint8_t> message, std::string_view expected_name,
                          RecordType expected_type);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNS_ANSWER_DECODER_H_
