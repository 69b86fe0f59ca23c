#include "collectors/reports/tlsrpt_report.h"

#include "collectors/reports/json_value.h"
#include "collectors/reports/report_invalid_reason.h"
#include "exporter/util/ascii.h"
#include "exporter/util/civil_date.h"

namespace mailrep {
namespace {

Status Schema(std::string_view why) {
  return InvalidReport(ReportInvalidReason::kTlsrptSchema, why);
}

bool Digits(std::string_view s, size_t at, size_t n, int* out) {
  if (at + n > s.size()) return false;
  int v = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (!IsDigit(s[i])) return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

// A count member: absent is 0; present must be a whole non-negative number.
Status Count(const JsonValue& object, std::string_view key, uint64_t* out) {
  if (object.Find(key) == nullptr) return Status::OK();
  std::optional<uint64_t> n = object.CountAt(key);
  if (!n) return Schema(std::string(key) + " is not a whole non-negative number");
  *out = *n;
  return Status::OK();
}

std::string Text(const JsonValue& object, std::string_view key) {
  return std::string(object.StringAt(key).value_or(""));
}

}  // namespace

std::optional<int64_t> ParseRfc3339(std::string_view s) {
  int y, mo, d, h, mi, sec;
  if (!Digits(s, 0, 4, &y) || s.size() < 19 || s[4] != '-' || !Digits(s, 5, 2, &mo) ||
      s[7] != '-' || !Digits(s, 8, 2, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      !Digits(s, 11, 2, &h) || s[13] != ':' || !Digits(s, 14, 2, &mi) || s[16] != ':' ||
      !Digits(s, 17, 2, &sec)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  size_t at = 19;
  if (at < s.size() && s[at] == '.') {
    ++at;
    size_t from = at;
    while (at < s.size() && IsDigit(s[at])) ++at;
    if (at == from) return std::nullopt;
  }
  int64_t offset = 0;
  if (at < s.size() && (s[at] == 'Z' || s[at] == 'z')) {
    ++at;
  } else if (at < s.size() && (s[at] == '+' || s[at] == '-')) {
    int oh, om;
    if (!Digits(s, at + 1, 2, &oh) || at + 3 >= s.size() || s[at + 3] != ':' ||
        !Digits(s, at + 4, 2, &om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset = (s[at] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    at += 6;
  } else {
    return std::nullopt;
  }
  if (at != s.size()) return std::nullopt;
  return UnixSecondsFromCivil(y, mo, d, h, mi, sec) - offset;
}

StatusOr<TlsrptReport> ParseTlsrptReport(std::string_view json) {
  StatusOr<JsonValue> parsed = ParseJson(json);
  if (!parsed.ok()) return parsed.status();
  const JsonValue& root = *parsed;
  if (!root.is_object()) return Schema("the report is not a JSON object");
  TlsrptReport report;
  std::optional<std::string_view> org = root.StringAt("organization-name");
  std::optional<std::string_view> id = root.StringAt("report-id");
  if (!org) return Schema("no organization-name");
  if (!id) return Schema("no report-id");
  report.reporter = *org;
  report.report_id = *id;
  report.contact = Text(root, "contact-info");
  if (const JsonValue* range = root.Find("date-range"); range != nullptr) {
    if (auto start = range->StringAt("start-datetime")) report.begin = ParseRfc3339(*start);
    if (auto end = range->StringAt("end-datetime")) report.end = ParseRfc3339(*end);
  }
  const JsonValue* policies = root.Find("policies");
  if (policies == nullptr || !policies->is_array()) return Schema("no policies array");
  size_t entries = 0;
  for (const JsonValue& item : policies->items) {
    if (++entries > kMaxTlsrptEntries) {
      return InvalidReport(ReportInvalidReason::kTooManyRecords,
                           "more than " + std::to_string(kMaxTlsrptEntries) + " entries");
    }
    if (!item.is_object()) return Schema("a policies entry is not an object");
    const JsonValue* policy = item.Find("policy");
    if (policy == nullptr || !policy->is_object()) return Schema("a policies entry has no policy");
    TlsrptPolicy out;
    out.policy_domain = Text(*policy, "policy-domain");
    out.policy_type = Text(*policy, "policy-type");
    if (out.policy_domain.empty()) return Schema("a policy has no policy-domain");
    if (out.policy_type.empty()) return Schema("a policy has no policy-type");
    if (const JsonValue* mx = policy->Find("mx-host"); mx != nullptr && mx->is_array()) {
      for (const JsonValue& host : mx->items) {
        if (host.is_string()) out.mx_hosts.push_back(host.string);
      }
    }
    if (const JsonValue* summary = item.Find("summary"); summary != nullptr) {
      if (Status s = Count(*summary, "total-successful-session-count", &out.successful); !s.ok()) {
        return s;
      }
      if (Status s = Count(*summary, "total-failure-session-count", &out.failed); !s.ok()) {
        return s;
      }
    }
    if (const JsonValue* details = item.Find("failure-details");
        details != nullptr && details->is_array()) {
      for (const JsonValue& detail : details->items) {
        if (++entries > kMaxTlsrptEntries) {
          return InvalidReport(ReportInvalidReason::kTooManyRecords,
                               "more than " + std::to_string(kMaxTlsrptEntries) + " entries");
        }
        if (!detail.is_object()) return Schema("a failure-details entry is not an object");
        TlsrptFailure failure;
        failure.result_type = Text(detail, "result-type");
        if (failure.result_type.empty()) return Schema("a failure detail has no result-type");
        failure.receiving_mx = Text(detail, "receiving-mx-hostname");
        failure.receiving_ip = Text(detail, "receiving-ip");
        if (Status s = Count(detail, "failed-session-count", &failure.count); !s.ok()) return s;
        out.failures.push_back(std::move(failure));
      }
    }
    report.policies.push_back(std::move(out));
  }
  return report;
}

}  // namespace mailrep
