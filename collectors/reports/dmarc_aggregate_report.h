// DMARC aggregate reports (RFC 7489 Appendix C; RFC 9990, namespace
// urn:ietf:params:xml:ns:dmarc-2.0) read by a streaming XML parser (expat):
// the report's metadata and published policy, and each record as it ends.
//
// Safety: a DOCTYPE, any entity declaration and external entities are
// refused (xml_dtd) before anything is expanded, so entity bombs fail fast;
// element nesting, text per element and the record count are capped. Both
// the no-namespace RFC 7489 documents and RFC 9990's namespace are read (any
// namespace is accepted on the elements; elements this parser does not know
// are skipped). Memory: the header, the current record and expat's buffer —
// records go to the callback, not into a DOM.
//
// DmarcXmlReader::kSubset reads with XmlSubsetScanner instead of expat:
// several times cheaper, for the strict subset of XML machine-written
// reports use; outside it the parse fails, and the caller reads the document
// again with expat (ReadReport does), which then decides.
//
//   DmarcAggregateParser parser([&](const DmarcAggregateRecord& r) { ...; return Status::OK(); });
//   for (chunk : chunks) if (Status s = parser.Feed(chunk); !s.ok()) return s;
//   StatusOr<DmarcReportHeader> header = parser.Finish();
//
// Errors are invalid-report Statuses (report_invalid_reason.h): xml_syntax,
// xml_dtd, dmarc_schema, too_many_records, or the callback's own Status. Not
// thread-safe; one parser per document.
#ifndef MAILREP_COLLECTORS_REPORTS_DMARC_AGGREGATE_REPORT_H_
#define MAILREP_COLLECTORS_REPORTS_DMARC_AGGREGATE_REPORT_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/util/status.h"

namespace mailrep {

struct DmarcAuthResult {
  std::string domain;
  std::string selector;  // DKIM only
  std::string scope;     // SPF only ("mfrom", "helo")
  std::string result;    // "pass", "fail", "none", ...

  bool operator==(const DmarcAuthResult&) const = default;
};

struct DmarcAggregateRecord {
  std::string source_ip;
  uint64_t count = 0;
  // row/policy_evaluated: the receiver's DMARC verdict.
  std::string disposition;           // "none", "quarantine", "reject", as sent
  std::string policy_dkim;           // "pass" or "fail": DKIM aligned and passing
  std::string policy_spf;            // "pass" or "fail"
  std::vector<std::string> reasons;  // policy_evaluated/reason/type
  // identifiers
  std::string header_from, envelope_from;
  // auth_results (at most kMaxAuthResults of each kept)
  std::vector<DmarcAuthResult> dkim, spf;

  bool dkim_aligned() const { return policy_dkim == "pass"; }
  bool spf_aligned() const { return policy_spf == "pass"; }
  bool operator==(const DmarcAggregateRecord&) const = default;
};

struct DmarcReportHeader {
  bool rfc9990_namespace = false;  // the root was in urn:ietf:params:xml:ns:dmarc-2.0
  std::string version;             // <version>, when given
  // report_metadata
  std::string reporter;  // org_name
  std::string reporter_email;
  std::string report_id;
  int64_t begin = 0, end = 0;  // date_range, Unix seconds
  std::string generator;       // RFC 9990
  std::vector<std::string> errors;
  // policy_published
  std::string policy_domain;
  std::string adkim, aspf, p, sp, pct, fo;
  std::string np, testing, discovery_method;  // RFC 9990
  uint64_t records = 0;                       // records read

  bool operator==(const DmarcReportHeader&) const = default;
};

struct DmarcAggregateReport {
  DmarcReportHeader header;
  std::vector<DmarcAggregateRecord> records;

  bool operator==(const DmarcAggregateReport&) const = default;
};

inline constexpr size_t kMaxAuthResults = 16;          // per record and kind
inline constexpr uint64_t kMaxDmarcRecords = 1000000;  // per report

// Which XML reader parses.
enum class DmarcXmlReader {
  kExpat,   // any well-formed document
  kSubset,  // XmlSubsetScanner; any error (its declining too) means: read again with kExpat
};

class DmarcAggregateParser {
 public:
  // Called as each record ends; it may move from the record (the parser
  // empties it before the next one).
  using RecordFn = std::function<Status(DmarcAggregateRecord&)>;
  explicit DmarcAggregateParser(RecordFn on_record, DmarcXmlReader reader = DmarcXmlReader::kExpat);
  ~DmarcAggregateParser();
  DmarcAggregateParser(const DmarcAggregateParser&) = delete;
  DmarcAggregateParser& operator=(const DmarcAggregateParser&) = delete;

  // The next bytes of the document. After an error, every later call
  // returns it again.
  Status Feed(std::string_view chunk);
  // The end of the document: the header, or why the document is no report.
  StatusOr<DmarcReportHeader> Finish();

  struct State;  // the XML handlers' state (dmarc_aggregate_report.cc)

 private:
  std::unique_ptr<State> state_;
};

// A whole document with its records collected (the `check report` CLI, tests);
// at most `max_records` (too_many_records past it).
StatusOr<DmarcAggregateReport> ParseDmarcAggregateReport(
    std::string_view xml, uint64_t max_records = 100000,
    DmarcXmlReader reader = DmarcXmlReader::kExpat);

// The same, the document read piece by piece from `next` (an empty piece
// ends it; a piece stays valid until the next call), e.g. straight from a
// decompressor. An error from next() wins over the document's own: after an
// XML or schema error the rest is still read, so that a broken archive
// around a broken document is reported as the archive's error, as when the
// archive is unpacked first.
using XmlPieces = std::function<StatusOr<std::string_view>()>;
StatusOr<DmarcAggregateReport> ParseDmarcAggregateReport(
    const XmlPieces& next, uint64_t max_records, DmarcXmlReader reader = DmarcXmlReader::kExpat);

// True when `text` (after white space and a byte order mark) starts like XML.
bool LooksLikeXml(std::string_view text);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_REPORTS_DMARC_AGGREGATE_REPORT_H_
