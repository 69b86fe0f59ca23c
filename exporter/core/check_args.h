// CheckArgs: the arguments of a `check` subcommand — positionals,
// `--name value` / `--name=value` options, each possibly repeated, and
// --help/-h — and ParseCheckCommandArgs(), the start every check command
// shares: one parser, one --format text|json, one usage-error and one --help
// output, so every `mailrep_exporter check <name>` behaves the same.
#ifndef MAILREP_EXPORTER_CORE_CHECK_ARGS_H_
#define MAILREP_EXPORTER_CORE_CHECK_ARGS_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/core/check_command.h"
#include "exporter/util/status.h"

namespace mailrep {

struct CheckArgs {
  std::vector<std::string> positionals;
  std::map<std::string, std::vector<std::string>> options;  // name without "--"
  bool help = false;  // --help or -h was given (parsing stops there)

  // Parses `args`; every option must be in `allowed` and takes a value, or
  // in `flags` and takes none (it is then in `options` with value "").
  // --help and -h take none and are always accepted.
  static StatusOr<CheckArgs> Parse(const std::vector<std::string>& args,
                                   const std::vector<std::string>& allowed,
                                   const std::vector<std::string>& flags = {});

  // The last value given for `name`, or `default_value`.
  std::string Get(const std::string& name, const std::string& default_value = "") const;
  const std::vector<std::string>& GetAll(const std::string& name) const;
  bool Has(const std::string& name) const { return options.count(name) > 0; }

  // --format, which every check command takes: "text" (the default) or
  // "json". CheckFormat() is InvalidArgument("--format must be text or json")
  // for any other value; json() is true for "json".
  Status CheckFormat() const;
  bool json() const { return Get("format", "text") == "json"; }
};

// What a command accepts besides --format and --help/-h.
struct CheckArgSpec {
  std::vector<std::string> options;     // each takes a value
  bool positionals = false;             // operands (TARGET, FILE...); else one is a usage error
  std::vector<std::string> flags = {};  // each takes no value ("--show-recipients")
};

// The start of every CheckCommand::run: parses ctx.args by `spec` and checks
// --format. Returns the arguments; or nullopt with *exit_code set when the
// command is done: 0 after --help/-h (the usage line and help on ctx.out),
// 2 after a usage error (CheckUsageError).
std::optional<CheckArgs> ParseCheckCommandArgs(const CheckCommand& command,
                                               const CheckCommandContext& ctx,
                                               const CheckArgSpec& spec, int* exit_code);

// A usage error: "check <name>: <why>" and "usage: mailrep_exporter <usage>"
// on ctx.err. Returns 2, the exit code to return.
int CheckUsageError(const CheckCommand& command, const CheckCommandContext& ctx,
                    std::string_view why);

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CORE_CHECK_ARGS_H_
