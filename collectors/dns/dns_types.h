// Plain data shared by the DNS engine: record types, outcomes, records and
// answers. Value types; no I/O.
#ifndef MAILREP_COLLECTORS_DNS_DNS_TYPES_H_
#define MAILREP_COLLECTORS_DNS_DNS_TYPES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/util/ip_network.h"

namespace mailrep {

// The record types the engine asks for; values are the DNS TYPE codes.
enum class RecordType : uint16_t {
  kA = 1,
  kCname = 5,
  kPtr = 12,
  kMx = 15,
  kTxt = 16,
  kAaaa = 28,
};

// A name as the engine compares and reports it: ASCII letters lower-cased and
// one trailing dot removed ("Mail.Example.COM." -> "mail.example.com"); the
// root, "" or ".", is ".".
std::string NormalizeDnsName(std::string_view name);

// True when `name` (no trailing dot) can be asked for: labels of 1-63 octets,
// at most 253 octets in all. Says nothing about the bytes in the labels.
bool IsQueryableName(std::string_view name);

// "A", "CNAME", "PTR", "MX", "TXT", "AAAA".
std::string_view RecordTypeName(RecordType type);
// Accepts the names above in any case.
std::optional<RecordType> ParseRecordType(std::string_view name);

// How a lookup ended. Each is distinct; only kData carries records.
enum class DnsOutcome {
  kData,       // NOERROR with records of the asked type
  kNoData,     // NOERROR, the name exists but has no records of that type
  kNxDomain,   // NXDOMAIN: the name (end of any CNAME chain) does not exist
  kServFail,   // SERVFAIL from every server tried
  kRefused,    // REFUSED from every server tried
  kTimeout,    // no usable answer before the per-query timeout or deadline
  kMalformed,  // an answer arrived but could not be decoded or did not fit the question
  kCancelled,  // the resolver shut down before the query finished
  kError,      // anything else: other RCODEs, truncation, bad name, socket errors
  // Not sent: the key's daily query budget (QueryBudget) is spent for today.
  kBudgetExhausted,
};

// snake_case, usable as a label value: "data", "nodata", "nxdomain",
// "servfail", "refused", "timeout", "malformed", "cancelled", "error",
// "budget_exhausted".
std::string_view DnsOutcomeName(DnsOutcome outcome);

struct DnsRecord {
  RecordType type = RecordType::kA;
  uint32_t ttl = 0;  // seconds
  // A and AAAA.
  IpAddress address;
  // TXT: the record's character-strings, in order, unjoined (may hold any
  // byte, including NUL). Callers that want the RFC 7208 value join them.
  std::vector<std::string> texts;
  // MX preference.
  uint16_t preference = 0;
  // MX exchange, PTR and CNAME target, in presentation form without the
  // trailing dot ("mail.example.com"; the root is "."). Bytes outside
  // [!-~] and the characters '.' and '\' inside labels are escaped (\DDD, \.).
  std::string target;

  bool operator==(const DnsRecord&) const = default;
};

// A TXT record's character-strings joined into one value (RFC 7208 §3.3).
std::string JoinedTxt(const DnsRecord& record);

struct DnsAnswer {
  DnsOutcome outcome = DnsOutcome::kError;
  // The name the outcome applies to: the end of the CNAME chain, or the asked
  // name when there is no chain. Lower case, no trailing dot.
  std::string canonical_name;
  // Records of the asked type owned by canonical_name; empty unless kData.
  std::vector<DnsRecord> records;
  // How long the whole answer may be cached, in seconds. kData: the minimum
  // TTL over the CNAME chain and the records. kNoData / kNxDomain: RFC 2308
  // §5, min(SOA TTL, SOA MINIMUM) from the authority section (and the chain);
  // 0 when there is no SOA. 0 for every other outcome.
  uint32_t ttl = 0;
  // Human detail for outcomes other than kData ("rcode 4 (NOTIMP)").
  std::string error;
  bool from_cache = false;

  bool ok() const { return outcome == DnsOutcome::kData; }
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNS_DNS_TYPES_H_
