// The Postmaster Tools API v2 as this exporter uses it, with the discovery
// document's field names (gmailpostmastertools.v2, revision 20260512):
//
//   POST {base}v2/domains/{domain}/domainStats:query
//     QueryDomainStatsRequest {metricDefinitions: [{name, baseMetric:
//     {standardMetric}, filter}], timeQuery: {dateRanges: {dateRanges:
//     [{start: Date, end: Date}]}}, aggregationGranularity: "DAILY",
//     pageSize, pageToken}
//     -> QueryDomainStatsResponse {domainStats: [{name, metric, date: {year,
//        month, day}, value: {doubleValue | intValue | ...}}], nextPageToken}
//   GET  {base}v2/domains/{domain}/complianceStatus
//     -> DomainComplianceStatus {name, complianceData, subdomainComplianceData}
//        with DomainComplianceData {domainId, rowData: [{requirement,
//        status: {status: COMPLIANT | NEEDS_WORK}}], ...}
//
// kPostmasterMetrics is the fixed set of 16 metric definitions asked for:
// SPAM_RATE; AUTH_SUCCESS_RATE per auth_type (spf, dkim, dmarc);
// TLS_ENCRYPTION_RATE per traffic_direction (inbound, outbound);
// DELIVERY_ERROR_RATE per error_type and error_reason (reject: 8 reasons,
// temp_fail: 2), the values the standardMetric descriptions list. Each
// definition's `name` comes back as DomainStat.metric; that is how a value is
// matched to its definition.
//
// The parsers read hostile input: a strict bounded JSON reader
// (collectors/reports/json_value.h), the documented shapes or an error, and
// an entry they cannot use (an unknown metric name or requirement, a value
// that is not a rate in [0, 1], a bad date, an unknown status) is skipped and
// counted, never exported. Stateless; thread-safe.
#ifndef MAILREP_COLLECTORS_POSTMASTER_POSTMASTER_API_H_
#define MAILREP_COLLECTORS_POSTMASTER_POSTMASTER_API_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/util/status.h"

namespace mailrep {

inline constexpr std::string_view kPostmasterDefaultApiUrl =
    "https://gmailpostmastertools.googleapis.com/";

enum class PostmasterMetricKind { kSpamRate, kAuthSuccessRate, kTlsRate, kDeliveryErrorRate };

// One metric definition. `label` is the auth type (spf, dkim, dmarc), the
// direction (inbound, outbound) or the error type (reject, temp_fail);
// `reason` the error reason; "" where unused.
struct PostmasterMetric {
  PostmasterMetricKind kind;
  std::string_view label;
  std::string_view reason;
};

inline constexpr PostmasterMetric kPostmasterMetrics[] = {
    {PostmasterMetricKind::kSpamRate, "", ""},
    {PostmasterMetricKind::kAuthSuccessRate, "spf", ""},
    {PostmasterMetricKind::kAuthSuccessRate, "dkim", ""},
    {PostmasterMetricKind::kAuthSuccessRate, "dmarc", ""},
    {PostmasterMetricKind::kTlsRate, "inbound", ""},
    {PostmasterMetricKind::kTlsRate, "outbound", ""},
    {PostmasterMetricKind::kDeliveryErrorRate, "reject", "bad_attachment"},
    {PostmasterMetricKind::kDeliveryErrorRate, "reject", "bad_or_missing_ptr_record"},
    {PostmasterMetricKind::kDeliveryErrorRate, "reject", "ip_in_rbls"},
    {PostmasterMetricKind::kDeliveryErrorRate, "reject", "low_domain_reputation"},
    {PostmasterMetricKind::kDeliveryErrorRate, "reject", "low_ip_reputation"},
    {PostmasterMetricKind::kDeliveryErrorRate, "reject", "spammy_content"},
    {PostmasterMetricKind::kDeliveryErrorRate, "reject", "stamp_policy_error"},
    {PostmasterMetricKind::kDeliveryErrorRate, "reject", "other"},
    {PostmasterMetricKind::kDeliveryErrorRate, "temp_fail", "anomalous_traffic_pattern"},
    {PostmasterMetricKind::kDeliveryErrorRate, "temp_fail", "other"},
};
inline constexpr size_t kPostmasterMetricCount = std::size(kPostmasterMetrics);

// MetricDefinition.name: "spam_rate", "auth_success_rate_spf",
// "tls_encryption_rate_inbound", "delivery_error_rate_reject_ip_in_rbls", ...
std::string PostmasterMetricName(const PostmasterMetric& metric);
// BaseMetric.standardMetric: "SPAM_RATE", "AUTH_SUCCESS_RATE",
// "TLS_ENCRYPTION_RATE", "DELIVERY_ERROR_RATE".
std::string_view PostmasterStandardMetric(PostmasterMetricKind kind);
// MetricDefinition.filter: "" for the spam rate, `auth_type = "spf"`,
// `traffic_direction = "inbound"`,
// `error_type = "reject" AND error_reason = "ip_in_rbls"`.
std::string PostmasterMetricFilter(const PostmasterMetric& metric);

// A calendar date (Date: year, month 1..12, day 1..31), UTC.
struct PostmasterDate {
  int year = 0;
  int month = 0;
  int day = 0;
  bool operator==(const PostmasterDate&) const = default;
  auto operator<=>(const PostmasterDate&) const = default;
  // Unix seconds of 00:00 UTC that day.
  int64_t UnixSeconds() const;
  // The UTC date of a Unix time.
  static PostmasterDate FromUnixSeconds(int64_t seconds);
  // "2026-12-05".
  std::string ToString() const;
};

// The QueryDomainStatsRequest body (JSON) for every kPostmasterMetrics
// definition, DAILY, over [start, end], pageSize 200, and `page_token`
// unless empty.
std::string PostmasterDomainStatsQueryBody(PostmasterDate start, PostmasterDate end,
                                           std::string_view page_token = "");

// One page of a QueryDomainStatsResponse: the values of known definitions.
struct PostmasterStatsPage {
  struct Value {
    size_t metric = 0;  // index into kPostmasterMetrics
    PostmasterDate date;
    double value = 0;  // doubleValue, a ratio in [0, 1]
  };
  std::vector<Value> values;
  size_t skipped = 0;  // DomainStat entries not used (see the file comment)
  std::string next_page_token;
};
// InvalidArgument when `body` is not JSON, not an object, `domainStats` is
// not an array of objects, or `nextPageToken` is not a string of at most 2048
// bytes; bounded to 4 MiB and 20,000 entries.
StatusOr<PostmasterStatsPage> ParsePostmasterDomainStats(std::string_view body);

enum class PostmasterRequirement {
  kSpf,
  kDkim,
  kSpfAndDkim,
  kDmarcPolicy,
  kDmarcAlignment,
  kMessageFormatting,
  kDnsRecords,
  kEncryption,
  kUserReportedSpamRate,
  kOneClickUnsubscribe,
  kHonorUnsubscribe,
};
inline constexpr PostmasterRequirement kAllPostmasterRequirements[] = {
    PostmasterRequirement::kSpf,
    PostmasterRequirement::kDkim,
    PostmasterRequirement::kSpfAndDkim,
    PostmasterRequirement::kDmarcPolicy,
    PostmasterRequirement::kDmarcAlignment,
    PostmasterRequirement::kMessageFormatting,
    PostmasterRequirement::kDnsRecords,
    PostmasterRequirement::kEncryption,
    PostmasterRequirement::kUserReportedSpamRate,
    PostmasterRequirement::kOneClickUnsubscribe,
    PostmasterRequirement::kHonorUnsubscribe};
inline constexpr size_t kPostmasterRequirementCount = std::size(kAllPostmasterRequirements);

// The label value: the API's enum name in lower case ("spf", "spf_and_dkim",
// "dmarc_policy", "one_click_unsubscribe", ...); "unknown" outside the enum.
std::string_view PostmasterRequirementName(PostmasterRequirement requirement);

struct PostmasterCompliance {
  // Per requirement: true COMPLIANT, false NEEDS_WORK, nullopt when the
  // response has no row for it or its status is STATE_UNSPECIFIED.
  std::array<std::optional<bool>, kPostmasterRequirementCount> compliant{};
  // The rows came from subdomainComplianceData (the name is a subdomain with
  // data of its own), not from complianceData (its registrable domain).
  bool subdomain = false;
  size_t skipped = 0;  // rows with an unknown requirement or status, or repeated
  size_t known() const;
};
// InvalidArgument when `body` is not JSON, not an object, or a compliance
// data member is not an object whose rowData is an array of objects.
StatusOr<PostmasterCompliance> ParsePostmasterCompliance(std::string_view body);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_POSTMASTER_POSTMASTER_API_H_
