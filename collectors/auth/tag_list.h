// Tag-list syntax shared by DKIM key records and DMARC records (RFC 6376
// §3.2): "tag=value" specs separated by ';', an optional trailing ';', folding
// white space around names, '=' and ';'. Pure; thread-safe.
#ifndef MAILREP_COLLECTORS_AUTH_TAG_LIST_H_
#define MAILREP_COLLECTORS_AUTH_TAG_LIST_H_

#include <string>
#include <string_view>
#include <vector>

#include "exporter/util/status.h"

namespace mailrep {

struct Tag {
  std::string name;   // case-sensitive, as written
  std::string value;  // surrounding white space removed; inner white space kept; may be empty
};

struct TagList {
  std::vector<Tag> tags;  // in record order; names are unique

  // The value of tag `name`, or nullptr when absent.
  const std::string* Find(std::string_view name) const;
};

struct TagListOptions {
  // Tolerate empty specs between separators ("a=1;;b=2"). The RFC 6376 grammar
  // forbids them; DMARC receivers commonly accept them.
  bool allow_empty_specs = false;
};

// Parses a whole tag-list. InvalidArgument, naming the byte offset, when a tag
// name is malformed, '=' is missing, a value holds a byte outside VALCHAR /
// white space (controls, non-ASCII), a tag appears twice, or the list is
// empty.
StatusOr<TagList> ParseTagList(std::string_view text, TagListOptions options = {});

// Splits a colon-separated value ("sha1:sha256") into its elements with the
// white space around each removed; empty elements are kept as "".
std::vector<std::string> SplitTagValue(std::string_view value, char separator = ':');

// True for SP, HTAB, CR and LF: the bytes folding white space is built from.
inline bool IsTagListSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_AUTH_TAG_LIST_H_
