// ReportInvalidReason: why a report file or mail was not parsed, from a
// bounded set (the `reason` label of the report intake's invalid counter).
//
// The parsers return Status/StatusOr; an invalid report is a Status made by
// InvalidReport(reason, detail), whose message is "<reason name>: <detail>",
// and InvalidReportReason() reads the reason back (kOther for any Status not
// made so, e.g. zlib out of memory). The mail parsers' errors
// (collectors/mail/mail_error.h) carry the names of kMimeSyntax,
// kMimeTooDeep, kMimeTooManyParts, kBadBase64 and kTooLarge, and read back
// as those. Stateless; thread-safe.
#ifndef MAILREP_COLLECTORS_REPORTS_REPORT_INVALID_REASON_H_
#define MAILREP_COLLECTORS_REPORTS_REPORT_INVALID_REASON_H_

#include <string_view>

#include "exporter/util/status.h"

namespace mailrep {

enum class ReportInvalidReason {
  kNotAReport,            // no DMARC, TLS-RPT or ARF report in it
  kTooLarge,              // the file or a part is over its byte cap
  kMimeSyntax,            // a mail whose headers or multipart structure is broken
  kMimeTooDeep,           // multipart nested deeper than the cap
  kMimeTooManyParts,      // more parts than the cap
  kBadBase64,             // a base64 body with characters outside the alphabet
  kBadGzip,               // corrupt or truncated gzip
  kBadZip,                // corrupt, truncated, encrypted or zip64 archive
  kDecompressedTooLarge,  // inflating would pass the cap (a decompression bomb)
  kArchiveTooDeep,        // archives inside archives beyond the cap
  kXmlSyntax,             // not well-formed XML
  kXmlDtd,                // a DOCTYPE or entity declaration (refused, never expanded)
  kDmarcSchema,           // well-formed XML, but not a DMARC aggregate report
  kJsonSyntax,            // not RFC 8259 JSON
  kJsonLimits,            // JSON nested or sized beyond the caps
  kTlsrptSchema,          // valid JSON, but not an RFC 8460 report
  kArfSchema,             // a feedback report without a Feedback-Type
  kTooManyRecords,        // more records or policies than the cap
  kOther,                 // a Status not made by InvalidReport()
};

// "not_a_report", "xml_dtd", ...; "unknown" outside the enum.
std::string_view ReportInvalidReasonName(ReportInvalidReason reason);

// InvalidArgument (ResourceExhausted for the caps: too_large,
// mime_too_deep, mime_too_many_parts, decompressed_too_large,
// archive_too_deep, json_limits, too_many_records) with the message
// "<reason name>: <detail>".
[[nodiscard]] Status InvalidReport(ReportInvalidReason reason, std::string_view detail);

// The reason of a Status made by InvalidReport(), else kOther.
ReportInvalidReason InvalidReportReason(const Status& status);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_REPORTS_REPORT_INVALID_REASON_H_
