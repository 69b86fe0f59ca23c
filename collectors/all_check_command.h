// `mailrep_exporter check all [--dns-server HOST:PORT]... [--format text|json]`:
// every sender group of the config (--config.file, else the embedded default)
// checked now and printed as one page for a person. Per sending IP (CIDR
// blocks: the first kCheckAllAddressesPerBlock addresses): reverse DNS / FCrDNS
// / HELO, SPF for each envelope domain and the HELO name, and the DNSBL
// listing (`check dnsbl`'s lists: collectors.dnsbl.lists or the catalogue's
// default set); per sender group: each DKIM selector and DMARC for each
// domain, with the alignment of the configured identities.
//
// Each check is printed by the same code as its own `check` command; text
// output prefixes each with OK / WARN / FAIL (green / yellow / red on a
// terminal). JSON is one document:
//
//   {"config": "...", "verdict": "ok|warn|fail", "ok": 5, "warn": 0, "fail": 1,
//    "senders": [{"helo": "...", "domains": [...],
//                 "ips": [{"ip": "...", "checks": [CHECK, ...]}],
//                 "domain_checks": [CHECK, ...]}]}
//   CHECK = {"check": "ptr|spf|dnsbl|dkim|dmarc", "verdict": "ok|warn|fail",
//            "result": <that check command's JSON object>}
//
// WARN means the check could not decide (DNS error, unhealthy list) or found a
// weakness (1024-bit key, unauthorized report destination, HELO without SPF).
// Exit code: 0 every check OK, 1 any WARN or FAIL, 2 usage, config or
// resolver error, or no senders configured.
#ifndef MAILREP_COLLECTORS_ALL_CHECK_COMMAND_H_
#define MAILREP_COLLECTORS_ALL_CHECK_COMMAND_H_

#include <cstdint>

#include "collectors/auth/psl.h"
#include "collectors/dns/resolver.h"
#include "exporter/core/check_command.h"

namespace mailrep {

inline constexpr uint64_t kCheckAllAddressesPerBlock = 16;

extern const CheckCommand kAllCheckCommand;

// The same with a given resolver and suffix list (tests); null means build
// the real one.
int RunCheckAllWith(const CheckCommandContext& ctx, Resolver* resolver,
                    const PublicSuffixList* psl);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_ALL_CHECK_COMMAND_H_
