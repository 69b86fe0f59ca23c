// CheckCommand: `mailrep_exporter check <name> [args...]`, the same check code
// the collectors run, printed for a person (or as JSON) instead of exported.
//
// A collector family offers its commands through one line in
// collectors/registry.cc (AllCheckCommands()).
#ifndef MAILREP_EXPORTER_CORE_CHECK_COMMAND_H_
#define MAILREP_EXPORTER_CORE_CHECK_COMMAND_H_

#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace mailrep {

// Defined in collectors/http_fetch/http_fetcher.h.
class HttpFetcher;

struct CheckCommandContext {
  // Arguments after `check <name>`, e.g. {"192.0.2.1", "--list", "zen.spamhaus.org"}.
  std::vector<std::string> args;
  // --config.file from the global flags ("" = none), --path.rootfs.
  std::string config_file;
  std::string rootfs;
  std::ostream& out;
  std::ostream& err;
  bool out_is_terminal = false;  // colour allowed in text output
  // --dns.resolv-conf ("" = /etc/resolv.conf), for resolvers on the system's
  // servers (no --dns-server and no dns.servers).
  std::string resolv_conf{};
  // The process's HTTP(S) fetcher (libcurl; RunCheckCommand makes it), for
  // checks that fetch over HTTPS; tests may pass a FakeHttpFetcher. DNS, by
  // contrast, each check starts from its --dns-server flags
  // (StartDnsEngineForCheck).
  std::shared_ptr<HttpFetcher> http{};
};

struct CheckCommand {
  std::string_view name;   // "dnsbl"
  std::string_view usage;  // "check dnsbl TARGET [--list ZONE]... [--format text|json]"
  std::string_view help;   // one line
  // Returns the process exit code: 0 all good, 1 the check found a problem
  // (listed, fail, ...), 2 usage or runtime error (message on err).
  int (*run)(const CheckCommandContext& ctx);
};

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CORE_CHECK_COMMAND_H_
