// What a message's headers say about unsubscribing (RFC 2369, RFC 8058) and
// whether it is bulk mail — the checks Gmail and Yahoo apply to bulk senders
// since 2024. Pure; thread-safe.
//
//   present:     a List-Unsubscribe field with at least one <URI>
//   one_click:   List-Unsubscribe-Post is exactly "List-Unsubscribe=One-Click"
//                (RFC 8058 §3.1; name and value compared case-blind, white
//                space around the value ignored) and List-Unsubscribe holds
//                an http: or https: URI to POST to
//   https:       List-Unsubscribe holds an https: URI (RFC 8058 requires one)
//   dkim_covers: null without a DKIM-Signature field; else true when some
//                DKIM-Signature's h= (RFC 6376 §3.5: colon-separated field
//                names, case-insensitive; a name listed more often than the
//                field occurs — over-signing — still covers it) names both
//                List-Unsubscribe and List-Unsubscribe-Post. The signature
//                is not verified: the milter sees it before or after the
//                signer, and a broken h= covers nothing.
#ifndef MAILREP_COLLECTORS_CONTENT_UNSUBSCRIBE_H_
#define MAILREP_COLLECTORS_CONTENT_UNSUBSCRIBE_H_

#include <optional>
#include <string>
#include <string_view>

#include "collectors/mail/mail_headers.h"

namespace mailrep {

struct UnsubscribeFindings {
  bool present = false;
  bool one_click = false;
  bool https = false;
  std::optional<bool> dkim_covers;

  // Compliant as RFC 8058 and the mailbox providers want it: present,
  // one-click over https, and not left out of a DKIM signature.
  bool Compliant() const { return present && one_click && https && dkim_covers != false; }
};

UnsubscribeFindings CheckUnsubscribe(const MailHeaders& headers);

// Bulk mail: Precedence bulk, list or junk; a List-Id; a List-Unsubscribe;
// or the field `bulk_header` (a configured name; "" = none) present.
bool IsBulk(const MailHeaders& headers, std::string_view bulk_header);

// True when a DKIM-Signature value's h= tag names `field` (case-blind);
// false for a value that does not parse as a tag-list.
bool DkimSignatureCovers(std::string_view signature, std::string_view field);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_CONTENT_UNSUBSCRIBE_H_
