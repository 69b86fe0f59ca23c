#include "collectors/auth/ptr_check_command.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "collectors/auth/ptr_collector.h"
#include "collectors/dns/dns_engine.h"
#include "exporter/core/check_args.h"
#include "exporter/util/json_string.h"

namespace mailrep {

void PrintPtrCheck(const IpAddress& ip, const PtrCheckResult& r, bool json, std::ostream& out) {
  auto list = [](const std::vector<std::string>& items) {
    std::string text = "[";
    for (size_t i = 0; i < items.size(); ++i) text += (i ? ", " : "") + JsonQuote(items[i]);
    return text + "]";
  };
  if (json) {
    out << "{\"ip\": " << JsonQuote(ip.ToString())
        << ", \"status\": " << JsonQuote(PtrStatusName(r.status))
        << ", \"reverse_name\": " << JsonQuote(r.reverse_name)
        << ", \"ptr_names\": " << list(r.ptr_names)
        << ", \"confirmed_names\": " << list(r.confirmed_names)
        << ", \"details\": " << list(r.details) << "}";
  } else {
    out << "Reverse DNS of " << ip.ToString() << ": " << PtrStatusName(r.status) << "\n";
    for (const std::string& name : r.ptr_names) {
      bool confirmed = std::find(r.confirmed_names.begin(), r.confirmed_names.end(), name) !=
                       r.confirmed_names.end();
      out << "  PTR " << name << (confirmed ? "  (forward-confirmed)" : "") << "\n";
    }
    for (const std::string& d : r.details) out << "  " << d << "\n";
  }
}

namespace {

int RunCheckPtr(const CheckCommandContext& ctx) {
  int code = 0;
  std::optional<CheckArgs> args = ParseCheckCommandArgs(
      kPtrCheckCommand, ctx, {.options = {"ip", "helo", "dns-server"}}, &code);
  if (!args) return code;
  if (!args->Has("ip")) return CheckUsageError(kPtrCheckCommand, ctx, "--ip is required");
  StatusOr<IpAddress> ip = IpAddress::Parse(args->Get("ip"));
  if (!ip.ok()) return CheckUsageError(kPtrCheckCommand, ctx, "--ip: " + ip.status().message());
  StatusOr<std::shared_ptr<Resolver>> resolver =
      StartDnsEngineForCheck(args->GetAll("dns-server"), ctx.resolv_conf);
  if (!resolver.ok()) {
    ctx.err << "check ptr: " << resolver.status().message() << "\n";
    return 2;
  }
  PtrCheckResult r = RunPtrCheck(**resolver, {*ip, args->Get("helo")},
                                 std::chrono::steady_clock::now() + std::chrono::seconds(30), {});
  PrintPtrCheck(*ip, r, args->json(), ctx.out);
  if (args->json()) ctx.out << "\n";
  return r.status == PtrStatus::kOk ? 0 : 1;
}

}  // namespace

const CheckCommand kPtrCheckCommand = {
    "ptr", "check ptr --ip IP [--helo NAME] [--dns-server HOST:PORT]... [--format text|json]",
    "Reverse DNS of a sending IP: PTR, forward confirmation, HELO match, generic names.",
    RunCheckPtr};

}  // namespace mailrep
