#include "exporter/core/check_args.h"

#include <algorithm>

namespace mailrep {

StatusOr<CheckArgs> CheckArgs::Parse(const std::vector<std::string>& args,
                                     const std::vector<std::string>& allowed) {
  CheckArgs out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
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

}  // namespace mailrep
