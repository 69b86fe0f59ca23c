#include "exporter/core/check_args.h"

#include <algorithm>

namespace mailrep {

StatusOr<CheckArgs> CheckArgs::Parse(const std::vector<std::string>& args,
                                     const std::vector<std::string>& allowed,
                                     const std::vector<std::string>& flags) {
  CheckArgs out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      out.help = true;
      return out;
    }
    if (!arg.starts_with("--")) {
      out.positionals.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::string value;
    bool has_value = false;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
      has_value = true;
    }
    if (name == "help") return Status::InvalidArgument("--help takes no value");
    if (std::find(flags.begin(), flags.end(), name) != flags.end()) {
      if (has_value) return Status::InvalidArgument("--" + name + " takes no value");
      out.options[name].emplace_back();
      continue;
    }
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      return Status::InvalidArgument("unknown option --" + name);
    }
    if (!has_value) {
      if (i + 1 >= args.size()) return Status::InvalidArgument("--" + name + " needs a value");
      value = args[++i];
    }
    out.options[name].push_back(std::move(value));
  }
  return out;
}

std::string CheckArgs::Get(const std::string& name, const std::string& default_value) const {
  auto it = options.find(name);
  return it == options.end() ? default_value : it->second.back();
}

const std::vector<std::string>& CheckArgs::GetAll(const std::string& name) const {
  static const std::vector<std::string> kNone;
  auto it = options.find(name);
  return it == options.end() ? kNone : it->second;
}

Status CheckArgs::CheckFormat() const {
  std::string format = Get("format", "text");
  if (format != "text" && format != "json") {
    return Status::InvalidArgument("--format must be text or json");
  }
  return Status::OK();
}

std::optional<CheckArgs> ParseCheckCommandArgs(const CheckCommand& command,
                                               const CheckCommandContext& ctx,
                                               const CheckArgSpec& spec, int* exit_code) {
  std::vector<std::string> allowed = spec.options;
  allowed.emplace_back("format");
  StatusOr<CheckArgs> args = CheckArgs::Parse(ctx.args, allowed, spec.flags);
  Status status = args.ok() ? args->CheckFormat() : args.status();
  if (status.ok() && args->help) {
    ctx.out << "usage: mailrep_exporter " << command.usage << "\n" << command.help << "\n";
    *exit_code = 0;
    return std::nullopt;
  }
  if (status.ok() && !spec.positionals && !args->positionals.empty()) {
    status = Status::InvalidArgument("unexpected argument \"" + args->positionals.front() + "\"");
  }
  if (!status.ok()) {
    *exit_code = CheckUsageError(command, ctx, status.message());
    return std::nullopt;
  }
  return std::move(args).value();
}

int CheckUsageError(const CheckCommand& command, const CheckCommandContext& ctx,
                    std::string_view why) {
  ctx.err << "check " << command.name << ": " << why << "\nusage: mailrep_exporter "
          << command.usage << "\n";
  return 2;
}

}  // namespace mailrep
