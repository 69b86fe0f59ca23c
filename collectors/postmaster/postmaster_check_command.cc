#include "collectors/postmaster/postmaster_check_command.h"

#include <chrono>
#include <iomanip>
#include <map>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "collectors/postmaster/postmaster_client.h"
#include "exporter/core/check_args.h"
#include "exporter/util/ascii.h"
#include "exporter/util/json_string.h"

namespace mailrep {
namespace {

struct DomainAnswer {
  std::string domain;
  PostmasterStatsResult stats;
  PostmasterComplianceResult compliance;
};

std::string Number(double v) {
  std::ostringstream s;
  s << std::setprecision(10) << v;
  return s.str();
}

// {"spf": 0.99, ...} of the definitions of `kind` with a value; for delivery
// errors nested by type.
std::string JsonValues(const PostmasterStatsResult& stats, PostmasterMetricKind kind) {
  std::map<std::string_view, std::map<std::string_view, double>> by_label;
  for (size_t i = 0; i < kPostmasterMetricCount; ++i) {
    const PostmasterMetric& m = kPostmasterMetrics[i];
    if (m.kind == kind && stats.values[i]) by_label[m.label][m.reason] = *stats.values[i];
  }
  std::string out = "{";
  for (const auto& [label, reasons] : by_label) {
    out += (out.size() > 1 ? ", " : "") + JsonQuote(label) + ": ";
    if (kind != PostmasterMetricKind::kDeliveryErrorRate) {
      out += Number(reasons.begin()->second);
      continue;
    }
    std::string inner = "{";
    for (const auto& [reason, value] : reasons) {
      inner += (inner.size() > 1 ? ", " : "") + JsonQuote(reason) + ": " + Number(value);
    }
    out += inner + "}";
  }
  return out + "}";
}

void PrintJson(const std::vector<DomainAnswer>& answers, std::ostream& out) {
  out << "{\"domains\": [";
  for (size_t i = 0; i < answers.size(); ++i) {
    const DomainAnswer& a = answers[i];
    const PostmasterStatsResult& s = a.stats;
    out << (i ? ", " : "") << "{\"domain\": " << JsonQuote(a.domain)
        << ", \"domain_stats\": " << JsonQuote(PostmasterFetchReasonName(s.failure.reason))
        << ", \"compliance_status\": "
        << JsonQuote(PostmasterFetchReasonName(a.compliance.failure.reason))
        << ", \"stats_date\": " << (s.date ? JsonQuote(s.date->ToString()) : "null")
        << ", \"spam_ratio\": " << (s.values[0] ? Number(*s.values[0]) : "null")
        << ", \"auth_success_ratio\": " << JsonValues(s, PostmasterMetricKind::kAuthSuccessRate)
        << ", \"tls_ratio\": " << JsonValues(s, PostmasterMetricKind::kTlsRate)
        << ", \"delivery_error_ratio\": " << JsonValues(s, PostmasterMetricKind::kDeliveryErrorRate)
        << ", \"compliance\": {";
    bool first = true;
    for (size_t r = 0; r < kPostmasterRequirementCount; ++r) {
      const std::optional<bool>& c = a.compliance.compliance.compliant[r];
      if (!c) continue;
      out << (first ? "" : ", ")
          << JsonQuote(PostmasterRequirementName(kAllPostmasterRequirements[r])) << ": "
          << (*c ? "\"compliant\"" : "\"needs_work\"");
      first = false;
    }
    out << "}}";
  }
  out << "]}\n";
}

std::string Percent(double ratio) { return Number(ratio * 100) + "%"; }

void PrintText(const std::vector<DomainAnswer>& answers, std::ostream& out) {
  for (const DomainAnswer& a : answers) {
    const PostmasterStatsResult& s = a.stats;
    out << "Postmaster " << a.domain << ": domain_stats "
        << PostmasterFetchReasonName(s.failure.reason);
    if (!s.ok()) out << " (" << s.failure.error << ")";
    out << ", compliance_status " << PostmasterFetchReasonName(a.compliance.failure.reason);
    if (!a.compliance.ok()) out << " (" << a.compliance.failure.error << ")";
    out << "\n";
    if (s.date) {
      out << "  " << s.date->ToString() << ":";
      for (size_t i = 0; i < kPostmasterMetricCount; ++i) {
        if (!s.values[i]) continue;
        const PostmasterMetric& m = kPostmasterMetrics[i];
        if (m.kind == PostmasterMetricKind::kDeliveryErrorRate && *s.values[i] == 0) continue;
        out << " " << PostmasterMetricName(m) << " " << Percent(*s.values[i]);
      }
      out << "\n";
    }
    std::string needs_work, compliant;
    for (size_t r = 0; r < kPostmasterRequirementCount; ++r) {
      const std::optional<bool>& c = a.compliance.compliance.compliant[r];
      if (!c) continue;
      std::string& list = *c ? compliant : needs_work;
      list += (list.empty() ? "" : ", ") +
              std::string(PostmasterRequirementName(kAllPostmasterRequirements[r]));
    }
    if (!compliant.empty()) out << "  compliant: " << compliant << "\n";
    if (!needs_work.empty()) out << "  NEEDS WORK: " << needs_work << "\n";
  }
}

int RunCheckPostmaster(const CheckCommandContext& ctx) {
  int code = 0;
  std::optional<CheckArgs> args = ParseCheckCommandArgs(
      kPostmasterCheckCommand, ctx,
      {.options = {"credentials-file", "client-id", "client-secret-file", "refresh-token-file",
                   "domain", "token-url", "api-url", "ca-file"}},
      &code);
  if (!args) return code;
  PostmasterClientOptions options;
  options.credentials.credentials_file = args->Get("credentials-file");
  options.credentials.client_id = args->Get("client-id");
  options.credentials.client_secret_file = args->Get("client-secret-file");
  options.credentials.refresh_token_file = args->Get("refresh-token-file");
  if (options.credentials.empty()) {
    return CheckUsageError(kPostmasterCheckCommand, ctx,
                           "give --credentials-file, or --client-id, --client-secret-file and "
                           "--refresh-token-file");
  }
  if (args->GetAll("domain").empty()) {
    return CheckUsageError(kPostmasterCheckCommand, ctx, "give at least one --domain");
  }
  options.token_url = args->Get("token-url", std::string(kGoogleTokenUrl));
  options.api_url = args->Get("api-url", std::string(kPostmasterDefaultApiUrl));
  for (const std::string* url : {&options.token_url, &options.api_url}) {
    if (url->rfind("https://", 0) != 0) {
      return CheckUsageError(kPostmasterCheckCommand, ctx, *url + " is not an https:// URL");
    }
  }
  if (options.api_url.back() != '/') options.api_url += '/';
  options.ca_file = args->Get("ca-file");
  StatusOr<PostmasterCredentials> credentials = PostmasterCredentials::Read(options.credentials);
  if (!credentials.ok()) {
    ctx.err << "check postmaster: " << credentials.status().message() << "\n";
    return 2;
  }
  if (!ctx.http) {
    ctx.err << "check postmaster: no HTTP fetcher\n";
    return 2;
  }
  PostmasterClient client(options, ctx.http, Clock::Real());
  std::vector<DomainAnswer> answers;
  bool good = true;
  for (const std::string& d : args->GetAll("domain")) {
    DomainAnswer a;
    a.domain = ToLowerAscii(d);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
    a.stats = client.QueryDomainStats(a.domain, deadline);
    a.compliance = client.GetComplianceStatus(a.domain, deadline);
    good = good && a.stats.ok() && a.compliance.ok() && a.stats.values[0].value_or(0) < 0.001;
    for (const std::optional<bool>& c : a.compliance.compliance.compliant) {
      good = good && c.value_or(true);
    }
    answers.push_back(std::move(a));
  }
  if (args->json()) {
    PrintJson(answers, ctx.out);
  } else {
    PrintText(answers, ctx.out);
  }
  return good ? 0 : 1;
}

}  // namespace

const CheckCommand kPostmasterCheckCommand = {
    "postmaster",
    "check postmaster (--credentials-file FILE | --client-id ID --client-secret-file FILE "
    "--refresh-token-file FILE) --domain DOMAIN... [--token-url URL] [--api-url URL] "
    "[--ca-file PEM_FILE] [--format text|json]",
    "Google Postmaster Tools v2 per domain (spam rate, authentication and TLS rates, delivery "
    "errors, compliance), fetched over HTTPS.",
    RunCheckPostmaster};

}  // namespace mailrep
