#include "exporter/app/run_check.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "collectors/http_fetch/curl_http_fetcher.h"

namespace mailrep {
namespace {

void ListCommands(const std::vector<CheckCommand>& commands, std::ostream& err) {
  err << "usage: mailrep_exporter check <what> [args...]\n";
  if (commands.empty()) {
    err << "no check commands are available yet\n";
    return;
  }
  err << "checks:\n";
  for (const CheckCommand& c : commands) err << "  mailrep_exporter " << c.usage << "\n";
}

// Takes the global flags a check reads (--config.file, --path.rootfs,
// --dns.resolv-conf) out of
// `args`, wherever they stand, so `check dnsbl IP --config.file=F` works as
// well as `--config.file=F check dnsbl IP`. Returns false on a missing value.
bool TakeGlobalFlags(std::vector<std::string>* args, std::string* config_file, std::string* rootfs,
                     std::string* resolv_conf, std::ostream& err) {
  const std::pair<std::string_view, std::string*> globals[] = {{"--config.file", config_file},
                                                               {"--path.rootfs", rootfs},
                                                               {"--dns.resolv-conf", resolv_conf}};
  std::vector<std::string> rest;
  for (size_t i = 0; i < args->size(); ++i) {
    std::string_view arg = (*args)[i];
    std::string* target = nullptr;
    std::optional<std::string> value;
    for (const auto& [flag, dest] : globals) {
      if (arg == flag) {
        target = dest;
      } else if (arg.starts_with(flag) && arg.size() > flag.size() && arg[flag.size()] == '=') {
        target = dest;
        value = std::string(arg.substr(flag.size() + 1));
      }
    }
    if (target == nullptr) {
      rest.emplace_back(arg);
      continue;
    }
    if (!value) {
      if (i + 1 == args->size()) {
        err << "mailrep_exporter: " << arg << " needs a value\n";
        return false;
      }
      value = (*args)[++i];
    }
    *target = *value;
  }
  *args = std::move(rest);
  return true;
}

}  // namespace

int RunCheckCommand(const Flags& flags, const std::vector<CheckCommand>& commands,
                    std::ostream& out, std::ostream& err, bool out_is_terminal) {
  if (flags.command.empty() || flags.command[0] != "check") {
    err << "mailrep_exporter: unknown command \"" << (flags.command.empty() ? "" : flags.command[0])
        << "\" (see --help)\n";
    return 2;
  }
  if (flags.command.size() < 2) {
    ListCommands(commands, err);
    return 2;
  }
  for (const CheckCommand& c : commands) {
    if (c.name != flags.command[1]) continue;
    std::vector<std::string> args(flags.command.begin() + 2, flags.command.end());
    std::string config_file = flags.config_file, rootfs = flags.rootfs,
                resolv_conf = flags.resolv_conf;
    if (!TakeGlobalFlags(&args, &config_file, &rootfs, &resolv_conf, err)) return 2;
    CheckCommandContext ctx{std::move(args), config_file,         rootfs, out, err, out_is_terminal,
                            resolv_conf,     NewCurlHttpFetcher()};
    return c.run(ctx);
  }
  err << "mailrep_exporter: no check named \"" << flags.command[1] << "\"\n";
  ListCommands(commands, err);
  return 2;
}

}  // namespace mailrep
