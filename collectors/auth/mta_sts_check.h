// MTA-STS and TLS-RPT check of one mail domain (RFC 8461, RFC 8460): the
// `_mta-sts` TXT record, the policy file (fetched through an MtaStsFetcher),
// whether the policy's mx patterns cover every MX host the domain publishes,
// and the `_smtp._tls` TLS-RPT record. DNS goes through DnsLookup (the exporter
// adapts its resolver; tests use MemoryDns); a DNS failure (SERVFAIL,
// timeout, ...) is dns_error, never "missing".
#ifndef MAILREP_COLLECTORS_AUTH_MTA_STS_CHECK_H_
#define MAILREP_COLLECTORS_AUTH_MTA_STS_CHECK_H_

#include <cstdint>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/auth/mta_sts_fetcher.h"
#include "collectors/auth/mta_sts_record.h"
#include "collectors/auth/tls_rpt_record.h"
#include "collectors/dns/dns_lookup.h"

namespace mailrep {

// Worst first: dns_error (TXT or MX lookup failed) > fetch_error (policy not
// retrievable: TLS, HTTP status, redirect, content type, size, timeout) >
// invalid (several or malformed TXT records, malformed policy) > mx_mismatch
// (an MX host matches no pattern; not judged for mode none) > missing (no
// MTA-STS TXT record: not deployed, no fetch is made) > valid.
enum class MtaStsStatus { kValid, kMissing, kInvalid, kFetchError, kMxMismatch, kDnsError };
inline constexpr MtaStsStatus kAllMtaStsStatuses[] = {
    MtaStsStatus::kValid,      MtaStsStatus::kMissing,    MtaStsStatus::kInvalid,
    MtaStsStatus::kFetchError, MtaStsStatus::kMxMismatch, MtaStsStatus::kDnsError};
// "valid", "missing", "invalid", "fetch_error", "mx_mismatch", "dns_error".
std::string_view MtaStsStatusName(MtaStsStatus status);

// dns_error > invalid (several or malformed records) > missing > valid.
enum class TlsRptStatus { kValid, kMissing, kInvalid, kDnsError };
inline constexpr TlsRptStatus kAllTlsRptStatuses[] = {
    TlsRptStatus::kValid, TlsRptStatus::kMissing, TlsRptStatus::kInvalid, TlsRptStatus::kDnsError};
std::string_view TlsRptStatusName(TlsRptStatus status);

struct MtaStsMxHost {
  std::string host;
  bool covered = false;
};

struct MtaStsCheckResult {
  std::string domain;  // normalized
  MtaStsStatus status = MtaStsStatus::kMissing;
  std::string txt_record;  // the (first) candidate record, "" when none
  std::string policy_id;   // id= of a valid TXT record
  std::string policy_url;
  bool policy_fetched = false;
  std::optional<MtaStsPolicy> policy;  // a fetched and valid policy
  std::vector<MtaStsMxHost> mx_hosts;  // the domain's MX hosts (or the implicit MX)
  TlsRptStatus tls_rpt_status = TlsRptStatus::kMissing;
  std::string tls_rpt_record;
  std::vector<std::string> tls_rpt_rua;
  // Human-readable findings, for /probe and `check`; never labels.
  std::vector<std::string> details;
};

// Checks `domain` (a host name; normalized first). Makes at most one fetch
// and three DNS lookups (TXT _mta-sts, MX, TXT _smtp._tls).
MtaStsCheckResult CheckMtaSts(std::string_view domain, DnsLookup& dns, MtaStsFetcher& fetcher,
                              SteadyTime deadline, std::stop_token stop = {});

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_AUTH_MTA_STS_CHECK_H_
