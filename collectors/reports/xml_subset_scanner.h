// XmlSubsetScanner: a streaming reader of a strict subset of XML 1.0, the
// DMARC aggregate parser's fast path for the machine-written reports that
// make up nearly all of them (expat's namespace parsing was about half of
// the reports collector's CPU). It never guesses: anything outside the
// subset, or not well-formed, makes it decline, and the caller reads the
// whole document again with expat (report_reader.cc does).
//
// Contract: when every Feed() and Finish() returned true, expat (namespace
// processing, '|' as the separator) accepts the same bytes and calls its
// start-element, end-element and character-data handlers in the same order
// with the same names ("uri|local", or "local" outside a namespace) and the
// same text, possibly cut into other pieces. Proven by
// xml_subset_scanner_test.cc (the test corpus, whole and in pieces) and
// xml_subset_fuzzer.cc (same events as expat, or declined).
//
// The subset (anything else declines):
//  - ASCII only: any byte >= 0x80 (a byte order mark too) and control bytes
//    other than tab, LF and CR;
//  - an optional XML declaration at the very start: version "1.0", encoding
//    UTF-8 (any case) if given, standalone "yes" or "no" if given;
//  - white space only before and after the root element: no DOCTYPE,
//    comments, processing instructions or CDATA sections anywhere;
//  - names of ASCII letters, digits, '_', '-', '.' (no prefixes, no ':');
//  - at most 8 attributes per element, values without '&', '<', tab, LF or
//    CR; namespace declarations only on the root element: xmlns="..." (not
//    a w3.org URI), which names the root and every element below it, and
//    xmlns:prefix="..." (not empty, not the XML or XMLNS namespace, prefix
//    not starting with "xml") for prefixes nothing here uses; no '|' (the
//    namespace separator) in their URIs;
//  - text with the five predefined entities and character references
//    (decimal or hex) to tab, LF, CR or 0x20-0x7E; CR LF and a lone CR are
//    read as LF (XML's end-of-line handling); no "]]>";
//  - a token (tag, reference) at most 64 KiB long across Feed() pieces.
// Not thread-safe; one scanner per document.
#ifndef MAILREP_COLLECTORS_REPORTS_XML_SUBSET_SCANNER_H_
#define MAILREP_COLLECTORS_REPORTS_XML_SUBSET_SCANNER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mailrep {

// What the scanner reads, as expat's handlers would get it. Each call
// returns false to stop the scan (Feed() and Finish() then return false).
class XmlSubsetHandler {
 public:
  virtual ~XmlSubsetHandler() = default;
  // `ns`: the root's xmlns URI ("" for none); `local`: the element's name.
  virtual bool OnStart(std::string_view ns, std::string_view local) = 0;
  virtual bool OnText(std::string_view text) = 0;
  virtual bool OnEnd() = 0;
};

class XmlSubsetScanner {
 public:
  static constexpr size_t kMaxToken = 64 << 10;
  static constexpr int kMaxOpen = 64;  // elements open (deeper declines)

  // `handler` must outlive the scanner.
  explicit XmlSubsetScanner(XmlSubsetHandler* handler) : handler_(handler) {}

  // The next bytes. False: declined or stopped (and so is every later call).
  bool Feed(std::string_view chunk);
  // The end of the document: true when it was whole, in the subset and the
  // root element closed.
  bool Finish();

 private:
  enum class Where : uint8_t { kStart, kProlog, kContent, kEpilog };
  static constexpr size_t kDecline = static_cast<size_t>(-1);
  static constexpr size_t kMore = static_cast<size_t>(-2);

  // Reads the whole tokens of `in`: the bytes used, or kDecline. `final`:
  // no more bytes come.
  size_t Scan(std::string_view in, bool final);
  // One token at in[p]: the position after it, kMore or kDecline.
  size_t XmlDecl(std::string_view in, size_t p);
  size_t StartTag(std::string_view in, size_t p);
  size_t EndTag(std::string_view in, size_t p);
  size_t Reference(std::string_view in, size_t p);
  size_t Text(std::string_view in, size_t p);
  bool Decline() {
    failed_ = true;
    return false;
  }

  XmlSubsetHandler* handler_;
  Where where_ = Where::kStart;
  bool failed_ = false;
  std::string carry_;  // an unfinished token from the last piece
  std::string ns_;     // the root's xmlns
  int depth_ = 0;
  std::string open_[kMaxOpen];  // the open elements' names, outermost first
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_REPORTS_XML_SUBSET_SCANNER_H_
