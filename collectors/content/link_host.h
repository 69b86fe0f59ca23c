// The host name of a link as a DNS name the domain blocklists know: host
// names written in Unicode (U-labels, "bücher.example") become their
// A-labels ("xn--bcher-kva.example"), the form DBL, URIBL and SURBL list.
// Conversion is IDNA2008 with the UTS #46 mapping, non-transitional (libidn2:
// "faß.de" is "xn--fa-hia.de", not "fass.de"), after NFC normalization and
// percent-decoding (RFC 3986 allows pct-encoded UTF-8 in a reg-name). The
// input must be UTF-8: a name the conversion refuses (disallowed code points,
// bad UTF-8 such as a Latin-1 body, a label starting with a hyphen, empty
// labels) is kUnconvertible — a link no list can be asked about. ASCII names
// are not sent through IDNA: they are only lower-cased, as before. Pure;
// thread-safe.
#ifndef MAILREP_COLLECTORS_CONTENT_LINK_HOST_H_
#define MAILREP_COLLECTORS_CONTENT_LINK_HOST_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace mailrep {

// How many bytes at the start of `authority` (after userinfo) are the host:
// ASCII letters, digits, '-', '.', '_', '%', and non-ASCII code points up to
// the first space or punctuation that cannot be in a name (U+00A0, « », the
// General Punctuation block but ZWNJ/ZWJ, CJK brackets and commas, ...), so
// "https://bücher.example” said" ends before the quotation mark. Bytes that
// are no UTF-8 count as part of the host (and make it unconvertible).
size_t HostRunLength(std::string_view authority);

enum class LinkHostKind {
  kDomain,         // `name` holds the lower-case ASCII name
  kNotADomain,     // no dot, an IP literal, too long, empty: nothing to look up
  kUnconvertible,  // written in Unicode or percent-encoded, but no valid A-label form
};

struct LinkHost {
  LinkHostKind kind = LinkHostKind::kNotADomain;
  std::string name;
};

// `host`: what HostRunLength() found, sentence punctuation already trimmed.
// A kDomain name is LDH (plus '_') with a dot, at most 253 octets, without
// trailing dot or empty labels, not all digits and dots.
LinkHost ToLinkHost(std::string_view host);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_CONTENT_LINK_HOST_H_
