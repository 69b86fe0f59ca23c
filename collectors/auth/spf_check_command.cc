#include "collectors/auth/spf_check_command.h"

#include <chrono>
#include <memory>
#include <optional>

#include "collectors/dns/dns_engine.h"
#include "collectors/dns/resolver_lookup.h"
#include "exporter/core/check_args.h"
#include "exporter/util/json_string.h"

namespace mailrep {
void PrintSpfCheck(const IpAddress& ip, const std::string& sender, const std::string& helo,
                   const SpfCheckResult& r, bool json, std::ostream& out) {
  if (json) {
    out << "{\"result\": " << JsonQuote(SpfResultName(r.result))
        << ", \"explanation\": " << JsonQuote(r.explanation)
        << ", \"reason\": " << JsonQuote(r.reason) << ", \"domain\": " << JsonQuote(r.domain)
        << ", \"record\": " << JsonQuote(r.record) << ", \"dns_lookups\": " << r.dns_terms
        << ", \"void_lookups\": " << r.void_lookups << ", \"warnings\": [";
    for (size_t i = 0; i < r.warnings.size(); ++i) {
      out << (i ? ", " : "") << "{\"code\": " << JsonQuote(SpfWarningCodeName(r.warnings[i].code))
          << ", \"domain\": " << JsonQuote(r.warnings[i].domain)
          << ", \"detail\": " << JsonQuote(r.warnings[i].detail) << "}";
    }
    out << "]}";
  } else {
    out << "SPF for " << ip.ToString() << " sending as "
        << (sender.empty() ? "postmaster@" + helo + " (HELO identity)" : sender) << ": "
        << SpfResultName(r.result) << "\n"
        << "  domain:       " << r.domain << "\n"
        << "  record:       " << (r.record.empty() ? "(none)" : r.record) << "\n"
        << "  why:          " << r.reason << "\n";
    if (!r.explanation.empty()) out << "  explanation:  " << r.explanation << "\n";
    out << "  DNS lookups:  " << r.dns_terms << " of 10, void lookups: " << r.void_lookups
        << " of 2\n";
    for (const SpfWarning& w : r.warnings) {
      out << "  warning:      " << SpfWarningCodeName(w.code) << " (" << w.domain
          << "): " << w.detail << "\n";
    }
  }
}

namespace {

int RunCheckSpf(const CheckCommandContext& ctx) {
  int code = 0;
  std::optional<CheckArgs> args = ParseCheckCommandArgs(
      kSpfCheckCommand, ctx, {.options = {"ip", "sender", "helo", "dns-server"}}, &code);
  if (!args) return code;
  if (!args->Has("ip")) return CheckUsageError(kSpfCheckCommand, ctx, "--ip is required");
  StatusOr<IpAddress> ip = IpAddress::Parse(args->Get("ip"));
  std::string sender = args->Get("sender");
  std::string helo = args->Get("helo");
  if (!ip.ok()) return CheckUsageError(kSpfCheckCommand, ctx, "--ip: " + ip.status().message());
  if (sender.empty() && helo.empty()) {
    return CheckUsageError(kSpfCheckCommand, ctx, "--sender or --helo is required");
  }
  StatusOr<std::shared_ptr<Resolver>> resolver =
      StartDnsEngineForCheck(args->GetAll("dns-server"), ctx.resolv_conf);
  if (!resolver.ok()) {
    ctx.err << "check spf: " << resolver.status().message() << "\n";
    return 2;
  }
  ResolverLookup spf_dns(**resolver, kAuthLookupTimeout,
                         std::chrono::steady_clock::now() + std::chrono::seconds(30));
  SpfCheckResult r = CheckSpf({*ip, sender, helo}, spf_dns);
  PrintSpfCheck(*ip, sender, helo, r, args->json(), ctx.out);
  if (args->json()) ctx.out << "\n";
  return r.result == SpfResult::kPass ? 0 : 1;
}

}  // namespace

const CheckCommand kSpfCheckCommand = {
    "spf",
    "check spf --ip IP --sender ADDRESS [--helo NAME] [--dns-server HOST:PORT]... "
    "[--format text|json]",
    "RFC 7208 SPF result for mail from IP with this envelope sender (or HELO name).", RunCheckSpf};

}  // namespace mailrep
