#include "collectors/auth/mta_sts_check.h"

#include <algorithm>

namespace mailrep {
namespace {

std::string JoinTexts(const DnsRecord& record) {
  std::string text;
  for (const std::string& s : record.texts) text += s;
  return text;
}

bool IsDnsFailure(const DnsAnswer& answer) {
  return answer.outcome != DnsOutcome::kData && answer.outcome != DnsOutcome::kNoData &&
         answer.outcome != DnsOutcome::kNxDomain;
}

std::string DnsFailure(std::string_view what, const DnsAnswer& answer) {
  std::string s =
      std::string(what) + " lookup failed: " + std::string(DnsOutcomeName(answer.outcome));
  if (!answer.error.empty()) s += " (" + answer.error + ")";
  return s;
}

// The candidate records (joined) among a TXT answer's records.
std::vector<std::string> Candidates(const DnsAnswer& answer,
                                    bool (*is_candidate)(std::string_view)) {
  std::vector<std::string> out;
  for (const DnsRecord& record : answer.records) {
    if (record.type != RecordType::kTxt) continue;
    std::string text = JoinTexts(record);
    if (is_candidate(text)) out.push_back(std::move(text));
  }
  return out;
}

void CheckTlsRpt(const std::string& domain, DnsLookup& dns, MtaStsCheckResult* r) {
  DnsAnswer answer = dns.Lookup("_smtp._tls." + domain, RecordType::kTxt);
  if (IsDnsFailure(answer)) {
    r->tls_rpt_status = TlsRptStatus::kDnsError;
    r->details.push_back(DnsFailure("TLS-RPT TXT _smtp._tls." + domain, answer));
    return;
  }
  std::vector<std::string> records = Candidates(answer, IsTlsRptTxtCandidate);
  if (records.empty()) {
    r->tls_rpt_status = TlsRptStatus::kMissing;
    r->details.push_back("no TLS-RPT record at _smtp._tls." + domain);
    return;
  }
  r->tls_rpt_record = records[0];
  if (records.size() > 1) {
    r->tls_rpt_status = TlsRptStatus::kInvalid;
    r->details.push_back(std::to_string(records.size()) +
                         " TLS-RPT records (senders then use none)");
    return;
  }
  StatusOr<TlsRptRecord> parsed = ParseTlsRptTxt(records[0]);
  if (!parsed.ok()) {
    r->tls_rpt_status = TlsRptStatus::kInvalid;
    r->details.push_back("TLS-RPT record invalid: " + parsed.status().message());
    return;
  }
  r->tls_rpt_status = TlsRptStatus::kValid;
  r->tls_rpt_rua = parsed->rua;
  for (const std::string& note : parsed->notes) r->details.push_back("TLS-RPT: " + note);
}

}  // namespace

std::string_view MtaStsStatusName(MtaStsStatus status) {
  switch (status) {
    case MtaStsStatus::kValid:
      return "valid";
    case MtaStsStatus::kMissing:
      return "missing";
    case MtaStsStatus::kInvalid:
      return "invalid";
    case MtaStsStatus::kFetchError:
      return "fetch_error";
    case MtaStsStatus::kMxMismatch:
      return "mx_mismatch";
    case MtaStsStatus::kDnsError:
      return "dns_error";
  }
  return "unknown";
}

std::string_view TlsRptStatusName(TlsRptStatus status) {
  switch (status) {
    case TlsRptStatus::kValid:
      return "valid";
    case TlsRptStatus::kMissing:
      return "missing";
    case TlsRptStatus::kInvalid:
      return "invalid";
    case TlsRptStatus::kDnsError:
      return "dns_error";
  }
  return "unknown";
}

MtaStsCheckResult CheckMtaSts(std::string_view domain_in, DnsLookup& dns, MtaStsFetcher& fetcher,
                              SteadyTime deadline, std::stop_token stop) {
  MtaStsCheckResult r;
  r.domain = NormalizeDnsName(domain_in);
  r.policy_url = MtaStsPolicyUrl(r.domain);
  bool dns_error = false, fetch_error = false, invalid = false, mismatch = false;

  DnsAnswer txt = dns.Lookup("_mta-sts." + r.domain, RecordType::kTxt);
  std::vector<std::string> records;
  if (IsDnsFailure(txt)) {
    dns_error = true;
    r.details.push_back(DnsFailure("MTA-STS TXT _mta-sts." + r.domain, txt));
  } else {
    records = Candidates(txt, IsMtaStsTxtCandidate);
    if (records.empty()) r.details.push_back("no MTA-STS record at _mta-sts." + r.domain);
  }
  if (!records.empty()) {
    r.txt_record = records[0];
    if (records.size() > 1) {
      invalid = true;
      r.details.push_back(std::to_string(records.size()) +
                          " MTA-STS TXT records (senders then assume no policy)");
    } else if (StatusOr<MtaStsTxtRecord> parsed = ParseMtaStsTxt(records[0]); !parsed.ok()) {
      invalid = true;
      r.details.push_back("MTA-STS TXT record invalid: " + parsed.status().message());
    } else {
      r.policy_id = parsed->id;
    }
  }

  // No TXT record at all: not deployed, nothing to fetch. A failed TXT lookup
  // still fetches, so the policy's state is known during a DNS outage.
  std::vector<IpAddress> addresses;
  bool fetch = dns_error || !records.empty();
  if (fetch) {
    std::string host = "mta-sts." + r.domain;
    bool failed = false;
    for (RecordType type : {RecordType::kA, RecordType::kAaaa}) {
      DnsAnswer answer = dns.Lookup(host, type);
      if (IsDnsFailure(answer)) {
        failed = true;
        r.details.push_back(DnsFailure(host, answer));
        continue;
      }
      for (const DnsRecord& record : answer.records) {
        if (record.type == type) addresses.push_back(record.address);
      }
    }
    if (addresses.empty()) {
      fetch = false;
      if (failed) {
        dns_error = true;
      } else {
        fetch_error = true;
        r.details.push_back("policy host " + host + " has no address");
      }
    }
  }
  if (fetch) {
    MtaStsFetchResult fetched = fetcher.Fetch(r.domain, addresses, deadline, stop);
    if (!fetched.ok) {
      fetch_error = true;
      r.details.push_back("policy fetch " + r.policy_url + " failed: " + fetched.error);
    } else if (StatusOr<MtaStsPolicy> policy = ParseMtaStsPolicy(fetched.body); !policy.ok()) {
      r.policy_fetched = true;
      invalid = true;
      r.details.push_back("policy invalid: " + policy.status().message());
    } else {
      r.policy_fetched = true;
      r.policy = *std::move(policy);
      for (const std::string& note : r.policy->notes) r.details.push_back("policy: " + note);
    }
  }

  if (r.policy && r.policy->mode != MtaStsMode::kNone) {
    DnsAnswer mx = dns.Lookup(r.domain, RecordType::kMx);
    if (IsDnsFailure(mx)) {
      dns_error = true;
      r.details.push_back(DnsFailure("MX " + r.domain, mx));
    } else {
      std::vector<std::string> hosts;
      for (const DnsRecord& record : mx.records) {
        if (record.type == RecordType::kMx) hosts.push_back(NormalizeDnsName(record.target));
      }
      if (hosts.empty()) {
        hosts.push_back(r.domain);  // RFC 5321 §5.1 implicit MX
        r.details.push_back("no MX records: the domain itself is the implicit MX");
      }
      std::sort(hosts.begin(), hosts.end());
      hosts.erase(std::unique(hosts.begin(), hosts.end()), hosts.end());
      for (const std::string& host : hosts) {
        if (host == ".") {
          r.details.push_back("null MX (\".\"): the domain accepts no mail");
          continue;
        }
        bool covered = std::any_of(r.policy->mx.begin(), r.policy->mx.end(),
                                   [&](const std::string& p) { return MtaStsMxMatches(p, host); });
        r.mx_hosts.push_back({host, covered});
        if (!covered) {
          mismatch = true;
          r.details.push_back("MX host " + host + " matches no mx pattern of the policy");
        }
      }
    }
  }
  if (r.policy && r.policy->max_age < 86400) {
    r.details.push_back("max_age " + std::to_string(r.policy->max_age) +
                        " s is short (weeks or more recommended)");
  }

  r.status = dns_error         ? MtaStsStatus::kDnsError
             : fetch_error     ? MtaStsStatus::kFetchError
             : invalid         ? MtaStsStatus::kInvalid
             : mismatch        ? MtaStsStatus::kMxMismatch
             : records.empty() ? MtaStsStatus::kMissing
                               : MtaStsStatus::kValid;
  CheckTlsRpt(r.domain, dns, &r);
  return r;
}

}  // namespace mailrep
