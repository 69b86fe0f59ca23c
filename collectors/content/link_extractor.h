// The hosts of the web links in a decoded text or HTML body: what receivers
// check against domain blocklists. Found are
//   - bare http:// and https:// URIs and www. names in any text, and
//   - in HTML, href= and src= attribute values (quoted or not, with the
//     character references &amp; &#NN; &#xNN; &colon; &sol; &period; decoded,
//     numeric ones beyond ASCII to UTF-8) that are http(s) URIs or
//     scheme-relative ("//host/...").
// A host is the URI's authority without userinfo and port, lower-cased,
// trailing dots dropped; it must be a name with a dot (IP literals and
// dotless names are passed over: they are no domain to look up). A name
// written in Unicode or percent-encoded becomes its A-label form
// (link_host.h: "bücher.example" is "xn--bcher-kva.example"); one without a
// valid A-label is counted in `unconvertible` and not returned. Bodies are
// read as UTF-8 (a part in another charset has unconvertible non-ASCII
// names). Other schemes (mailto:, cid:, data:, relative paths) are not links
// here.
//
// Bounded: at most `max_uris` URIs per LinkScan over all calls (more are
// counted in `capped` and not read); time linear in the text. Pure;
// thread-safe.
#ifndef MAILREP_COLLECTORS_CONTENT_LINK_EXTRACTOR_H_
#define MAILREP_COLLECTORS_CONTENT_LINK_EXTRACTOR_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mailrep {

struct LinkScan {
  std::vector<std::string> hosts;  // in order found, duplicates kept; ASCII (A-labels)
  size_t uris = 0;                 // URIs read (with a host or not)
  // Hosts written in Unicode or percent-encoded without a valid A-label
  // (IDNA2008), as written, duplicates kept: links no domain list can be
  // asked about. Held for counting only; never to be logged or exported.
  std::vector<std::string> unconvertible;
  bool capped = false;  // more than max_uris were there
};

void ScanLinks(std::string_view body, bool html, size_t max_uris, LinkScan* scan);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_CONTENT_LINK_EXTRACTOR_H_
