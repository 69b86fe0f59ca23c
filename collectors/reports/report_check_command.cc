#include "collectors/reports/report_check_command.h"

#include <cstdarg>
#include <cstdio>
#include <ctime>
#include <optional>
#include <ostream>
#include <string>

#include "collectors/reports/report_invalid_reason.h"
#include "collectors/reports/report_json.h"
#include "collectors/reports/report_reader.h"
#include "exporter/core/check_args.h"
#include "exporter/util/read_file.h"

namespace mailrep {
namespace {

std::string UtcTime(int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return std::to_string(seconds);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

std::string Row(const char* format, ...) __attribute__((format(printf, 1, 2)));
std::string Row(const char* format, ...) {
  char buf[512];
  va_list args;
  va_start(args, format);
  std::vsnprintf(buf, sizeof(buf), format, args);
  va_end(args);
  return buf;
}

void PrintDmarc(const DmarcAggregateReport& r, std::ostream& out) {
  const DmarcReportHeader& h = r.header;
  out << "DMARC aggregate report from " << h.reporter << " (report id " << h.report_id << ")\n"
      << "  period: " << UtcTime(h.begin) << " to " << UtcTime(h.end) << "\n"
      << "  policy: " << h.policy_domain << " p=" << (h.p.empty() ? "?" : h.p);
  if (!h.sp.empty()) out << " sp=" << h.sp;
  if (!h.np.empty()) out << " np=" << h.np;
  if (!h.adkim.empty()) out << " adkim=" << h.adkim;
  if (!h.aspf.empty()) out << " aspf=" << h.aspf;
  if (!h.testing.empty()) out << " testing=" << h.testing;
  out << " (" << (h.rfc9990_namespace ? "RFC 9990" : "RFC 7489") << " schema)\n";
  uint64_t messages = 0;
  for (const DmarcAggregateRecord& rec : r.records) messages += rec.count;
  out << "  records: " << r.records.size() << ", messages: " << messages << "\n";
  out << Row("  %-39s %8s %-11s %-5s %-5s %s\n", "source_ip", "count", "disposition", "dkim", "spf",
             "header_from");
  for (const DmarcAggregateRecord& rec : r.records) {
    out << Row("  %-39.39s %8llu %-11.11s %-5s %-5s %.80s\n", rec.source_ip.c_str(),
               static_cast<unsigned long long>(rec.count), rec.disposition.c_str(),
               rec.dkim_aligned() ? "pass" : "fail", rec.spf_aligned() ? "pass" : "fail",
               rec.header_from.c_str());
  }
}

void PrintTlsrpt(const TlsrptReport& r, std::ostream& out) {
  out << "TLS-RPT report from " << r.reporter << " (report id " << r.report_id << ")\n";
  if (r.begin && r.end)
    out << "  period: " << UtcTime(*r.begin) << " to " << UtcTime(*r.end) << "\n";
  if (r.policies.empty()) out << "  (no policies)\n";
  for (const TlsrptPolicy& p : r.policies) {
    out << "  " << p.policy_domain << " (" << p.policy_type << "): " << p.successful
        << " successful, " << p.failed << " failed sessions\n";
    for (const TlsrptFailure& f : p.failures) {
      out << "    " << f.result_type << " at " << (f.receiving_mx.empty() ? "?" : f.receiving_mx)
          << ": " << f.count << "\n";
    }
  }
}

void PrintArf(const ArfReport& r, std::ostream& out) {
  auto or_dash = [](const std::optional<std::string>& v) { return v ? *v : std::string("-"); };
  out << "ARF complaint: feedback type " << r.feedback_type << "\n"
      << "  source IP:           " << or_dash(r.source_ip) << "\n"
      << "  original Message-ID: " << or_dash(r.original_message_id) << "\n"
      << "  reported domain:     " << or_dash(r.reported_domain) << "\n"
      << "  original From domain: " << or_dash(r.original_from_domain) << "\n"
      << "  reporter:            " << (r.user_agent.empty() ? "-" : r.user_agent) << "\n";
}

}  // namespace

int RunReportCheck(const CheckCommandContext& ctx) {
  int code = 0;
  std::optional<CheckArgs> args =
      ParseCheckCommandArgs(kReportCheckCommand, ctx, {.options = {}, .positionals = true}, &code);
  if (!args) return code;
  if (args->positionals.size() != 1) {
    return CheckUsageError(kReportCheckCommand, ctx, "give exactly one FILE");
  }
  ReportLimits limits;
  StatusOr<std::string> file = ReadFileCapped(args->positionals[0], limits.max_input_bytes + 1);
  if (!file.ok()) {
    ctx.err << "check report: " << file.status().message() << "\n";
    return 2;
  }
  StatusOr<ParsedReport> report = ReadReport(*file, limits);
  if (!report.ok()) {
    if (args->json()) {
      ctx.out << InvalidReportJson(report.status()) << "\n";
    } else {
      ctx.out << "invalid report: " << report.status().message() << "\n";
    }
    return 1;
  }
  if (args->json()) {
    ctx.out << ReportJson(*report) << "\n";
    return 0;
  }
  if (const auto* dmarc = std::get_if<DmarcAggregateReport>(&report->report)) {
    PrintDmarc(*dmarc, ctx.out);
  } else if (const auto* tlsrpt = std::get_if<TlsrptReport>(&report->report)) {
    PrintTlsrpt(*tlsrpt, ctx.out);
  } else if (const auto* arf = std::get_if<ArfReport>(&report->report)) {
    PrintArf(*arf, ctx.out);
  }
  if (!report->container.empty()) ctx.out << "  read from: " << report->container << "\n";
  return 0;
}

const CheckCommand kReportCheckCommand = {"report", kReportCheckUsage, kReportCheckHelp,
                                          RunReportCheck};

}  // namespace mailrep
