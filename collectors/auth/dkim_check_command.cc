#include "collectors/auth/dkim_check_command.h"

#include <chrono>
#include <memory>
#include <optional>

#include "collectors/auth/dkim_collector.h"
#include "collectors/dns/dns_engine.h"
#include "exporter/core/check_args.h"
#include "exporter/util/json_string.h"

namespace mailrep {

void PrintDkimCheck(const DkimKeyCheckResult& r, bool json, std::ostream& out) {
  if (json) {
    out << "{\"record_name\": " << JsonQuote(r.record_name)
        << ", \"status\": " << JsonQuote(DkimKeyStatusName(r.status))
        << ", \"key_bits\": " << r.key_bits << ", \"testing\": " << (r.testing ? "true" : "false")
        << ", \"signing_key\": " << JsonQuote(DkimSigningKeyMatchName(r.signing_key))
        << ", \"record\": " << JsonQuote(r.record_text) << ", \"details\": [";
    for (size_t i = 0; i < r.details.size(); ++i) {
      out << (i ? ", " : "") << JsonQuote(r.details[i]);
    }
    out << "]}";
  } else {
    out << "DKIM key " << r.record_name << ": " << DkimKeyStatusName(r.status) << "\n"
        << "  key bits:     " << r.key_bits << "\n"
        << "  signing key:  " << DkimSigningKeyMatchName(r.signing_key) << "\n";
    for (const std::string& d : r.details) out << "  " << d << "\n";
  }
}

namespace {

int RunCheckDkim(const CheckCommandContext& ctx) {
  int code = 0;
  std::optional<CheckArgs> args = ParseCheckCommandArgs(
      kDkimCheckCommand, ctx, {.options = {"domain", "selector", "key", "dns-server"}}, &code);
  if (!args) return code;
  DkimKeyCheckRequest request{args->Get("domain"), args->Get("selector"), args->Get("key")};
  if (request.domain.empty())
    return CheckUsageError(kDkimCheckCommand, ctx, "--domain is required");
  if (request.selector.empty()) {
    return CheckUsageError(kDkimCheckCommand, ctx, "--selector is required");
  }
  StatusOr<std::shared_ptr<Resolver>> resolver =
      StartDnsEngineForCheck(args->GetAll("dns-server"), ctx.resolv_conf);
  if (!resolver.ok()) {
    ctx.err << "check dkim: " << resolver.status().message() << "\n";
    return 2;
  }
  DkimKeyCheckResult r = RunDkimCheck(
      **resolver, request, std::chrono::steady_clock::now() + std::chrono::seconds(30), {});
  PrintDkimCheck(r, args->json(), ctx.out);
  if (args->json()) ctx.out << "\n";
  return DkimCheckPassed(r) ? 0 : 1;
}

}  // namespace

const CheckCommand kDkimCheckCommand = {
    "dkim",
    "check dkim --domain DOMAIN --selector SELECTOR [--key PRIVATE_KEY_FILE] "
    "[--dns-server HOST:PORT]... [--format text|json]",
    "The published DKIM key: found, strong, not revoked, and matching the signing key.",
    RunCheckDkim};

}  // namespace mailrep
