#include "collectors/snds/snds_check_command.h"

#include <chrono>
#include <iomanip>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "collectors/snds/snds_collector.h"
#include "collectors/snds/snds_fetch.h"
#include "exporter/core/check_args.h"
#include "exporter/util/json_string.h"

namespace mailrep {
namespace {

std::string Number(double v) {
  std::ostringstream s;
  s << std::setprecision(10) << v;
  return s.str();
}

void PrintJson(const std::vector<SndsIpView>& views, const SndsFetchResult (&results)[2],
               std::ostream& out) {
  out << "{\"ips\": [";
  for (size_t i = 0; i < views.size(); ++i) {
    const SndsIpView& v = views[i];
    out << (i ? ", " : "") << "{\"ip\": " << JsonQuote(v.ip.ToString()) << ", \"filter_result\": "
        << (v.data ? JsonQuote(SndsFilterResultName(v.data->filter_result)) : "null")
        << ", \"blocked\": " << (v.blocked ? (*v.blocked ? "true" : "false") : "null");
    if (v.data) {
      const SndsIpDataRow& d = *v.data;
      out << ", \"complaint_rate\": " << Number(d.complaint_rate)
          << ", \"complaint_rate_is_bound\": " << (d.complaint_rate_is_bound ? "true" : "false")
          << ", \"trap_hits\": " << d.trap_hits << ", \"rcpt_commands\": " << d.rcpt_commands
          << ", \"data_commands\": " << d.data_commands
          << ", \"message_recipients\": " << d.message_recipients
          << ", \"activity_start\": " << d.activity_start
          << ", \"activity_end\": " << d.activity_end;
    } else {
      out << ", \"complaint_rate\": null, \"trap_hits\": null";
    }
    out << "}";
  }
  out << "]";
  for (SndsReport report : kAllSndsReports) {
    out << ", " << JsonQuote(SndsReportName(report)) << ": "
        << JsonQuote(SndsFetchReasonName(results[static_cast<int>(report)].reason));
  }
  out << "}\n";
}

void PrintText(const std::vector<SndsIpView>& views, const SndsFetchResult (&results)[2],
               std::ostream& out) {
  for (SndsReport report : kAllSndsReports) {
    const SndsFetchResult& r = results[static_cast<int>(report)];
    out << "SNDS " << SndsReportName(report) << ": " << SndsFetchReasonName(r.reason);
    if (!r.ok()) out << " (" << r.error << ")";
    out << "\n";
  }
  for (const SndsIpView& v : views) {
    out << "  " << std::left << std::setw(16) << v.ip.ToString() << " " << std::setw(7)
        << (v.data ? SndsFilterResultName(v.data->filter_result) : "-")
        << " blocked: " << (v.blocked ? (*v.blocked ? "YES" : "no") : "?");
    if (v.data) {
      const SndsIpDataRow& d = *v.data;
      out << "  complaints: " << (d.complaint_rate_is_bound ? "< " : "")
          << Number(d.complaint_rate * 100) << "%  trap hits: " << d.trap_hits
          << "  rcpt/data/recipients: " << d.rcpt_commands << "/" << d.data_commands << "/"
          << d.message_recipients;
    }
    out << "\n";
  }
}

int RunCheckSnds(const CheckCommandContext& ctx) {
  int code = 0;
  std::optional<CheckArgs> args = ParseCheckCommandArgs(
      kSndsCheckCommand, ctx, {.options = {"url-file", "key-file", "ca-file", "ip"}}, &code);
  if (!args) return code;
  SndsLinkSource source;
  source.url_file = args->Get("url-file");
  source.key_file = args->Get("key-file");
  if (source.url_file.empty() == source.key_file.empty()) {
    return CheckUsageError(kSndsCheckCommand, ctx, "give --url-file or --key-file");
  }
  std::vector<IpNetwork> ips;
  for (const std::string& ip : args->GetAll("ip")) {
    StatusOr<IpAddress> parsed = IpAddress::Parse(ip);
    if (!parsed.ok()) return CheckUsageError(kSndsCheckCommand, ctx, ip + " is not an IP address");
    ips.push_back({*parsed, parsed->bit_length()});
  }
  StatusOr<SndsLinks> links = SndsLinks::Read(source);
  if (!links.ok()) {
    ctx.err << "check snds: " << links.status().message() << "\n";
    return 2;
  }
  if (!ctx.http) {
    ctx.err << "check snds: no HTTP fetcher\n";
    return 2;
  }
  SndsFetchOptions options;
  options.ca_file = args->Get("ca-file");
  SndsFetchResult results[2];
  for (SndsReport report : kAllSndsReports) {
    results[static_cast<int>(report)] =
        FetchSndsReport(*ctx.http, *links, report, options,
                        std::chrono::steady_clock::now() + std::chrono::seconds(90));
  }
  const SndsFetchResult& data = results[static_cast<int>(SndsReport::kIpData)];
  const SndsFetchResult& status = results[static_cast<int>(SndsReport::kIpStatus)];
  size_t others = 0;
  std::vector<SndsIpView> views =
      SndsViews(data.ok() ? &data.ip_data : nullptr, status.ok() ? &status.ip_status : nullptr, ips,
                /*all_if_empty=*/true, kMaxSndsRows, &others);
  if (args->json()) {
    PrintJson(views, results, ctx.out);
  } else {
    PrintText(views, results, ctx.out);
  }
  bool good = data.ok() && status.ok();
  for (const SndsIpView& v : views) {
    good = good && v.data && v.data->filter_result == SndsFilterResult::kGreen &&
           !v.blocked.value_or(true);
  }
  return good ? 0 : 1;
}

}  // namespace

const CheckCommand kSndsCheckCommand = {
    "snds",
    "check snds (--url-file FILE | --key-file FILE) [--ip IP]... [--ca-file PEM_FILE] "
    "[--format text|json]",
    "Microsoft SNDS per IP (filter result, blocked, complaint rate, trap hits), fetched over "
    "HTTPS.",
    RunCheckSnds};

}  // namespace mailrep
