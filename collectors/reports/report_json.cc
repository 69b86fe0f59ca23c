#include "collectors/reports/report_json.h"

#include <optional>

#include "collectors/reports/report_invalid_reason.h"
#include "exporter/util/json_string.h"

namespace mailrep {
namespace {

void Key(std::string* j, std::string_view key) {
  if (j->back() != '{') *j += ", ";
  AppendJsonString(j, key);
  *j += ": ";
}

void Str(std::string* j, std::string_view key, std::string_view value) {
  Key(j, key);
  AppendJsonString(j, value);
}

void OptStr(std::string* j, std::string_view key, const std::optional<std::string>& value) {
  Key(j, key);
  if (value) {
    AppendJsonString(j, *value);
  } else {
    *j += "null";
  }
}

void Num(std::string* j, std::string_view key, long long value) {
  Key(j, key);
  *j += std::to_string(value);
}

void Bool(std::string* j, std::string_view key, bool value) {
  Key(j, key);
  *j += value ? "true" : "false";
}

void AuthResults(std::string* j, std::string_view key, const std::vector<DmarcAuthResult>& results,
                 bool dkim) {
  Key(j, key);
  *j += '[';
  for (size_t i = 0; i < results.size(); ++i) {
    if (i > 0) *j += ", ";
    *j += '{';
    Str(j, "domain", results[i].domain);
    if (dkim) {
      Str(j, "selector", results[i].selector);
    } else {
      Str(j, "scope", results[i].scope);
    }
    Str(j, "result", results[i].result);
    *j += '}';
  }
  *j += ']';
}

void Dmarc(std::string* j, const DmarcAggregateReport& r) {
  const DmarcReportHeader& h = r.header;
  Str(j, "reporter", h.reporter);
  Str(j, "report_id", h.report_id);
  Num(j, "begin", h.begin);
  Num(j, "end", h.end);
  Str(j, "policy_domain", h.policy_domain);
  Str(j, "schema", h.rfc9990_namespace ? "rfc9990" : "rfc7489");
  Key(j, "policy");
  *j += '{';
  for (const auto& [name, value] : {std::pair<std::string_view, const std::string*>{"p", &h.p},
                                    {"sp", &h.sp},
                                    {"np", &h.np},
                                    {"adkim", &h.adkim},
                                    {"aspf", &h.aspf},
                                    {"pct", &h.pct},
                                    {"fo", &h.fo},
                                    {"testing", &h.testing},
                                    {"discovery_method", &h.discovery_method}}) {
    if (!value->empty()) Str(j, name, *value);
  }
  *j += '}';
  Key(j, "records");
  *j += '[';
  for (size_t i = 0; i < r.records.size(); ++i) {
    const DmarcAggregateRecord& rec = r.records[i];
    if (i > 0) *j += ", ";
    *j += '{';
    Str(j, "source_ip", rec.source_ip);
    Num(j, "count", static_cast<long long>(rec.count));
    Str(j, "disposition", rec.disposition);
    Bool(j, "dkim_aligned", rec.dkim_aligned());
    Bool(j, "spf_aligned", rec.spf_aligned());
    Str(j, "header_from", rec.header_from);
    AuthResults(j, "dkim", rec.dkim, true);
    AuthResults(j, "spf", rec.spf, false);
    *j += '}';
  }
  *j += ']';
}

void Tlsrpt(std::string* j, const TlsrptReport& r) {
  Str(j, "reporter", r.reporter);
  Str(j, "report_id", r.report_id);
  Key(j, "begin");
  *j += r.begin ? std::to_string(*r.begin) : "null";
  Key(j, "end");
  *j += r.end ? std::to_string(*r.end) : "null";
  Key(j, "policies");
  *j += '[';
  for (size_t i = 0; i < r.policies.size(); ++i) {
    const TlsrptPolicy& p = r.policies[i];
    if (i > 0) *j += ", ";
    *j += '{';
    Str(j, "policy_domain", p.policy_domain);
    Str(j, "policy_type", p.policy_type);
    Num(j, "successful", static_cast<long long>(p.successful));
    Num(j, "failed", static_cast<long long>(p.failed));
    Key(j, "failures");
    *j += '[';
    for (size_t k = 0; k < p.failures.size(); ++k) {
      if (k > 0) *j += ", ";
      *j += '{';
      Str(j, "result_type", p.failures[k].result_type);
      Str(j, "receiving_mx", p.failures[k].receiving_mx);
      Num(j, "count", static_cast<long long>(p.failures[k].count));
      *j += '}';
    }
    *j += "]}";
  }
  *j += ']';
}

void Arf(std::string* j, const ArfReport& r) {
  Str(j, "feedback_type", r.feedback_type);
  OptStr(j, "source_ip", r.source_ip);
  OptStr(j, "original_message_id", r.original_message_id);
  OptStr(j, "reported_domain", r.reported_domain);
  OptStr(j, "original_from_domain", r.original_from_domain);
  OptStr(j, "reporting_mta", r.reporting_mta);
  Str(j, "user_agent", r.user_agent);
}

}  // namespace

std::string ReportJson(const ParsedReport& report) {
  std::string j = "{";
  Str(&j, "kind", ReportKindName(report.kind()));
  if (const auto* dmarc = std::get_if<DmarcAggregateReport>(&report.report)) Dmarc(&j, *dmarc);
  if (const auto* tlsrpt = std::get_if<TlsrptReport>(&report.report)) Tlsrpt(&j, *tlsrpt);
  if (const auto* arf = std::get_if<ArfReport>(&report.report)) Arf(&j, *arf);
  Str(&j, "container", report.container);
  j += '}';
  return j;
}

std::string InvalidReportJson(const Status& status) {
  std::string j = "{";
  Str(&j, "kind", "invalid");
  Str(&j, "reason", ReportInvalidReasonName(InvalidReportReason(status)));
  Str(&j, "detail", status.message());
  j += '}';
  return j;
}

}  // namespace mailrep
