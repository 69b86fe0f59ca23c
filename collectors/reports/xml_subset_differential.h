// Tests and fuzzers only: what expat and XmlSubsetScanner read in one
// document, as comparable strings of events — "\x01name\x02" per start
// ("uri|local" in a namespace, as expat names it), the text (pieces joined)
// and "\x03" per end. Header-only; links expat.
#ifndef MAILREP_COLLECTORS_REPORTS_XML_SUBSET_DIFFERENTIAL_H_
#define MAILREP_COLLECTORS_REPORTS_XML_SUBSET_DIFFERENTIAL_H_

#include <expat.h>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

#include "collectors/reports/report_json.h"
#include "collectors/reports/report_reader.h"
#include "collectors/reports/xml_subset_scanner.h"

namespace mailrep::testing {

// expat's events, configured as the DMARC parser configures it (namespaces,
// no parameter entities); nullopt when expat finds the document broken.
inline std::optional<std::string> ExpatXmlEvents(std::string_view xml) {
  XML_Parser parser = XML_ParserCreateNS(nullptr, '|');
  std::string events;
  XML_SetUserData(parser, &events);
  XML_SetElementHandler(
      parser,
      [](void* data, const XML_Char* name, const XML_Char**) {
        *static_cast<std::string*>(data) += std::string("\x01") + name + "\x02";
      },
      [](void* data, const XML_Char*) { *static_cast<std::string*>(data) += "\x03"; });
  XML_SetCharacterDataHandler(parser, [](void* data, const XML_Char* s, int len) {
    static_cast<std::string*>(data)->append(s, static_cast<size_t>(len));
  });
  XML_SetParamEntityParsing(parser, XML_PARAM_ENTITY_PARSING_NEVER);
  bool ok = XML_Parse(parser, xml.data(), static_cast<int>(xml.size()), 1) == XML_STATUS_OK;
  XML_ParserFree(parser);
  if (!ok) return std::nullopt;
  return events;
}

// XmlSubsetScanner's events, the document fed in pieces of `piece` bytes;
// nullopt when it declines.
inline std::optional<std::string> SubsetXmlEvents(std::string_view xml, size_t piece) {
  struct Recorder : XmlSubsetHandler {
    std::string events;
    bool OnStart(std::string_view ns, std::string_view local) override {
      events += '\x01';
      if (!ns.empty()) events.append(ns).append("|");
      events.append(local).append("\x02");
      return true;
    }
    bool OnText(std::string_view text) override {
      events.append(text);
      return true;
    }
    bool OnEnd() override {
      events += '\x03';
      return true;
    }
  } recorder;
  XmlSubsetScanner scanner(&recorder);
  piece = std::max<size_t>(piece, 1);
  for (size_t at = 0; at < xml.size(); at += piece) {
    if (!scanner.Feed(xml.substr(at, piece))) return std::nullopt;
  }
  if (!scanner.Finish()) return std::nullopt;
  return recorder.events;
}

// Whether two ReadReport() results are the same: the same error message, or
// the same report (every DMARC field, the JSON `check report` prints).
inline bool SameRead(const StatusOr<ParsedReport>& a, const StatusOr<ParsedReport>& b) {
  if (a.ok() != b.ok()) return false;
  if (!a.ok()) return a.status().ToString() == b.status().ToString();
  if (a->container != b->container || a->kind() != b->kind()) return false;
  const auto* da = std::get_if<DmarcAggregateReport>(&a->report);
  const auto* db = std::get_if<DmarcAggregateReport>(&b->report);
  if (da != nullptr && !(*da == *db)) return false;
  return ReportJson(*a) == ReportJson(*b);
}

}  // namespace mailrep::testing

#endif  // MAILREP_COLLECTORS_REPORTS_XML_SUBSET_DIFFERENTIAL_H_
