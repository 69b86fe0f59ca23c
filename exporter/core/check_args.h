// CheckArgs: the arguments of a `check` subcommand — positionals and
// `--name value` / `--name=value` options, each possibly repeated.
#ifndef MAILREP_EXPORTER_CORE_CHECK_ARGS_H_
#define MAILREP_EXPORTER_CORE_CHECK_ARGS_H_

#include <map>
#include <string>
#include <vector>

#include "exporter/util/status.h"

namespace mailrep {

struct CheckArgs {
  std::vector<std::string> positionals;
  std::map<std::string, std::vector<std::string>> options;  // name without "--"

  // Parses `args`; every option must be in `allowed` and takes a value.
  static StatusOr<CheckArgs> Parse(const std::vector<std::string>& args,
                                   const std::vector<std::string>& allowed);

  // The last value given for `name`, or `default_value`.
  std::string Get(const std::string& name, const std::string& default_value = "") const;
  const std::vector<std::string>& GetAll(const std::string& name) const;
  bool Has(const std::string& name) const { return options.count(name) > 0; }
};

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CORE_CHECK_ARGS_H_
