#include "exporter/app/run_check.h"

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
    CheckCommandContext ctx{{flags.command.begin() + 2, flags.command.end()},
                            flags.config_file,
                            flags.rootfs,
                            out,
                            err,
                            out_is_terminal};
    return c.run(ctx);
  }
  err << "mailrep_exporter: no check named \"" << flags.command[1] << "\"\n";
  ListCommands(commands, err);
  return 2;
}

}  // namespace mailrep
