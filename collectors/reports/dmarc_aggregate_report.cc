#include "collectors/reports/dmarc_aggregate_report.h"

#include <expat.h>

#include <algorithm>
#include <utility>

#include "collectors/reports/report_invalid_reason.h"
#include "exporter/util/ascii.h"

namespace mailrep {
namespace {

constexpr char kNamespaceSeparator = '|';
constexpr std::string_view kDmarc2Namespace = "urn:ietf:params:xml:ns:dmarc-2.0";
constexpr int kMaxDepth = 16;
constexpr size_t kMaxText = 8192;
constexpr size_t kMaxErrors = 16;
constexpr size_t kFeedChunk = 1 << 20;

std::string_view Trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

bool ParseUnsigned(std::string_view s, uint64_t* out) {
  if (s.empty() || s.size() > 19) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (!IsDigit(c)) return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  *out = v;
  return true;
}

Status Schema(std::string_view why) {
  return InvalidReport(ReportInvalidReason::kDmarcSchema, why);
}

}  // namespace

struct DmarcAggregateParser::State {
  XML_Parser parser = nullptr;
  RecordFn on_record;
  Status error;
  std::string path;                // "feedback/record/row/count"
  std::vector<size_t> path_marks;  // path length before each open element
  std::string text;                // character data of the innermost element
  bool root_seen = false, has_begin = false, has_end = false;
  DmarcReportHeader header;
  DmarcAggregateRecord record;
  bool count_seen = false;
  int auth_kind = 0;  // inside auth_results: 1 dkim, 2 spf (kept), 0 other or dropped

  void Fail(Status status) {
    if (error.ok()) error = std::move(status);
    XML_StopParser(parser, XML_FALSE);
  }

  void Start(std::string_view name) {
    size_t sep = name.rfind(kNamespaceSeparator);
    std::string_view local = sep == std::string_view::npos ? name : name.substr(sep + 1);
    if (path_marks.empty()) {
      if (root_seen || local != "feedback") {
        return Fail(Schema("the root element is <" + std::string(local) + ">, not <feedback>"));
      }
      root_seen = true;
      header.rfc9990_namespace =
          sep != std::string_view::npos && name.substr(0, sep) == kDmarc2Namespace;
    }
    if (static_cast<int>(path_marks.size()) >= kMaxDepth) {
      return Fail(Schema("elements nested deeper than " + std::to_string(kMaxDepth)));
    }
    path_marks.push_back(path.size());
    if (!path.empty()) path += '/';
    path.append(local);
    text.clear();
    if (path == "feedback/record") {
      record = DmarcAggregateRecord{};
      count_seen = false;
      auth_kind = 0;
    } else if (path == "feedback/record/auth_results/dkim") {
      auth_kind = record.dkim.size() < kMaxAuthResults ? 1 : 0;
      if (auth_kind) record.dkim.emplace_back();
    } else if (path == "feedback/record/auth_results/spf") {
      auth_kind = record.spf.size() < kMaxAuthResults ? 2 : 0;
      if (auth_kind) record.spf.emplace_back();
    }
  }

  void Text(std::string_view data) {
    if (text.size() + data.size() > kMaxText) {
      return Fail(Schema("an element's text is over " + std::to_string(kMaxText) + " bytes"));
    }
    text.append(data);
  }

  void End() {
    if (!error.ok() || path_marks.empty()) return;
    std::string_view value = Trim(text);
    std::string_view p = path;
    constexpr std::string_view kMeta = "feedback/report_metadata/";
    constexpr std::string_view kPolicy = "feedback/policy_published/";
    constexpr std::string_view kRow = "feedback/record/row/";
    constexpr std::string_view kAuth = "feedback/record/auth_results/";
    if (p == "feedback/record/auth_results/dkim" || p == "feedback/record/auth_results/spf") {
      auth_kind = 0;
    } else if (p == "feedback/version") {
      header.version = value;
    } else if (p.substr(0, kMeta.size()) == kMeta) {
      Metadata(p.substr(kMeta.size()), value);
    } else if (p.substr(0, kPolicy.size()) == kPolicy) {
      Policy(p.substr(kPolicy.size()), value);
    } else if (p.substr(0, kRow.size()) == kRow) {
      Row(p.substr(kRow.size()), value);
    } else if (p == "feedback/record/identifiers/header_from") {
      record.header_from = value;
    } else if (p == "feedback/record/identifiers/envelope_from") {
      record.envelope_from = value;
    } else if (p.substr(0, kAuth.size()) == kAuth && auth_kind != 0) {
      Auth(p.substr(kAuth.size()), value);
    } else if (p == "feedback/record") {
      EndRecord();
    }
    if (!error.ok()) return;
    path.resize(path_marks.back());
    path_marks.pop_back();
    text.clear();
  }

  void Metadata(std::string_view field, std::string_view value) {
    if (field == "org_name") {
      header.reporter = value;
    } else if (field == "email") {
      header.reporter_email = value;
    } else if (field == "report_id") {
      header.report_id = value;
    } else if (field == "generator") {
      header.generator = value;
    } else if (field == "error") {
      if (header.errors.size() < kMaxErrors) header.errors.emplace_back(value);
    } else if (field == "date_range/begin" || field == "date_range/end") {
      uint64_t seconds;
      // Some reporters write "1764547200.0"; the fraction is dropped.
      std::string_view whole = value.substr(0, value.find('.'));
      if (!ParseUnsigned(whole, &seconds) || seconds > (uint64_t{1} << 40)) {
        return Fail(Schema("date_range " + std::string(field.substr(11)) + " is not Unix seconds"));
      }
      (field.back() == 'n' ? header.begin : header.end) = static_cast<int64_t>(seconds);
      (field.back() == 'n' ? has_begin : has_end) = true;
    }
  }

  void Policy(std::string_view field, std::string_view value) {
    std::string* slot = field == "domain"             ? &header.policy_domain
                        : field == "adkim"            ? &header.adkim
                        : field == "aspf"             ? &header.aspf
                        : field == "p"                ? &header.p
                        : field == "sp"               ? &header.sp
                        : field == "pct"              ? &header.pct
                        : field == "fo"               ? &header.fo
                        : field == "np"               ? &header.np
                        : field == "testing"          ? &header.testing
                        : field == "discovery_method" ? &header.discovery_method
                                                      : nullptr;
    if (slot != nullptr) *slot = value;
  }

  void Row(std::string_view field, std::string_view value) {
    if (field == "source_ip") {
      record.source_ip = value;
    } else if (field == "count") {
      if (!ParseUnsigned(value, &record.count)) {
        return Fail(Schema("record count \"" + std::string(value.substr(0, 32)) +
                           "\" is not a whole number"));
      }
      count_seen = true;
    } else if (field == "policy_evaluated/disposition") {
      record.disposition = ToLowerAscii(value);
    } else if (field == "policy_evaluated/dkim") {
      record.policy_dkim = ToLowerAscii(value);
    } else if (field == "policy_evaluated/spf") {
      record.policy_spf = ToLowerAscii(value);
    } else if (field == "policy_evaluated/reason/type") {
      if (record.reasons.size() < kMaxAuthResults) record.reasons.emplace_back(value);
    }
  }

  void Auth(std::string_view field, std::string_view value) {
    std::string_view kind = auth_kind == 1 ? "dkim/" : "spf/";
    if (field.substr(0, kind.size()) != kind) return;
    field.remove_prefix(kind.size());
    DmarcAuthResult& r = auth_kind == 1 ? record.dkim.back() : record.spf.back();
    if (field == "domain") {
      r.domain = value;
    } else if (field == "selector") {
      r.selector = value;
    } else if (field == "scope") {
      r.scope = value;
    } else if (field == "result") {
      r.result = ToLowerAscii(value);
    }
  }

  void EndRecord() {
    if (record.source_ip.empty()) return Fail(Schema("a record has no source_ip"));
    if (!count_seen) return Fail(Schema("a record has no count"));
    if (header.records >= kMaxDmarcRecords) {
      return Fail(InvalidReport(ReportInvalidReason::kTooManyRecords,
                                "more than " + std::to_string(kMaxDmarcRecords) + " records"));
    }
    ++header.records;
    if (Status s = on_record(record); !s.ok()) Fail(std::move(s));
  }
};

namespace {

using State = DmarcAggregateParser::State;

void XMLCALL OnStart(void* data, const XML_Char* name, const XML_Char**) {
  static_cast<State*>(data)->Start(name);
}
void XMLCALL OnEnd(void* data, const XML_Char*) { static_cast<State*>(data)->End(); }
void XMLCALL OnText(void* data, const XML_Char* s, int len) {
  static_cast<State*>(data)->Text(std::string_view(s, static_cast<size_t>(len)));
}
void XMLCALL OnDoctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  static_cast<State*>(data)->Fail(
      InvalidReport(ReportInvalidReason::kXmlDtd, "a DOCTYPE declaration (refused)"));
}
void XMLCALL OnEntity(void* data, const XML_Char* name, int, const XML_Char*, int, const XML_Char*,
                      const XML_Char*, const XML_Char*, const XML_Char*) {
  static_cast<State*>(data)->Fail(
      InvalidReport(ReportInvalidReason::kXmlDtd,
                    "an entity declaration \"" + std::string(name).substr(0, 32) + "\" (refused)"));
}
int XMLCALL OnExternalEntity(XML_Parser, const XML_Char*, const XML_Char*, const XML_Char*,
                             const XML_Char*) {
  return XML_STATUS_ERROR;
}

}  // namespace

DmarcAggregateParser::DmarcAggregateParser(RecordFn on_record) : state_(new State) {
  state_->on_record = std::move(on_record);
  state_->parser = XML_ParserCreateNS(nullptr, kNamespaceSeparator);
  if (state_->parser == nullptr) {
    state_->error = Status::Internal("expat: cannot create a parser");
    return;
  }
  XML_SetUserData(state_->parser, state_.get());
  XML_SetElementHandler(state_->parser, OnStart, OnEnd);
  XML_SetCharacterDataHandler(state_->parser, OnText);
  XML_SetStartDoctypeDeclHandler(state_->parser, OnDoctype);
  XML_SetEntityDeclHandler(state_->parser, OnEntity);
  XML_SetExternalEntityRefHandler(state_->parser, OnExternalEntity);
  XML_SetParamEntityParsing(state_->parser, XML_PARAM_ENTITY_PARSING_NEVER);
}

DmarcAggregateParser::~DmarcAggregateParser() {
  if (state_->parser != nullptr) XML_ParserFree(state_->parser);
}

Status DmarcAggregateParser::Feed(std::string_view chunk) {
  State& s = *state_;
  while (s.error.ok() && !chunk.empty()) {
    std::string_view piece = chunk.substr(0, kFeedChunk);
    chunk.remove_prefix(piece.size());
    if (XML_Parse(s.parser, piece.data(), static_cast<int>(piece.size()), 0) != XML_STATUS_OK &&
        s.error.ok()) {
      s.error = InvalidReport(ReportInvalidReason::kXmlSyntax,
                              std::string(XML_ErrorString(XML_GetErrorCode(s.parser))) +
                                  " at line " + std::to_string(XML_GetCurrentLineNumber(s.parser)));
    }
  }
  return s.error;
}

StatusOr<DmarcReportHeader> DmarcAggregateParser::Finish() {
  State& s = *state_;
  if (s.error.ok() && XML_Parse(s.parser, "", 0, 1) != XML_STATUS_OK && s.error.ok()) {
    s.error = InvalidReport(ReportInvalidReason::kXmlSyntax,
                            std::string(XML_ErrorString(XML_GetErrorCode(s.parser))) + " at line " +
                                std::to_string(XML_GetCurrentLineNumber(s.parser)));
  }
  if (!s.error.ok()) return s.error;
  if (!s.root_seen) return Schema("no <feedback> element");
  if (s.header.reporter.empty()) return Schema("no report_metadata/org_name");
  if (s.header.report_id.empty()) return Schema("no report_metadata/report_id");
  if (!s.has_begin || !s.has_end) return Schema("no report_metadata/date_range");
  if (s.header.policy_domain.empty()) return Schema("no policy_published/domain");
  return s.header;
}

StatusOr<DmarcAggregateReport> ParseDmarcAggregateReport(std::string_view xml,
                                                         uint64_t max_records) {
  DmarcAggregateReport report;
  DmarcAggregateParser parser([&](const DmarcAggregateRecord& record) {
    if (report.records.size() >= max_records) {
      return InvalidReport(ReportInvalidReason::kTooManyRecords,
                           "more than " + std::to_string(max_records) + " records");
    }
    report.records.push_back(record);
    return Status::OK();
  });
  if (Status s = parser.Feed(xml); !s.ok()) return s;
  StatusOr<DmarcReportHeader> header = parser.Finish();
  if (!header.ok()) return header.status();
  report.header = std::move(header).value();
  return report;
}

bool LooksLikeXml(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  size_t at = text.find_first_not_of(" \t\r\n");
  return at != std::string_view::npos && text[at] == '<';
}

}  // namespace mailrep
