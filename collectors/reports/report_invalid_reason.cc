#include "collectors/reports/report_invalid_reason.h"

#include <string>

namespace mailrep {
namespace {

constexpr ReportInvalidReason kAll[] = {
    ReportInvalidReason::kNotAReport,
    ReportInvalidReason::kTooLarge,
    ReportInvalidReason::kMimeSyntax,
    ReportInvalidReason::kMimeTooDeep,
    ReportInvalidReason::kMimeTooManyParts,
    ReportInvalidReason::kBadBase64,
    ReportInvalidReason::kBadGzip,
    ReportInvalidReason::kBadZip,
    ReportInvalidReason::kDecompressedTooLarge,
    ReportInvalidReason::kArchiveTooDeep,
    ReportInvalidReason::kXmlSyntax,
    ReportInvalidReason::kXmlDtd,
    ReportInvalidReason::kDmarcSchema,
    ReportInvalidReason::kJsonSyntax,
    ReportInvalidReason::kJsonLimits,
    ReportInvalidReason::kTlsrptSchema,
    ReportInvalidReason::kArfSchema,
    ReportInvalidReason::kTooManyRecords,
};

bool IsCap(ReportInvalidReason reason) {
  switch (reason) {
    case ReportInvalidReason::kTooLarge:
    case ReportInvalidReason::kMimeTooDeep:
    case ReportInvalidReason::kMimeTooManyParts:
    case ReportInvalidReason::kDecompressedTooLarge:
    case ReportInvalidReason::kArchiveTooDeep:
    case ReportInvalidReason::kJsonLimits:
    case ReportInvalidReason::kTooManyRecords:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string_view ReportInvalidReasonName(ReportInvalidReason reason) {
  switch (reason) {
    case ReportInvalidReason::kNotAReport:
      return "not_a_report";
    case ReportInvalidReason::kTooLarge:
      return "too_large";
    case ReportInvalidReason::kMimeSyntax:
      return "mime_syntax";
    case ReportInvalidReason::kMimeTooDeep:
      return "mime_too_deep";
    case ReportInvalidReason::kMimeTooManyParts:
      return "mime_too_many_parts";
    case ReportInvalidReason::kBadBase64:
      return "bad_base64";
    case ReportInvalidReason::kBadGzip:
      return "bad_gzip";
    case ReportInvalidReason::kBadZip:
      return "bad_zip";
    case ReportInvalidReason::kDecompressedTooLarge:
      return "decompressed_too_large";
    case ReportInvalidReason::kArchiveTooDeep:
      return "archive_too_deep";
    case ReportInvalidReason::kXmlSyntax:
      return "xml_syntax";
    case ReportInvalidReason::kXmlDtd:
      return "xml_dtd";
    case ReportInvalidReason::kDmarcSchema:
      return "dmarc_schema";
    case ReportInvalidReason::kJsonSyntax:
      return "json_syntax";
    case ReportInvalidReason::kJsonLimits:
      return "json_limits";
    case ReportInvalidReason::kTlsrptSchema:
      return "tlsrpt_schema";
    case ReportInvalidReason::kArfSchema:
      return "arf_schema";
    case ReportInvalidReason::kTooManyRecords:
      return "too_many_records";
    case ReportInvalidReason::kOther:
      return "other";
  }
  return "unknown";
}

Status InvalidReport(ReportInvalidReason reason, std::string_view detail) {
  std::string message = std::string(ReportInvalidReasonName(reason)) + ": " + std::string(detail);
  return IsCap(reason) ? Status::ResourceExhausted(std::move(message))
                       : Status::InvalidArgument(std::move(message));
}

ReportInvalidReason InvalidReportReason(const Status& status) {
  if (status.ok()) return ReportInvalidReason::kOther;
  std::string_view message = status.message();
  for (ReportInvalidReason reason : kAll) {
    std::string_view name = ReportInvalidReasonName(reason);
    if (message.size() > name.size() && message.substr(0, name.size()) == name &&
        message[name.size()] == ':') {
      return reason;
    }
  }
  return ReportInvalidReason::kOther;
}

}  // namespace mailrep
