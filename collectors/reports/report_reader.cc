#include "collectors/reports/report_reader.h"

#include <optional>
#include <utility>
#include <vector>

#include "collectors/mail/mail_headers.h"
#include "collectors/reports/bounded_gunzip.h"
#include "collectors/reports/report_invalid_reason.h"
#include "collectors/reports/zip_member.h"

namespace mailrep {
namespace {

// One ReadReport() pass: its limits, and how DMARC XML is read.
struct Reading {
  const ReportLimits& limits;
  DmarcXmlReader xml;
  bool subset_failed = false;  // a kSubset parse failed: the pass must be redone with expat

  void NoteDmarcError() {
    if (xml == DmarcXmlReader::kSubset) subset_failed = true;
  }
};

bool LooksLikeJson(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  size_t at = text.find_first_not_of(" \t\r\n");
  return at != std::string_view::npos && text[at] == '{';
}

bool LooksLikePayload(std::string_view data) {
  return LooksLikeGzip(data) || LooksLikeZip(data) || LooksLikeXml(data) || LooksLikeJson(data);
}

void AddStep(std::string* container, std::string_view step) {
  if (!container->empty()) *container += ", ";
  container->append(step);
}

StatusOr<ParsedReport> ReadPayload(std::string_view data, std::string container, int depth,
                                   Reading& reading);

// Enough of a payload's start to tell what it is (ReadPayload's tests).
bool KindKnown(std::string_view start) {
  size_t from = start.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  return start.size() >= 4 && start.find_first_not_of(" \t\r\n", from) != std::string_view::npos;
}

// An archive's content, from `next` (empty at its end). XML goes to the DMARC
// parser piece by piece as it is inflated; anything else (JSON, an archive
// inside) is gathered whole and read as before.
StatusOr<ParsedReport> ReadUnpacked(const XmlPieces& next, std::string container, int depth,
                                    Reading& reading) {
  std::string gathered;
  std::string_view start;  // the first piece, or what was gathered
  bool end = false;
  while (!KindKnown(start)) {
    // A piece lasts only until the next one is asked for.
    if (!start.empty() && start.data() != gathered.data()) start = gathered.assign(start);
    StatusOr<std::string_view> piece = next();
    if (!piece.ok()) return piece.status();
    if (piece->empty()) {
      end = true;
      break;
    }
    if (start.empty()) {
      start = *piece;
    } else {
      start = gathered.append(*piece);
    }
  }
  if (!end && !LooksLikeGzip(start) && !LooksLikeZip(start) && LooksLikeXml(start)) {
    bool start_given = false;
    StatusOr<DmarcAggregateReport> dmarc = ParseDmarcAggregateReport(
        [&]() -> StatusOr<std::string_view> {
          if (start_given) return next();
          start_given = true;
          return start;
        },
        reading.limits.max_records, reading.xml);
    if (!dmarc.ok()) {
      reading.NoteDmarcError();
      return dmarc.status();
    }
    return ParsedReport{std::move(dmarc).value(), std::move(container)};
  }
  if (start.data() != gathered.data()) gathered.assign(start);
  while (!end) {
    StatusOr<std::string_view> piece = next();
    if (!piece.ok()) return piece.status();
    end = piece->empty();
    gathered.append(*piece);
  }
  return ReadPayload(gathered, std::move(container), depth, reading);
}

// A report payload: unwraps gzip and zip (up to the depth cap), then parses
// XML as DMARC and JSON as TLS-RPT.
StatusOr<ParsedReport> ReadPayload(std::string_view data, std::string container, int depth,
                                   Reading& reading) {
  if (LooksLikeGzip(data) || LooksLikeZip(data)) {
    if (depth >= reading.limits.max_archive_depth) {
      return InvalidReport(
          ReportInvalidReason::kArchiveTooDeep,
          "archives nested deeper than " + std::to_string(reading.limits.max_archive_depth));
    }
    if (LooksLikeGzip(data)) {
      BoundedInflateStream gzip(data, reading.limits.max_decompressed_bytes,
                                BoundedInflateStream::Format::kGzip);
      AddStep(&container, "gzip");
      return ReadUnpacked([&] { return gzip.Next(); }, std::move(container), depth + 1, reading);
    }
    StatusOr<ZipMemberStream> zip =
        ZipMemberStream::Open(data, reading.limits.max_decompressed_bytes);
    if (!zip.ok()) return zip.status();
    AddStep(&container, "zip (" + zip->name().substr(0, 128) + ")");
    return ReadUnpacked([&] { return zip->Next(); }, std::move(container), depth + 1, reading);
  }
  if (LooksLikeXml(data)) {
    StatusOr<DmarcAggregateReport> dmarc =
        ParseDmarcAggregateReport(data, reading.limits.max_records, reading.xml);
    if (!dmarc.ok()) {
      reading.NoteDmarcError();
      return dmarc.status();
    }
    return ParsedReport{std::move(dmarc).value(), std::move(container)};
  }
  if (LooksLikeJson(data)) {
    StatusOr<TlsrptReport> tlsrpt = ParseTlsrptReport(data);
    if (!tlsrpt.ok()) return tlsrpt.status();
    return ParsedReport{std::move(tlsrpt).value(), std::move(container)};
  }
  return InvalidReport(ReportInvalidReason::kNotAReport, "neither XML nor JSON");
}

bool IsOriginal(const MimePart& part) {
  const std::string& t = part.content_type.token;
  return t == "message/rfc822" || t == "text/rfc822-headers" || t == "message/rfc822-headers";
}

// Parts a person reads (the report mail's explanation) and the original of a
// forwarded mail are not report payloads.
bool MayCarryReport(const MimePart& part) {
  const std::string& t = part.content_type.token;
  if (t == "text/plain" || t == "text/html") return LooksLikePayload(part.body);
  return t.rfind("message/", 0) != 0 && t.rfind("multipart/", 0) != 0;
}

StatusOr<ParsedReport> ReadMail(std::string_view mail, Reading& reading) {
  StatusOr<std::vector<MimePart>> parts = WalkMime(mail, reading.limits.mime);
  if (!parts.ok()) return parts.status();
  for (const MimePart& part : *parts) {
    if (part.content_type.token != "message/feedback-report") continue;
    std::string_view original;
    for (const MimePart& other : *parts) {
      if (IsOriginal(other)) {
        original = other.body;
        break;
      }
    }
    StatusOr<ArfReport> arf = ParseArfReport(part.body, original);
    if (!arf.ok()) return arf.status();
    return ParsedReport{std::move(arf).value(), "mail"};
  }
  std::optional<Status> first_error;
  for (const MimePart& part : *parts) {
    if (!MayCarryReport(part)) continue;
    StatusOr<ParsedReport> report = ReadPayload(part.body, "mail", 0, reading);
    if (report.ok()) return report;
    if (!first_error) first_error = report.status();
  }
  if (first_error) return *first_error;
  return InvalidReport(ReportInvalidReason::kNotAReport, "a mail without a report attached");
}

}  // namespace

std::string_view ReportKindName(ReportKind kind) {
  switch (kind) {
    case ReportKind::kDmarc:
      return "dmarc";
    case ReportKind::kTlsrpt:
      return "tlsrpt";
    case ReportKind::kArf:
      return "arf";
  }
  return "unknown";
}

StatusOr<ParsedReport> ReadReport(std::string_view file, const ReportLimits& limits,
                                  ReportXmlPath path) {
  if (file.size() > limits.max_input_bytes) {
    return InvalidReport(ReportInvalidReason::kTooLarge,
                         "over " + std::to_string(limits.max_input_bytes) + " bytes");
  }
  if (!LooksLikePayload(file) && !LooksLikeMail(file)) {
    return InvalidReport(ReportInvalidReason::kNotAReport,
                         "neither a mail nor an XML, JSON, gzip or zip report");
  }
  auto pass = [&](Reading& reading) {
    return LooksLikePayload(file) ? ReadPayload(file, "", 0, reading) : ReadMail(file, reading);
  };
  if (path == ReportXmlPath::kSubsetFirst) {
    Reading fast{limits, DmarcXmlReader::kSubset};
    StatusOr<ParsedReport> report = pass(fast);
    // Every DMARC document the subset reader took reads the same with expat,
    // so the pass stands unless one failed (declined, or broken: then expat
    // decides, and the whole file is read again, as one part's failure may
    // have let a later part of a mail be taken).
    if (!fast.subset_failed) return report;
  }
  Reading expat{limits, DmarcXmlReader::kExpat};
  return pass(expat);
}

}  // namespace mailrep
