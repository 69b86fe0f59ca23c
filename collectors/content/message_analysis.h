// AnalyzeMessage: the content checks of one outgoing message (#17) — what the
// observe-only milter counts and `check message` prints. Input: the message
// as bytes (header block, empty line, body; CRLF or LF) and options; output:
// a plain struct of findings. Nothing of the content is kept or logged: the
// findings hold booleans, bounded codes, sizes and the registrable domains
// of the links (which the caller may look up, link_listing.h, and must not
// export as labels).
//
// Bounded: a message over max_message_bytes is not read (too_large, the
// milter counts it as skipped); otherwise memory is about twice the message
// (the decoded parts) and time linear in it; at most max_uris links are read
// and max_link_domains domains kept. Stateless; thread-safe (the
// PublicSuffixList is shared read-only).
#ifndef MAILREP_COLLECTORS_CONTENT_MESSAGE_ANALYSIS_H_
#define MAILREP_COLLECTORS_CONTENT_MESSAGE_ANALYSIS_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/auth/psl.h"
#include "collectors/content/attachment_class.h"
#include "collectors/content/format_problems.h"
#include "collectors/content/unsubscribe.h"
#include "collectors/mail/mime_walker.h"

namespace mailrep {

struct ContentOptions {
  // A header field whose presence marks bulk mail, besides Precedence,
  // List-Id and List-Unsubscribe ("" = none).
  std::string bulk_header;
  size_t max_message_bytes = 32 << 20;
  size_t max_uris = 1000;
  size_t max_link_domains = 50;
  MimeLimits mime{.max_depth = 8, .max_parts = 100, .max_part_bytes = 32 << 20};
};

struct AttachmentFinding {
  AttachmentClass attachment_class = AttachmentClass::kNone;
  size_t size = 0;  // decoded bytes
};

struct MessageFindings {
  size_t size = 0;         // the message's bytes
  bool too_large = false;  // over max_message_bytes: nothing else was read
  bool bulk = false;
  // Registrable domains (libpsl) of the links in text and HTML parts, lower
  // case, each once, in order found; at most max_link_domains.
  std::vector<std::string> link_domains;
  bool links_capped = false;  // more URIs or domains than the caps
  // Distinct link hosts written in Unicode or percent-encoded that have no
  // valid A-label (link_host.h): links that cannot be looked up.
  size_t unconvertible_link_hosts = 0;
  UnsubscribeFindings unsubscribe;
  std::vector<FormatProblem> format_problems;  // each once, in enum order
  std::vector<AttachmentFinding> attachments;  // in MIME order
};

MessageFindings AnalyzeMessage(std::string_view message, const PublicSuffixList& psl,
                               const ContentOptions& options = {});

// What a person or an alert would call a problem: a format problem, a risky
// attachment (attachment_class.h), or bulk mail without compliant one-click
// unsubscribe (UnsubscribeFindings::Compliant). Listed links are judged by
// the caller, after the lookups.
bool HasContentProblem(const MessageFindings& findings);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_CONTENT_MESSAGE_ANALYSIS_H_
