// HostIdentity: the names this host goes by (gethostname and its fully
// qualified form), found without network traffic unless DNS is allowed, and
// never taking longer than the given bound.
#ifndef MAILREP_COLLECTORS_HOST_HOST_IDENTITY_H_
#define MAILREP_COLLECTORS_HOST_HOST_IDENTITY_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace mailrep {

struct HostIdentity {
  std::string hostname;  // gethostname(2)
  std::string fqdn;      // fully qualified name; `hostname` when none is known
};

// The FQDN, in order: `root`/etc/hosts (FqdnFromHostsFile); the hostname
// itself when it already has a dot; getaddrinfo(AI_CANONNAME) when
// `dns_timeout` > 0, abandoned after `dns_timeout` (the lookup then finishes
// in a detached thread); else the hostname.
HostIdentity LookUpHostIdentity(const std::string& root, std::chrono::milliseconds dns_timeout);

// Same, for a given hostname (tests use this with dns_timeout 0).
HostIdentity HostIdentityFor(const std::string& hostname, const std::string& root,
                             std::chrono::milliseconds dns_timeout);

// /etc/hosts: the fully qualified name of `hostname`. On the first line that
// names `hostname` (as canonical name or alias, case-insensitively), the
// canonical name if it contains a dot, else the line's first dotted alias.
// nullopt when no line names it or the line has no dotted name.
std::optional<std::string> FqdnFromHostsFile(std::string_view text, std::string_view hostname);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_HOST_HOST_IDENTITY_H_
