#include "collectors/reports/arf_report.h"

#include "collectors/mail/mail_headers.h"
#include "collectors/reports/report_invalid_reason.h"
#include "exporter/util/ascii.h"
#include "exporter/util/ip_network.h"

namespace mailrep {
namespace {

std::optional<std::string> Field(const MailHeaders& headers, std::string_view name) {
  std::optional<std::string_view> value = headers.Get(name);
  if (!value || value->empty()) return std::nullopt;
  return std::string(*value);
}

// The address in a From value: inside <...> when present, else the whole.
std::optional<std::string> FromDomain(std::string_view from) {
  size_t open = from.rfind('<');
  if (open != std::string_view::npos) {
    size_t close = from.find('>', open);
    from = from.substr(open + 1, close == std::string_view::npos ? close : close - open - 1);
  }
  std::string domain = MailAddressDomain(from);
  if (domain.empty()) return std::nullopt;
  return domain;
}

// The first bracketed IP address in a Received: value ("[192.0.2.10]",
// "[IPv6:2001:db8::1]") before its "by" part, when it has one.
std::optional<std::string> ReceivedFromIp(std::string_view received) {
  size_t pos = 0;
  while ((pos = received.find('[', pos)) != std::string_view::npos) {
    size_t close = received.find(']', pos);
    if (close == std::string_view::npos) break;
    std::string_view inside = received.substr(pos + 1, close - pos - 1);
    if (inside.size() > 5 && EqualsIgnoreCase(inside.substr(0, 5), "ipv6:")) {
      inside.remove_prefix(5);
    }
    if (StatusOr<IpAddress> ip = IpAddress::Parse(inside); ip.ok()) {
      return UnmapIpv4(*ip).ToString();
    }
    pos = close + 1;
  }
  return std::nullopt;
}

}  // namespace

StatusOr<ArfReport> ParseArfReport(std::string_view feedback, std::string_view original) {
  // The fields may be followed by an empty line and more (RFC 5965 §3.1
  // allows only fields, but some reporters append text).
  StatusOr<MailHeaders> fields = ParseMailHeaders(SplitHeaderBody(feedback).first);
  if (!fields.ok()) {
    return InvalidReport(ReportInvalidReason::kArfSchema,
                         "feedback-report fields: " + fields.status().message());
  }
  ArfReport report;
  std::optional<std::string> type = Field(*fields, "Feedback-Type");
  if (!type) return InvalidReport(ReportInvalidReason::kArfSchema, "no Feedback-Type");
  report.feedback_type = ToLowerAscii(*type);
  report.user_agent = Field(*fields, "User-Agent").value_or("");
  report.version = Field(*fields, "Version").value_or("");
  if (std::optional<std::string> ip = Field(*fields, "Source-IP")) {
    if (StatusOr<IpAddress> parsed = IpAddress::Parse(*ip); parsed.ok()) {
      report.source_ip = UnmapIpv4(*parsed).ToString();
    }
  }
  report.reported_domain = Field(*fields, "Reported-Domain");
  if (report.reported_domain) *report.reported_domain = ToLowerAscii(*report.reported_domain);
  report.reporting_mta = Field(*fields, "Reporting-MTA");
  report.arrival_date = Field(*fields, "Arrival-Date");

  if (!original.empty()) {
    // A broken original is not a broken report: its fields are just absent.
    StatusOr<MailHeaders> headers = ParseMailHeaders(SplitHeaderBody(original).first);
    if (headers.ok()) {
      report.original_message_id = Field(*headers, "Message-ID");
      if (std::optional<std::string> from = Field(*headers, "From")) {
        report.original_from_domain = FromDomain(*from);
      }
      if (std::optional<std::string> received = Field(*headers, "Received")) {
        report.top_received_ip = ReceivedFromIp(*received);
      }
    }
  }
  return report;
}

}  // namespace mailrep
