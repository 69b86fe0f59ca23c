// `mailrep_exporter check message FILE.eml [--list ZONE]... [--dns-server HOST:PORT]...
//  [--bulk-header NAME] [--format text|json]`: the content checks the
// milter runs (message_analysis.h) on one message file, for a person, plus
// the link domains looked up in the domain blocklists (link_listing.h). JSON
// (one line):
//
//   {"bulk": true, "links": {"domains": 3, "unconvertible": 0, "listed": [
//     {"domain": "example.com", "list": "dbl.spamhaus.org", "code": "127.0.1.2"}]},
//    "unsubscribe": {"present": true, "one_click": true, "https": true,
//     "dkim_covers": null}, "format_problems": ["bare_lf"],
//    "attachments": [{"class": "executable"}], "size": 1234}
//
// The text form also names the link domains, the attachments' sizes and
// the lists that could not answer. Nothing but link domains leaves the
// message: no subject, address, URL or body is printed.
//
// Lists: --list (domain lists), else the catalogue's default domain lists.
// Resolvers: --dns-server, else dns.servers of --config.file, else the
// system's. No DNS query without a link. Exit code: 1 when a link is listed
// or the message has a content problem (HasContentProblem); 2 on a usage
// error, an unreadable FILE or one over 32 MiB; else 0.
#ifndef MAILREP_COLLECTORS_CONTENT_MESSAGE_CHECK_COMMAND_H_
#define MAILREP_COLLECTORS_CONTENT_MESSAGE_CHECK_COMMAND_H_

#include <string>
#include <string_view>
#include <vector>

#include "collectors/auth/psl.h"
#include "collectors/content/link_listing.h"
#include "collectors/content/message_analysis.h"
#include "collectors/dns/resolver.h"
#include "exporter/core/check_command.h"

namespace mailrep {

inline constexpr std::string_view kMessageCheckUsage =
    "check message FILE.eml [--list ZONE]... [--dns-server HOST:PORT]... [--bulk-header NAME] "
    "[--format text|json]";
inline constexpr std::string_view kMessageCheckHelp =
    "Check one message as receivers grade content: listed links, one-click unsubscribe, "
    "RFC 5322 format, attachments.";

int RunMessageCheck(const CheckCommandContext& ctx);

// The same with a given resolver and suffix list (tests); null means build
// the real ones.
int RunMessageCheckWith(const CheckCommandContext& ctx, Resolver* resolver,
                        const PublicSuffixList* psl);

// The JSON above.
std::string MessageCheckJson(const MessageFindings& findings, const LinkListing& listing);

extern const CheckCommand kMessageCheckCommand;

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_CONTENT_MESSAGE_CHECK_COMMAND_H_
