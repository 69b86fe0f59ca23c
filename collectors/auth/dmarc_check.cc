#include "collectors/auth/dmarc_check.h"

#include <algorithm>
#include <map>

namespace mailrep {
namespace {

std::string JoinTexts(const DnsRecord& record) {
  std::string text;
  for (const std::string& part : record.texts) text += part;
  return text;
}

std::string DnsErrorText(const DnsAnswer& answer) {
  return std::string(DnsOutcomeName(answer.outcome)) +
         (answer.error.empty() ? "" : " (" + answer.error + ")");
}

DmarcDestinationStatus Authorize(DnsLookup& dns, const std::string& name) {
  DnsAnswer answer = dns.Lookup(name, RecordType::kTxt);
  DmarcSelection selection = SelectDmarcRecords(answer);
  if (selection.dns_error()) return DmarcDestinationStatus::kDnsError;
  return selection.records.empty() ? DmarcDestinationStatus::kNotAuthorized
                                   : DmarcDestinationStatus::kAuthorized;
}

void CheckDestinations(DmarcCheckResult& result, DnsLookup& dns, const PublicSuffixList& psl,
                       int max_lookups) {
  std::string policy_org = psl.OrganizationalDomain(result.record_domain);
  std::map<std::string, DmarcDestinationStatus> cache;
  auto add = [&](const char* tag, const std::vector<DmarcReportUri>& uris) {
    for (const DmarcReportUri& uri : uris) {
      DmarcReportDestination destination;
      destination.tag = tag;
      destination.uri = uri.uri;
      destination.domain = uri.domain;
      if (!uri.domain.empty() && psl.OrganizationalDomain(uri.domain) != policy_org) {
        destination.external = true;
        destination.authorization_name = result.record_domain + "._report._dmarc." + uri.domain;
        auto it = cache.find(destination.authorization_name);
        if (it != cache.end()) {
          destination.status = it->second;
        } else if (static_cast<int>(cache.size()) < max_lookups) {
          destination.status = Authorize(dns, destination.authorization_name);
          cache.emplace(destination.authorization_name, destination.status);
        } else {
          destination.status = DmarcDestinationStatus::kNotChecked;
        }
        if (destination.status == DmarcDestinationStatus::kNotAuthorized) {
          result.details.push_back(std::string(tag) + " " + uri.uri + ": no v=DMARC1 record at " +
                                   destination.authorization_name +
                                   "; receivers will not send these reports");
        }
      }
      result.destinations.push_back(std::move(destination));
    }
  };
  add("rua", result.record->rua);
  add("ruf", result.record->ruf);
}

}  // namespace

std::string_view DmarcStatusName(DmarcStatus status) {
  switch (status) {
    case DmarcStatus::kValid:
      return "valid";
    case DmarcStatus::kMissing:
      return "missing";
    case DmarcStatus::kInvalid:
      return "invalid";
    case DmarcStatus::kMultiple:
      return "multiple";
    case DmarcStatus::kDnsError:
      return "dns_error";
  }
  return "unknown";
}

std::string_view DmarcDestinationStatusName(DmarcDestinationStatus status) {
  switch (status) {
    case DmarcDestinationStatus::kNotNeeded:
      return "not_needed";
    case DmarcDestinationStatus::kAuthorized:
      return "authorized";
    case DmarcDestinationStatus::kNotAuthorized:
      return "not_authorized";
    case DmarcDestinationStatus::kDnsError:
      return "dns_error";
    case DmarcDestinationStatus::kNotChecked:
      return "not_checked";
  }
  return "unknown";
}

bool DmarcSelection::dns_error() const {
  return outcome != DnsOutcome::kData && outcome != DnsOutcome::kNoData &&
         outcome != DnsOutcome::kNxDomain;
}

DmarcSelection SelectDmarcRecords(const DnsAnswer& answer) {
  DmarcSelection selection;
  selection.outcome = answer.outcome;
  if (answer.outcome != DnsOutcome::kData) return selection;
  for (const DnsRecord& record : answer.records) {
    if (record.type != RecordType::kTxt) continue;
    std::string text = JoinTexts(record);
    if (IsDmarcRecordText(text)) selection.records.push_back(std::move(text));
  }
  return selection;
}

DmarcCheckResult CheckDmarc(std::string_view domain, DnsLookup& dns, const PublicSuffixList& psl,
                            DmarcCheckOptions options) {
  DmarcCheckResult result;
  result.domain = NormalizeDnsName(domain);
  result.organizational_domain = psl.OrganizationalDomain(result.domain);
  std::string name = "_dmarc." + result.domain;
  DnsAnswer answer = dns.Lookup(name, RecordType::kTxt);
  DmarcSelection selection = SelectDmarcRecords(answer);
  result.record_domain = result.domain;
  if (selection.dns_error()) {
    result.status = DmarcStatus::kDnsError;
    result.details.push_back(name + ": DNS lookup failed: " + DnsErrorText(answer));
    return result;
  }
  if (selection.records.empty() && result.organizational_domain != result.domain) {
    std::string org_name = "_dmarc." + result.organizational_domain;
    answer = dns.Lookup(org_name, RecordType::kTxt);
    selection = SelectDmarcRecords(answer);
    result.record_domain = result.organizational_domain;
    result.from_organizational_domain = true;
    if (selection.dns_error()) {
      result.status = DmarcStatus::kDnsError;
      result.details.push_back(org_name + ": DNS lookup failed: " + DnsErrorText(answer));
      return result;
    }
  }
  result.records_found = static_cast<int>(selection.records.size());
  if (selection.records.empty()) {
    result.status = DmarcStatus::kMissing;
    result.record_domain.clear();
    result.from_organizational_domain = false;
    result.details.push_back("no DMARC record at _dmarc." + result.domain +
                             (result.organizational_domain != result.domain
                                  ? " nor at _dmarc." + result.organizational_domain
                                  : ""));
    return result;
  }
  result.record_text = selection.records.front();
  if (selection.records.size() > 1) {
    result.status = DmarcStatus::kMultiple;
    result.details.push_back(std::to_string(selection.records.size()) +
                             " DMARC records at _dmarc." + result.record_domain +
                             ": receivers apply no DMARC policy");
    return result;
  }
  StatusOr<DmarcRecord> record = ParseDmarcRecord(result.record_text);
  if (!record.ok()) {
    result.status = DmarcStatus::kInvalid;
    result.details.push_back("record syntax: " + record.status().message());
    return result;
  }
  result.record = *record;
  result.status = record->valid() ? DmarcStatus::kValid : DmarcStatus::kInvalid;
  for (const std::string& error : record->errors) result.details.push_back(error);
  if (!record->effective_policy) {
    result.applied_policy = std::nullopt;
  } else if (result.from_organizational_domain && record->valid()) {
    result.applied_policy = record->SubdomainPolicy();
  } else {
    result.applied_policy = record->effective_policy;
  }
  if (options.check_report_destinations) {
    CheckDestinations(result, dns, psl, options.max_authorization_lookups);
  }
  for (const std::string& warning : record->warnings) result.details.push_back(warning);
  return result;
}

bool DmarcAligned(std::string_view from_domain, std::string_view authenticated_domain,
                  DmarcAlignmentMode mode, const PublicSuffixList& psl) {
  std::string from = NormalizeDnsName(from_domain);
  std::string other = NormalizeDnsName(authenticated_domain);
  if (from == "." || other == ".") return false;
  if (mode == DmarcAlignmentMode::kStrict) return from == other;
  return psl.OrganizationalDomain(from) == psl.OrganizationalDomain(other);
}

DmarcAlignmentReport CheckDmarcAlignment(std::string_view from_domain,
                                         std::string_view envelope_domain,
                                         const std::vector<std::string>& dkim_domains,
                                         const DmarcRecord& record, const PublicSuffixList& psl) {
  DmarcAlignmentReport report;
  report.spf_aligned =
      !envelope_domain.empty() && DmarcAligned(from_domain, envelope_domain, record.aspf, psl);
  for (const std::string& d : dkim_domains) {
    bool aligned = DmarcAligned(from_domain, d, record.adkim, psl);
    report.dkim_aligned.push_back(aligned);
    report.any_dkim_aligned |= aligned;
  }
  return report;
}

int UnauthorizedDestinations(const DmarcCheckResult& result) {
  return static_cast<int>(std::count_if(result.destinations.begin(), result.destinations.end(),
                                        [](const DmarcReportDestination& d) {
                                          return d.status == DmarcDestinationStatus::kNotAuthorized;
                                        }));
}

bool DmarcCheckPassed(const DmarcCheckResult& result) {
  return result.status == DmarcStatus::kValid && UnauthorizedDestinations(result) == 0;
}

}  // namespace mailrep
