#include "collectors/reports/dmarc_aggregate_report.h"

#include <expat.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include "collectors/reports/report_invalid_reason.h"
#include "collectors/reports/xml_subset_scanner.h"
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

// The elements this parser knows, as nodes of the tree of paths it reads
// ("feedback/record/row/count" is kCount); anything else is kUnknown, and so
// is everything below it. Names are compared once per element, by length
// first, against the few children of the parent's node.
enum class Node : uint8_t {
  kUnknown,
  kDocument,
  kFeedback,
  kVersion,
  kMetadata,
  kOrgName,
  kEmail,
  kReportId,
  kGenerator,
  kError,
  kDateRange,
  kBegin,
  kEnd,
  kPolicy,
  kPolicyDomain,
  kAdkim,
  kAspf,
  kP,
  kSp,
  kPct,
  kFo,
  kNp,
  kTesting,
  kDiscoveryMethod,
  kRecord,
  kRow,
  kSourceIp,
  kCount,
  kPolicyEvaluated,
  kDisposition,
  kPolicyDkim,
  kPolicySpf,
  kReason,
  kReasonType,
  kIdentifiers,
  kHeaderFrom,
  kEnvelopeFrom,
  kAuthResults,
  kAuthDkim,
  kAuthSpf,
  kAuthDomain,
  kAuthSelector,
  kAuthScope,
  kAuthResult,
};

struct Child {
  std::string_view name;
  Node node;
};

constexpr Child kDocumentChildren[] = {{"feedback", Node::kFeedback}};
constexpr Child kFeedbackChildren[] = {{"version", Node::kVersion},
                                       {"report_metadata", Node::kMetadata},
                                       {"policy_published", Node::kPolicy},
                                       {"record", Node::kRecord}};
constexpr Child kMetadataChildren[] = {
    {"org_name", Node::kOrgName},    {"email", Node::kEmail}, {"report_id", Node::kReportId},
    {"generator", Node::kGenerator}, {"error", Node::kError}, {"date_range", Node::kDateRange}};
constexpr Child kDateRangeChildren[] = {{"begin", Node::kBegin}, {"end", Node::kEnd}};
constexpr Child kPolicyChildren[] = {{"domain", Node::kPolicyDomain},
                                     {"adkim", Node::kAdkim},
                                     {"aspf", Node::kAspf},
                                     {"p", Node::kP},
                                     {"sp", Node::kSp},
                                     {"pct", Node::kPct},
                                     {"fo", Node::kFo},
                                     {"np", Node::kNp},
                                     {"testing", Node::kTesting},
                                     {"discovery_method", Node::kDiscoveryMethod}};
constexpr Child kRecordChildren[] = {
    {"row", Node::kRow}, {"identifiers", Node::kIdentifiers}, {"auth_results", Node::kAuthResults}};
constexpr Child kRowChildren[] = {{"source_ip", Node::kSourceIp},
                                  {"count", Node::kCount},
                                  {"policy_evaluated", Node::kPolicyEvaluated}};
constexpr Child kPolicyEvaluatedChildren[] = {{"disposition", Node::kDisposition},
                                              {"dkim", Node::kPolicyDkim},
                                              {"spf", Node::kPolicySpf},
                                              {"reason", Node::kReason}};
constexpr Child kReasonChildren[] = {{"type", Node::kReasonType}};
constexpr Child kIdentifiersChildren[] = {{"header_from", Node::kHeaderFrom},
                                          {"envelope_from", Node::kEnvelopeFrom}};
constexpr Child kAuthResultsChildren[] = {{"dkim", Node::kAuthDkim}, {"spf", Node::kAuthSpf}};
constexpr Child kAuthChildren[] = {{"domain", Node::kAuthDomain},
                                   {"selector", Node::kAuthSelector},
                                   {"scope", Node::kAuthScope},
                                   {"result", Node::kAuthResult}};

template <size_t N>
Node Find(const Child (&children)[N], std::string_view name) {
  for (const Child& c : children) {
    if (c.name.size() != name.size()) continue;
    // Byte by byte: the names are short, a call to memcmp costs more.
    size_t i = 0;
    while (i < name.size() && c.name[i] == name[i]) ++i;
    if (i == name.size()) return c.node;
  }
  return Node::kUnknown;
}

Node ChildOf(Node parent, std::string_view name) {
  switch (parent) {
    case Node::kDocument:
      return Find(kDocumentChildren, name);
    case Node::kFeedback:
      return Find(kFeedbackChildren, name);
    case Node::kMetadata:
      return Find(kMetadataChildren, name);
    case Node::kDateRange:
      return Find(kDateRangeChildren, name);
    case Node::kPolicy:
      return Find(kPolicyChildren, name);
    case Node::kRecord:
      return Find(kRecordChildren, name);
    case Node::kRow:
      return Find(kRowChildren, name);
    case Node::kPolicyEvaluated:
      return Find(kPolicyEvaluatedChildren, name);
    case Node::kReason:
      return Find(kReasonChildren, name);
    case Node::kIdentifiers:
      return Find(kIdentifiersChildren, name);
    case Node::kAuthResults:
      return Find(kAuthResultsChildren, name);
    case Node::kAuthDkim:
    case Node::kAuthSpf:
      return Find(kAuthChildren, name);
    default:
      return Node::kUnknown;
  }
}

// Whether an element's text is read (the others' is only counted for the cap).
bool KeepsText(Node node) {
  switch (node) {
    case Node::kUnknown:
    case Node::kDocument:
    case Node::kFeedback:
    case Node::kMetadata:
    case Node::kDateRange:
    case Node::kPolicy:
    case Node::kRecord:
    case Node::kRow:
    case Node::kPolicyEvaluated:
    case Node::kReason:
    case Node::kIdentifiers:
    case Node::kAuthResults:
    case Node::kAuthDkim:
    case Node::kAuthSpf:
      return false;
    default:
      return true;
  }
}

// Empties a record for reuse, keeping its buffers.
void Clear(DmarcAggregateRecord* r) {
  r->source_ip.clear();
  r->count = 0;
  r->disposition.clear();
  r->policy_dkim.clear();
  r->policy_spf.clear();
  r->reasons.clear();
  r->header_from.clear();
  r->envelope_from.clear();
  r->dkim.clear();
  r->spf.clear();
}

void AssignLower(std::string_view value, std::string* out) {
  out->assign(value);
  for (char& c : *out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
}

}  // namespace

struct DmarcAggregateParser::State final : XmlSubsetHandler {
  XML_Parser parser = nullptr;               // kExpat's
  std::unique_ptr<XmlSubsetScanner> subset;  // kSubset's
  RecordFn on_record;
  Status error;
  Node nodes[kMaxDepth + 1] = {Node::kDocument};  // nodes[depth]: the open element's
  int depth = 0;                                  // elements open
  std::string text;      // character data of the innermost element, when kept
  size_t text_size = 0;  // ... and its size, kept or not
  bool root_seen = false, has_begin = false, has_end = false;
  DmarcReportHeader header;
  DmarcAggregateRecord record;
  bool count_seen = false;
  int auth_kind = 0;  // inside auth_results: 1 dkim, 2 spf (kept), 0 other or dropped

  void Fail(Status status) {
    if (error.ok()) error = std::move(status);
    if (parser != nullptr) XML_StopParser(parser, XML_FALSE);
  }

  bool OnStart(std::string_view ns, std::string_view local) override {
    Start(ns, local);
    return error.ok();
  }
  bool OnText(std::string_view text) override {
    Text(text);
    return error.ok();
  }
  bool OnEnd() override {
    End();
    return error.ok();
  }

  // An element in namespace `ns` ("" for none) starts.
  void Start(std::string_view ns, std::string_view local) {
    if (depth == 0) {
      if (root_seen || local != "feedback") {
        return Fail(Schema("the root element is <" + std::string(local) + ">, not <feedback>"));
      }
      root_seen = true;
      header.rfc9990_namespace = ns == kDmarc2Namespace;
    }
    if (depth >= kMaxDepth) {
      return Fail(Schema("elements nested deeper than " + std::to_string(kMaxDepth)));
    }
    Node node = ChildOf(nodes[depth], local);
    nodes[++depth] = node;
    text.clear();
    text_size = 0;
    if (node == Node::kRecord) {
      Clear(&record);
      count_seen = false;
      auth_kind = 0;
    } else if (node == Node::kAuthDkim) {
      auth_kind = record.dkim.size() < kMaxAuthResults ? 1 : 0;
      if (auth_kind) record.dkim.emplace_back();
    } else if (node == Node::kAuthSpf) {
      auth_kind = record.spf.size() < kMaxAuthResults ? 2 : 0;
      if (auth_kind) record.spf.emplace_back();
    }
  }

  void Text(std::string_view data) {
    if (text_size + data.size() > kMaxText) {
      return Fail(Schema("an element's text is over " + std::to_string(kMaxText) + " bytes"));
    }
    text_size += data.size();
    if (KeepsText(nodes[depth])) text.append(data);
  }

  void End() {
    if (!error.ok() || depth == 0) return;
    std::string_view value = Trim(text);
    switch (nodes[depth]) {
      case Node::kAuthDkim:
      case Node::kAuthSpf:
        auth_kind = 0;
        break;
      case Node::kVersion:
        header.version = value;
        break;
      case Node::kOrgName:
        header.reporter = value;
        break;
      case Node::kEmail:
        header.reporter_email = value;
        break;
      case Node::kReportId:
        header.report_id = value;
        break;
      case Node::kGenerator:
        header.generator = value;
        break;
      case Node::kError:
        if (header.errors.size() < kMaxErrors) header.errors.emplace_back(value);
        break;
      case Node::kBegin:
      case Node::kEnd:
        DateRange(nodes[depth] == Node::kBegin, value);
        break;
      case Node::kPolicyDomain:
        header.policy_domain = value;
        break;
      case Node::kAdkim:
        header.adkim = value;
        break;
      case Node::kAspf:
        header.aspf = value;
        break;
      case Node::kP:
        header.p = value;
        break;
      case Node::kSp:
        header.sp = value;
        break;
      case Node::kPct:
        header.pct = value;
        break;
      case Node::kFo:
        header.fo = value;
        break;
      case Node::kNp:
        header.np = value;
        break;
      case Node::kTesting:
        header.testing = value;
        break;
      case Node::kDiscoveryMethod:
        header.discovery_method = value;
        break;
      case Node::kSourceIp:
        record.source_ip = value;
        break;
      case Node::kCount:
        if (!ParseUnsigned(value, &record.count)) {
          return Fail(Schema("record count \"" + std::string(value.substr(0, 32)) +
                             "\" is not a whole number"));
        }
        count_seen = true;
        break;
      case Node::kDisposition:
        AssignLower(value, &record.disposition);
        break;
      case Node::kPolicyDkim:
        AssignLower(value, &record.policy_dkim);
        break;
      case Node::kPolicySpf:
        AssignLower(value, &record.policy_spf);
        break;
      case Node::kReasonType:
        if (record.reasons.size() < kMaxAuthResults) record.reasons.emplace_back(value);
        break;
      case Node::kHeaderFrom:
        record.header_from = value;
        break;
      case Node::kEnvelopeFrom:
        record.envelope_from = value;
        break;
      case Node::kAuthDomain:
      case Node::kAuthSelector:
      case Node::kAuthScope:
      case Node::kAuthResult:
        if (auth_kind != 0) Auth(nodes[depth], value);
        break;
      case Node::kRecord:
        EndRecord();
        break;
      default:
        break;
    }
    if (!error.ok()) return;
    --depth;
    text.clear();
    text_size = 0;
  }

  void DateRange(bool begin, std::string_view value) {
    uint64_t seconds;
    // Some reporters write "1764547200.0"; the fraction is dropped.
    std::string_view whole = value.substr(0, value.find('.'));
    if (!ParseUnsigned(whole, &seconds) || seconds > (uint64_t{1} << 40)) {
      return Fail(
          Schema(std::string("date_range ") + (begin ? "begin" : "end") + " is not Unix seconds"));
    }
    (begin ? header.begin : header.end) = static_cast<int64_t>(seconds);
    (begin ? has_begin : has_end) = true;
  }

  void Auth(Node field, std::string_view value) {
    DmarcAuthResult& r = auth_kind == 1 ? record.dkim.back() : record.spf.back();
    if (field == Node::kAuthDomain) {
      r.domain = value;
    } else if (field == Node::kAuthSelector) {
      r.selector = value;
    } else if (field == Node::kAuthScope) {
      r.scope = value;
    } else {
      AssignLower(value, &r.result);
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
  // "uri|local", or "local" outside a namespace.
  std::string_view full(name);
  size_t sep = full.rfind(kNamespaceSeparator);
  if (sep == std::string_view::npos) return static_cast<State*>(data)->Start({}, full);
  static_cast<State*>(data)->Start(full.substr(0, sep), full.substr(sep + 1));
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

Status Declined() {
  return Status::Unavailable("outside the XML subset the fast reader takes; read with expat");
}

}  // namespace

DmarcAggregateParser::DmarcAggregateParser(RecordFn on_record, DmarcXmlReader reader)
    : state_(new State) {
  state_->on_record = std::move(on_record);
  if (reader == DmarcXmlReader::kSubset) {
    state_->subset = std::make_unique<XmlSubsetScanner>(state_.get());
    return;
  }
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
  if (s.subset) {
    if (s.error.ok() && !s.subset->Feed(chunk) && s.error.ok()) s.error = Declined();
    return s.error;
  }
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
  if (s.subset) {
    if (s.error.ok() && !s.subset->Finish() && s.error.ok()) s.error = Declined();
  } else if (s.error.ok() && XML_Parse(s.parser, "", 0, 1) != XML_STATUS_OK && s.error.ok()) {
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

StatusOr<DmarcAggregateReport> ParseDmarcAggregateReport(const XmlPieces& next,
                                                         uint64_t max_records,
                                                         DmarcXmlReader reader) {
  DmarcAggregateReport report;
  DmarcAggregateParser parser(
      [&](DmarcAggregateRecord& record) {
        if (report.records.size() >= max_records) {
          return InvalidReport(ReportInvalidReason::kTooManyRecords,
                               "more than " + std::to_string(max_records) + " records");
        }
        report.records.push_back(std::move(record));
        return Status::OK();
      },
      reader);
  Status fed;
  for (;;) {
    StatusOr<std::string_view> piece = next();
    if (!piece.ok()) return piece.status();
    if (piece->empty()) break;
    if (fed.ok()) fed = parser.Feed(*piece);
  }
  if (!fed.ok()) return fed;
  StatusOr<DmarcReportHeader> header = parser.Finish();
  if (!header.ok()) return header.status();
  report.header = std::move(header).value();
  return report;
}

StatusOr<DmarcAggregateReport> ParseDmarcAggregateReport(std::string_view xml, uint64_t max_records,
                                                         DmarcXmlReader reader) {
  bool given = false;
  return ParseDmarcAggregateReport(
      [&]() -> StatusOr<std::string_view> {
        if (given) return std::string_view();
        given = true;
        return xml;
      },
      max_records, reader);
}

bool LooksLikeXml(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  size_t at = text.find_first_not_of(" \t\r\n");
  return at != std::string_view::npos && text[at] == '<';
}

}  // namespace mailrep
