// PTR / forward-confirmed reverse DNS check for one sending IP (standards.md
// §5): the PTR exists, one of its names resolves back to the IP, the name
// matches the configured HELO name, it does not look generic or dynamic, and
// the HELO name resolves to the IP. Pure over DnsLookup answers (tests use
// MemoryDns); thread-safe as far as `dns` is.
#ifndef MAILREP_COLLECTORS_AUTH_PTR_CHECK_H_
#define MAILREP_COLLECTORS_AUTH_PTR_CHECK_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/dns/dns_lookup.h"
#include "collectors/dns/dns_types.h"
#include "exporter/util/ip_network.h"

namespace mailrep {

// One state per IP, worst first when several apply:
// dns_error > missing > not_forward_confirmed > generic > helo_mismatch > ok.
enum class PtrStatus {
  kOk,
  kMissing,              // no PTR (NXDOMAIN / NODATA)
  kNotForwardConfirmed,  // no PTR name has an A/AAAA equal to the IP
  kHeloMismatch,         // HELO name is not a PTR name, or does not resolve to the IP
  kGeneric,              // the confirmed name looks generic / dynamic
  kDnsError,             // a lookup the verdict depends on failed (SERVFAIL, timeout, ...)
};
// "ok", "missing", "not_forward_confirmed", "helo_mismatch", "generic", "dns_error".
std::string_view PtrStatusName(PtrStatus status);
inline constexpr PtrStatus kAllPtrStatuses[] = {
    PtrStatus::kOk,           PtrStatus::kMissing, PtrStatus::kNotForwardConfirmed,
    PtrStatus::kHeloMismatch, PtrStatus::kGeneric, PtrStatus::kDnsError};

// Forward lookups are done for at most this many PTR names (like SPF's ptr).
inline constexpr size_t kMaxPtrNames = 10;

struct PtrCheckRequest {
  IpAddress ip;           // IPv4-mapped IPv6 is checked as IPv4
  std::string helo_name;  // empty: no HELO checks
};

struct PtrCheckResult {
  PtrStatus status = PtrStatus::kDnsError;
  std::string reverse_name;  // "4.3.2.1.in-addr.arpa"
  DnsOutcome ptr_outcome = DnsOutcome::kError;
  std::vector<std::string> ptr_names;        // normalized, in answer order
  std::vector<std::string> confirmed_names;  // PTR names whose A/AAAA holds the IP
  bool forward_confirmed = false;
  std::optional<bool> helo_matches_ptr;     // unset without a HELO name
  std::optional<bool> helo_resolves_to_ip;  // unset without a HELO name or on DNS error
  bool generic = false;
  std::string generic_reason;  // e.g. "embeds the IP (1-2-3-4)", "token 'dsl'"
  std::vector<std::string> details;
};

// "d.c.b.a.in-addr.arpa" or the 32-nibble ".ip6.arpa" name.
std::string ReverseDnsName(const IpAddress& ip);

// True when `name` looks like an ISP's generic or dynamic host name for `ip`:
// it embeds the address (decimal octets joined by '-', '.', '_' or nothing,
// in either order, zero-padded or not; the 8-digit hex form; the 32-bit
// integer; for IPv6 the dashed or nibble forms), or a label holds a token
// such as dsl, dyn, dynamic, pool, cable, dhcp, dial, ppp, client, cpe, cust,
// broadband, residential. Only the labels left of the last two are examined,
// so the provider's own domain never counts. `reason` gets the evidence.
bool LooksGenericHostName(std::string_view name, const IpAddress& ip, std::string* reason);

PtrCheckResult CheckPtr(const PtrCheckRequest& request, DnsLookup& dns);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_AUTH_PTR_CHECK_H_
