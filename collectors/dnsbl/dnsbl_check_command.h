// `mailrep_exporter check dnsbl TARGET [--list ZONE]... [--dns-server HOST:PORT]...
//  [--format text|json]`: checks one IP address or domain now and prints the
// result for a person (a table, listed lists first, with meanings and where to
// request delisting) or as JSON:
//
//   {"target": "192.0.2.1", "lists": [{"list": "zen.spamhaus.org",
//     "status": "listed|allowlisted|clean|error|unhealthy", "severity": "major",
//     "codes": ["127.0.0.2"], "meanings": ["..."], "error": "", "delist_url": "..."}]}
//
// Lists: --list, else collectors.dnsbl.lists of --config.file, else the
// catalogue's default set. Resolvers: --dns-server, else dns.servers of the
// config file, else the system's. A list the config file mirrors
// (collectors.dnsbl.mirrors, read under --path.rootfs) is answered from its
// file, with no DNS query; with every list mirrored no resolver is started.
// Exit code: 1 if any list lists the target, else 2 if no list gave a
// verdict (stderr says so) or on usage errors, else 0.
#ifndef MAILREP_COLLECTORS_DNSBL_DNSBL_CHECK_COMMAND_H_
#define MAILREP_COLLECTORS_DNSBL_DNSBL_CHECK_COMMAND_H_

#include <string_view>

#include "collectors/dns/resolver.h"
#include "exporter/core/check_command.h"

namespace mailrep {

inline constexpr std::string_view kDnsblCheckUsage =
    "check dnsbl TARGET [--list ZONE]... [--dns-server HOST:PORT]... [--format text|json]";
inline constexpr std::string_view kDnsblCheckHelp =
    "Check an IP address or domain against DNS blocklists now.";

int RunDnsblCheck(const CheckCommandContext& ctx);

// The same with a given resolver (tests); null means build the real one.
int RunDnsblCheckWith(const CheckCommandContext& ctx, Resolver* resolver);

// `check dnsbl` for the registry (collectors/registry.cc).
extern const CheckCommand kDnsblCheckCommand;

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNSBL_DNSBL_CHECK_COMMAND_H_
