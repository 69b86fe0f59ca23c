#include "collectors/postmaster/postmaster_api.h"

#include <cmath>
#include <ctime>

#include "collectors/reports/json_value.h"
#include "exporter/util/civil_date.h"
#include "exporter/util/json_string.h"

namespace mailrep {
namespace {

constexpr size_t kMaxPageTokenBytes = 2048;
constexpr size_t kMaxStats = 20000;

JsonLimits ResponseLimits() {
  JsonLimits limits;
  limits.max_bytes = 4 << 20;
  limits.max_depth = 16;
  limits.max_values = 400000;
  return limits;
}

Status Malformed(std::string_view what) {
  return Status::InvalidArgument("not the documented response: " + std::string(what));
}

// A whole number in [lo, hi].
std::optional<int> IntIn(const JsonValue* v, int lo, int hi) {
  if (v == nullptr || v->type != JsonValue::Type::kNumber) return std::nullopt;
  double n = v->number;
  if (!(n >= lo && n <= hi) || std::floor(n) != n) return std::nullopt;
  return static_cast<int>(n);
}

std::optional<PostmasterDate> ReadDate(const JsonValue* v) {
  if (v == nullptr || !v->is_object()) return std::nullopt;
  std::optional<int> year = IntIn(v->Find("year"), 1, 9999);
  std::optional<int> month = IntIn(v->Find("month"), 1, 12);
  std::optional<int> day = IntIn(v->Find("day"), 1, 31);
  if (!year || !month || !day) return std::nullopt;
  PostmasterDate date{*year, *month, *day};
  // Reject 2026-02-31 and the like: the date must survive a round trip.
  if (PostmasterDate::FromUnixSeconds(date.UnixSeconds()) != date) return std::nullopt;
  return date;
}

std::optional<size_t> MetricIndex(std::string_view name) {
  for (size_t i = 0; i < kPostmasterMetricCount; ++i) {
    if (PostmasterMetricName(kPostmasterMetrics[i]) == name) return i;
  }
  return std::nullopt;
}

std::optional<PostmasterRequirement> RequirementFromApi(std::string_view name) {
  static constexpr std::string_view kApiNames[] = {"SPF",
                                                   "DKIM",
                                                   "SPF_AND_DKIM",
                                                   "DMARC_POLICY",
                                                   "DMARC_ALIGNMENT",
                                                   "MESSAGE_FORMATTING",
                                                   "DNS_RECORDS",
                                                   "ENCRYPTION",
                                                   "USER_REPORTED_SPAM_RATE",
                                                   "ONE_CLICK_UNSUBSCRIBE",
                                                   "HONOR_UNSUBSCRIBE"};
  for (size_t i = 0; i < kPostmasterRequirementCount; ++i) {
    if (kApiNames[i] == name) return kAllPostmasterRequirements[i];
  }
  return std::nullopt;
}

// One DomainComplianceData into `out`; a repeated requirement keeps its first row.
Status ReadComplianceData(const JsonValue& data, PostmasterCompliance* out) {
  if (!data.is_object()) return Malformed("compliance data is not an object");
  const JsonValue* rows = data.Find("rowData");
  if (rows == nullptr) return Status::OK();
  if (!rows->is_array()) return Malformed("rowData is not an array");
  for (const JsonValue& row : rows->items) {
    if (!row.is_object()) return Malformed("a rowData item is not an object");
    std::optional<std::string_view> name = row.StringAt("requirement");
    std::optional<PostmasterRequirement> requirement =
        name ? RequirementFromApi(*name) : std::nullopt;
    const JsonValue* status = row.Find("status");
    std::optional<std::string_view> state =
        status != nullptr ? status->StringAt("status") : std::nullopt;
    std::optional<bool> compliant;
    if (state == "COMPLIANT") compliant = true;
    if (state == "NEEDS_WORK") compliant = false;
    if (!requirement || (!compliant && state != "STATE_UNSPECIFIED")) {
      ++out->skipped;  // an unknown requirement or status (a newer API)
      continue;
    }
    std::optional<bool>& slot = out->compliant[static_cast<size_t>(*requirement)];
    if (slot) {
      ++out->skipped;
      continue;
    }
    slot = compliant;
  }
  return Status::OK();
}

}  // namespace

std::string PostmasterMetricName(const PostmasterMetric& metric) {
  switch (metric.kind) {
    case PostmasterMetricKind::kSpamRate:
      return "spam_rate";
    case PostmasterMetricKind::kAuthSuccessRate:
      return "auth_success_rate_" + std::string(metric.label);
    case PostmasterMetricKind::kTlsRate:
      return "tls_encryption_rate_" + std::string(metric.label);
    case PostmasterMetricKind::kDeliveryErrorRate:
      return "delivery_error_rate_" + std::string(metric.label) + "_" + std::string(metric.reason);
  }
  return "unknown";
}

std::string_view PostmasterStandardMetric(PostmasterMetricKind kind) {
  switch (kind) {
    case PostmasterMetricKind::kSpamRate:
      return "SPAM_RATE";
    case PostmasterMetricKind::kAuthSuccessRate:
      return "AUTH_SUCCESS_RATE";
    case PostmasterMetricKind::kTlsRate:
      return "TLS_ENCRYPTION_RATE";
    case PostmasterMetricKind::kDeliveryErrorRate:
      return "DELIVERY_ERROR_RATE";
  }
  return "STANDARD_METRIC_UNSPECIFIED";
}

std::string PostmasterMetricFilter(const PostmasterMetric& metric) {
  auto quoted = [](std::string_view v) { return "\"" + std::string(v) + "\""; };
  switch (metric.kind) {
    case PostmasterMetricKind::kSpamRate:
      return "";
    case PostmasterMetricKind::kAuthSuccessRate:
      return "auth_type = " + quoted(metric.label);
    case PostmasterMetricKind::kTlsRate:
      return "traffic_direction = " + quoted(metric.label);
    case PostmasterMetricKind::kDeliveryErrorRate:
      return "error_type = " + quoted(metric.label) +
             " AND error_reason = " + quoted(metric.reason);
  }
  return "";
}

int64_t PostmasterDate::UnixSeconds() const {
  return DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400;
}

PostmasterDate PostmasterDate::FromUnixSeconds(int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);  // UTC: reads no time zone
  return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

std::string PostmasterDate::ToString() const {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", year, month, day);
  return text;
}

std::string PostmasterDomainStatsQueryBody(PostmasterDate start, PostmasterDate end,
                                           std::string_view page_token) {
  auto date = [](PostmasterDate d) {
    return "{\"year\": " + std::to_string(d.year) + ", \"month\": " + std::to_string(d.month) +
           ", \"day\": " + std::to_string(d.day) + "}";
  };
  std::string body = "{\"metricDefinitions\": [";
  for (size_t i = 0; i < kPostmasterMetricCount; ++i) {
    const PostmasterMetric& m = kPostmasterMetrics[i];
    body += i ? ", " : "";
    body +=
        "{\"name\": " + JsonQuote(PostmasterMetricName(m)) +
        ", \"baseMetric\": {\"standardMetric\": " + JsonQuote(PostmasterStandardMetric(m.kind)) +
        "}";
    std::string filter = PostmasterMetricFilter(m);
    if (!filter.empty()) body += ", \"filter\": " + JsonQuote(filter);
    body += "}";
  }
  body += "], \"timeQuery\": {\"dateRanges\": {\"dateRanges\": [{\"start\": " + date(start) +
          ", \"end\": " + date(end) + "}]}}, \"aggregationGranularity\": \"DAILY\", " +
          "\"pageSize\": 200";
  if (!page_token.empty()) body += ", \"pageToken\": " + JsonQuote(page_token);
  body += "}";
  return body;
}

StatusOr<PostmasterStatsPage> ParsePostmasterDomainStats(std::string_view body) {
  StatusOr<JsonValue> json = ParseJson(body, ResponseLimits());
  if (!json.ok()) return Status::InvalidArgument(json.status().message());
  if (!json->is_object()) return Malformed("not a JSON object");
  PostmasterStatsPage page;
  if (const JsonValue* token = json->Find("nextPageToken"); token != nullptr) {
    if (!token->is_string() || token->string.size() > kMaxPageTokenBytes) {
      return Malformed("nextPageToken is not a string of at most 2048 bytes");
    }
    page.next_page_token = token->string;
  }
  const JsonValue* stats = json->Find("domainStats");
  if (stats == nullptr) return page;  // no data for the dates asked
  if (!stats->is_array()) return Malformed("domainStats is not an array");
  if (stats->items.size() > kMaxStats) return Malformed("more than 20000 domainStats");
  for (const JsonValue& stat : stats->items) {
    if (!stat.is_object()) return Malformed("a domainStats item is not an object");
    std::optional<std::string_view> name = stat.StringAt("metric");
    std::optional<size_t> metric = name ? MetricIndex(*name) : std::nullopt;
    std::optional<PostmasterDate> date = ReadDate(stat.Find("date"));
    const JsonValue* value = stat.Find("value");
    const JsonValue* number = value != nullptr ? value->Find("doubleValue") : nullptr;
    if (!metric || !date || number == nullptr || number->type != JsonValue::Type::kNumber ||
        !(number->number >= 0 && number->number <= 1)) {
      ++page.skipped;
      continue;
    }
    page.values.push_back({*metric, *date, number->number});
  }
  return page;
}

std::string_view PostmasterRequirementName(PostmasterRequirement requirement) {
  switch (requirement) {
    case PostmasterRequirement::kSpf:
      return "spf";
    case PostmasterRequirement::kDkim:
      return "dkim";
    case PostmasterRequirement::kSpfAndDkim:
      return "spf_and_dkim";
    case PostmasterRequirement::kDmarcPolicy:
      return "dmarc_policy";
    case PostmasterRequirement::kDmarcAlignment:
      return "dmarc_alignment";
    case PostmasterRequirement::kMessageFormatting:
      return "message_formatting";
    case PostmasterRequirement::kDnsRecords:
      return "dns_records";
    case PostmasterRequirement::kEncryption:
      return "encryption";
    case PostmasterRequirement::kUserReportedSpamRate:
      return "user_reported_spam_rate";
    case PostmasterRequirement::kOneClickUnsubscribe:
      return "one_click_unsubscribe";
    case PostmasterRequirement::kHonorUnsubscribe:
      return "honor_unsubscribe";
  }
  return "unknown";
}

size_t PostmasterCompliance::known() const {
  size_t n = 0;
  for (const std::optional<bool>& c : compliant) n += c.has_value();
  return n;
}

StatusOr<PostmasterCompliance> ParsePostmasterCompliance(std::string_view body) {
  StatusOr<JsonValue> json = ParseJson(body, ResponseLimits());
  if (!json.ok()) return Status::InvalidArgument(json.status().message());
  if (!json->is_object()) return Malformed("not a JSON object");
  PostmasterCompliance out;
  const JsonValue* sub = json->Find("subdomainComplianceData");
  const JsonValue* main = json->Find("complianceData");
  // The subdomain's own data, when Google has it, is about the name asked for.
  if (sub != nullptr) {
    if (Status s = ReadComplianceData(*sub, &out); !s.ok()) return s;
    out.subdomain = out.known() > 0;
  }
  if (!out.subdomain && main != nullptr) {
    out = PostmasterCompliance{};
    if (Status s = ReadComplianceData(*main, &out); !s.ok()) return s;
  }
  return out;
}

}  // namespace mailrep
