#include "collectors/auth/sender_id.h"

#include <utility>

#include "collectors/auth/spf_record.h"

namespace mailrep {

SenderIdReport CheckSenderId(const SpfRequest& request, DnsLookup& dns, SpfOptions options) {
  options.scope = SpfRecordScope::kSenderIdMfrom;
  SenderIdReport report;
  report.mfrom = CheckSpf(request, dns, options);
  report.domain = report.mfrom.domain;
  if (report.domain.empty()) return report;
  DnsAnswer answer = dns.Lookup(report.domain, RecordType::kTxt);
  if (answer.outcome != DnsOutcome::kData) return report;
  for (const DnsRecord& rr : answer.records) {
    if (rr.type != RecordType::kTxt) continue;
    std::string text;
    for (const std::string& part : rr.texts) text += part;
    std::optional<std::vector<std::string>> scopes = SenderIdScopes(text);
    if (!scopes) continue;
    SenderIdRecord record;
    record.scopes = std::move(*scopes);
    StatusOr<SpfRecord> parsed = ParseSpfRecord(text);
    record.valid = parsed.ok();
    if (!parsed.ok()) record.error = parsed.status().message();
    record.text = std::move(text);
    report.records.push_back(std::move(record));
  }
  return report;
}

}  // namespace mailrep
