#include "collectors/auth/dmarc_check_command.h"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "collectors/dns/dns_engine.h"
#include "exporter/core/check_args.h"
#include "exporter/util/json_string.h"

namespace mailrep {
namespace {

std::string JsonList(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + JsonQuote(items[i]);
  return out + "]";
}

}  // namespace

void PrintDmarcCheck(const DmarcCheckResult& r, const DmarcConfiguredAlignment* alignment,
                     bool json, std::ostream& out) {
  const DmarcRecord* record = r.record ? &*r.record : nullptr;
  std::string policy = r.applied_policy ? std::string(DmarcPolicyName(*r.applied_policy)) : "";
  if (json) {
    out << "{\"domain\": " << JsonQuote(r.domain)
        << ", \"status\": " << JsonQuote(DmarcStatusName(r.status))
        << ", \"organizational_domain\": " << JsonQuote(r.organizational_domain)
        << ", \"record_domain\": " << JsonQuote(r.record_domain)
        << ", \"from_organizational_domain\": " << (r.from_organizational_domain ? "true" : "false")
        << ", \"records_found\": " << r.records_found
        << ", \"record\": " << JsonQuote(r.record_text)
        << ", \"policy\": " << (policy.empty() ? "null" : JsonQuote(policy))
        << ", \"pct\": " << (record ? record->pct : 100) << ", \"adkim\": "
        << JsonQuote(DmarcAlignmentModeName(record ? record->adkim : DmarcAlignmentMode::kRelaxed))
        << ", \"aspf\": "
        << JsonQuote(DmarcAlignmentModeName(record ? record->aspf : DmarcAlignmentMode::kRelaxed));
    if (alignment != nullptr) {
      out << ", \"spf_aligned\": " << (alignment->spf_aligned ? "true" : "false")
          << ", \"dkim_aligned\": " << (alignment->dkim_aligned ? "true" : "false");
    }
    out << ", \"report_destinations\": [";
    for (size_t i = 0; i < r.destinations.size(); ++i) {
      const DmarcReportDestination& d = r.destinations[i];
      out << (i ? ", " : "") << "{\"tag\": " << JsonQuote(d.tag)
          << ", \"uri\": " << JsonQuote(d.uri)
          << ", \"external\": " << (d.external ? "true" : "false")
          << ", \"authorization_name\": " << JsonQuote(d.authorization_name)
          << ", \"status\": " << JsonQuote(DmarcDestinationStatusName(d.status)) << "}";
    }
    out << "], \"details\": " << JsonList(r.details) << "}";
    return;
  }
  out << "DMARC for " << r.domain << ": " << DmarcStatusName(r.status) << "\n";
  if (!r.record_domain.empty()) {
    out << "  record at:    _dmarc." << r.record_domain
        << (r.from_organizational_domain ? "  (organizational domain fallback)" : "") << "\n"
        << "  record:       " << r.record_text << "\n";
  }
  out << "  policy:       " << (policy.empty() ? "(no DMARC applies)" : policy);
  if (record != nullptr && !policy.empty()) {
    out << ", pct " << record->pct << ", aspf " << DmarcAlignmentModeName(record->aspf)
        << ", adkim " << DmarcAlignmentModeName(record->adkim);
  }
  out << "\n";
  if (alignment != nullptr) {
    out << "  alignment:    SPF " << (alignment->spf_aligned ? "aligned" : "not aligned")
        << ", DKIM " << (alignment->dkim_aligned ? "aligned" : "not aligned")
        << " (configured identities)\n";
  }
  for (const DmarcReportDestination& d : r.destinations) {
    out << "  " << d.tag << ":          " << d.uri;
    if (d.external) out << "  " << DmarcDestinationStatusName(d.status);
    out << "\n";
  }
  for (const std::string& d : r.details) out << "  " << d << "\n";
}

namespace {

int RunCheckDmarc(const CheckCommandContext& ctx) {
  int code = 0;
  std::optional<CheckArgs> args =
      ParseCheckCommandArgs(kDmarcCheckCommand, ctx, {.options = {"domain", "dns-server"}}, &code);
  if (!args) return code;
  std::string domain = args->Get("domain");
  if (domain.empty()) return CheckUsageError(kDmarcCheckCommand, ctx, "--domain is required");
  StatusOr<std::shared_ptr<const PublicSuffixList>> psl = LoadSystemPublicSuffixList();
  if (!psl.ok()) {
    ctx.err << "check dmarc: " << psl.status().message() << "\n";
    return 2;
  }
  StatusOr<std::shared_ptr<Resolver>> resolver =
      StartDnsEngineForCheck(args->GetAll("dns-server"), ctx.resolv_conf);
  if (!resolver.ok()) {
    ctx.err << "check dmarc: " << resolver.status().message() << "\n";
    return 2;
  }
  DmarcCheckResult r = RunDmarcCheck(**resolver, **psl, domain,
                                     std::chrono::steady_clock::now() + std::chrono::seconds(30));
  PrintDmarcCheck(r, nullptr, args->json(), ctx.out);
  if (args->json()) ctx.out << "\n";
  return DmarcCheckPassed(r) ? 0 : 1;
}

}  // namespace

const CheckCommand kDmarcCheckCommand = {
    "dmarc", "check dmarc --domain DOMAIN [--dns-server HOST:PORT]... [--format text|json]",
    "The domain's DMARC record: found (or inherited), valid, policy, report authorization.",
    RunCheckDmarc};

}  // namespace mailrep
