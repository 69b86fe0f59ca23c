// ReadReport: one receiver's report from a file as it arrives — a whole
// report mail (MIME, the report attached as XML or JSON, gzip'd or zip'd, or
// an ARF complaint), or a bare report file (XML, JSON, .gz, .zip) — parsed
// into a DMARC aggregate report, a TLS-RPT report or an ARF complaint.
//
// The attachment's bytes decide, not its label: reporters send JSON labelled
// application/tlsrpt+gzip and gzip labelled application/octet-stream. Every
// step has a cap (ReportLimits): the input, each decompressed payload,
// archives inside archives, MIME nesting and parts, records. Anything else is
// an invalid-report Status whose reason (InvalidReportReason()) is one of the
// bounded ReportInvalidReason values; nothing here crashes or throws on
// hostile input (each parser has a fuzzer). Stateless; thread-safe.
#ifndef MAILREP_COLLECTORS_REPORTS_REPORT_READER_H_
#define MAILREP_COLLECTORS_REPORTS_REPORT_READER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "collectors/mail/mime_walker.h"
#include "collectors/reports/arf_report.h"
#include "collectors/reports/dmarc_aggregate_report.h"
#include "collectors/reports/tlsrpt_report.h"
#include "exporter/util/status.h"

namespace mailrep {

struct ReportLimits {
  size_t max_input_bytes = 64 << 20;
  size_t max_decompressed_bytes = 32 << 20;  // per payload
  int max_archive_depth = 2;                 // e.g. a .gz inside a .zip
  uint64_t max_records = 100000;             // DMARC records kept
  MimeLimits mime;
};

enum class ReportKind { kDmarc, kTlsrpt, kArf };

// "dmarc", "tlsrpt", "arf"; "unknown" outside the enum.
std::string_view ReportKindName(ReportKind kind);

struct ParsedReport {
  std::variant<DmarcAggregateReport, TlsrptReport, ArfReport> report;
  std::string container;  // how it came: "mail", "gzip", "mail, zip (report.xml)", ...

  ReportKind kind() const { return static_cast<ReportKind>(report.index()); }
};

// How DMARC XML is read. kSubsetFirst: the fast XmlSubsetScanner, and the
// file read again with expat alone when a DMARC document fails with it (it
// declines anything outside its subset); kExpatOnly: expat alone. Both give
// the same result (xml_subset_scanner_test.cc holds them to it); the second
// is the differential tests' reference.
enum class ReportXmlPath { kSubsetFirst, kExpatOnly };

StatusOr<ParsedReport> ReadReport(std::string_view file, const ReportLimits& limits = {},
                                  ReportXmlPath path = ReportXmlPath::kSubsetFirst);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_REPORTS_REPORT_READER_H_
