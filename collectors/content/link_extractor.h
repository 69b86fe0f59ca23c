// The hosts of the web links in a decoded text or HTML body: what receivers
// check against domain blocklists. Found are
//   - bare http:// and https:// URIs and www. names in any text, and
//   - in HTML, href= and src= attribute values (quoted or not, with the
//     character references &amp; &#NN; &#xNN; &colon; &sol; &period; decoded)
//     that are http(s) URIs or scheme-relative ("//host/...").
// A host is the URI's authority without userinfo and port, lower-cased,
// trailing dots dropped; it must be an LDH name with a dot (IP literals and
// non-ASCII names are passed over: they are no domain to look up). Other
// schemes (mailto:, cid:, data:, relative paths) are not links here.
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
  std::vector<std::string> hosts;  // in order found, duplicates kept
  size_t uris = 0;                 // URIs read (with a host or not)
  bool capped = false;             // more than max_uris were there
};

void ScanLinks(std::string_view body, bool html, size_t max_uris, LinkScan* scan);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_CONTENT_LINK_EXTRACTOR_H_
