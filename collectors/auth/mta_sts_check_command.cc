#include "collectors/auth/mta_sts_check_command.h"

#include <chrono>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "collectors/auth/mta_sts_collector.h"
#include "collectors/auth/mta_sts_fetcher.h"
#include "collectors/auth/mta_sts_record.h"
#include "collectors/dns/dns_engine.h"
#include "exporter/core/check_args.h"
#include "exporter/util/json_string.h"

namespace mailrep {
namespace {

void PrintText(const MtaStsCheckResult& r, std::ostream& out) {
  out << "MTA-STS " << r.domain << ": " << MtaStsStatusName(r.status) << "\n"
      << "  TXT record:  " << (r.txt_record.empty() ? "(none)" : r.txt_record) << "\n"
      << "  policy:      " << r.policy_url << (r.policy_fetched ? "" : " (not fetched)") << "\n";
  if (r.policy) {
    out << "  mode:        " << MtaStsModeName(r.policy->mode) << "\n"
        << "  max_age:     " << r.policy->max_age << " s\n";
    for (const std::string& p : r.policy->mx) out << "  mx pattern:  " << p << "\n";
  }
  for (const MtaStsMxHost& h : r.mx_hosts) {
    out << "  MX host:     " << h.host << (h.covered ? " (covered)" : " (NOT covered)") << "\n";
  }
  out << "TLS-RPT: " << TlsRptStatusName(r.tls_rpt_status) << "\n";
  if (!r.tls_rpt_record.empty()) out << "  record:      " << r.tls_rpt_record << "\n";
  for (const std::string& d : r.details) out << "  " << d << "\n";
}

void PrintJson(const MtaStsCheckResult& r, std::ostream& out) {
  auto list = [&out](const std::vector<std::string>& items) {
    out << "[";
    for (size_t i = 0; i < items.size(); ++i) out << (i ? ", " : "") << JsonQuote(items[i]);
    out << "]";
  };
  out << "{\"domain\": " << JsonQuote(r.domain)
      << ", \"status\": " << JsonQuote(MtaStsStatusName(r.status))
      << ", \"txt_record\": " << JsonQuote(r.txt_record) << ", \"id\": " << JsonQuote(r.policy_id)
      << ", \"policy_url\": " << JsonQuote(r.policy_url)
      << ", \"policy_fetched\": " << (r.policy_fetched ? "true" : "false");
  if (r.policy) {
    out << ", \"mode\": " << JsonQuote(MtaStsModeName(r.policy->mode))
        << ", \"max_age\": " << r.policy->max_age << ", \"mx_patterns\": ";
    list(r.policy->mx);
  } else {
    out << ", \"mode\": null, \"max_age\": null, \"mx_patterns\": []";
  }
  out << ", \"mx_hosts\": [";
  for (size_t i = 0; i < r.mx_hosts.size(); ++i) {
    out << (i ? ", " : "") << "{\"host\": " << JsonQuote(r.mx_hosts[i].host)
        << ", \"covered\": " << (r.mx_hosts[i].covered ? "true" : "false") << "}";
  }
  out << "], \"tls_rpt_status\": " << JsonQuote(TlsRptStatusName(r.tls_rpt_status))
      << ", \"tls_rpt_record\": " << JsonQuote(r.tls_rpt_record) << ", \"tls_rpt_rua\": ";
  list(r.tls_rpt_rua);
  out << ", \"details\": ";
  list(r.details);
  out << "}\n";
}

int RunCheckMtaSts(const CheckCommandContext& ctx) {
  int code = 0;
  std::optional<CheckArgs> args = ParseCheckCommandArgs(
      kMtaStsCheckCommand, ctx, {.options = {"domain", "dns-server", "ca-file"}}, &code);
  if (!args) return code;
  std::string domain = args->Get("domain");
  if (domain.empty()) return CheckUsageError(kMtaStsCheckCommand, ctx, "--domain is required");
  if (!IsValidMtaStsHostName(domain)) {
    return CheckUsageError(kMtaStsCheckCommand, ctx, domain + " is not a valid domain name");
  }
  StatusOr<std::shared_ptr<Resolver>> resolver =
      StartDnsEngineForCheck(args->GetAll("dns-server"), ctx.resolv_conf);
  if (!resolver.ok()) {
    ctx.err << "check mta_sts: " << resolver.status().message() << "\n";
    return 2;
  }
  if (!ctx.http) {
    ctx.err << "check mta_sts: no HTTP fetcher\n";
    return 2;
  }
  MtaStsFetcherOptions fetch;
  fetch.ca_file = args->Get("ca-file");
  std::unique_ptr<MtaStsFetcher> fetcher = NewMtaStsFetcher(ctx.http, std::move(fetch));
  MtaStsCheckResult r =
      RunMtaStsCheck(**resolver, *fetcher, domain,
                     std::chrono::steady_clock::now() + std::chrono::seconds(60), {});
  if (args->json()) {
    PrintJson(r, ctx.out);
  } else {
    PrintText(r, ctx.out);
  }
  return r.status == MtaStsStatus::kValid ? 0 : 1;
}

}  // namespace

const CheckCommand kMtaStsCheckCommand = {
    "mta_sts",
    "check mta_sts --domain DOMAIN [--dns-server HOST:PORT]... [--ca-file PEM_FILE] "
    "[--format text|json]",
    "MTA-STS record and policy (fetched over HTTPS), MX coverage, and the TLS-RPT record.",
    RunCheckMtaSts};

}  // namespace mailrep
