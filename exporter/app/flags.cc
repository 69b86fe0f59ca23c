#include "exporter/app/flags.h"

#include <functional>
#include <string_view>

namespace mailrep {
namespace {

bool KnownCollector(const std::vector<CollectorSpec>& collectors, std::string_view name) {
  for (const CollectorSpec& spec : collectors) {
    if (spec.defaults.name == name) return true;
  }
  return false;
}

struct ValueFlag {
  std::string_view name;
  std::function<Status(Flags*, std::string)> set;  // InvalidArgument on a bad value
};

// A flag whose value is stored as given.
ValueFlag StringFlag(std::string_view name, std::string Flags::*field) {
  return {name, [field](Flags* f, std::string v) {
            f->*field = std::move(v);
            return Status::OK();
          }};
}

const std::vector<ValueFlag>& ValueFlags() {
  static const std::vector<ValueFlag> flags = {
      StringFlag("config.file", &Flags::config_file),
      {"web.listen-address",
       [](Flags* f, std::string v) {
         f->listen_addresses.push_back(std::move(v));
         return Status::OK();
       }},
      StringFlag("web.telemetry-path", &Flags::telemetry_path),
      StringFlag("web.config.file", &Flags::web_config_file),
      StringFlag("log.level", &Flags::log_level),
      StringFlag("log.format", &Flags::log_format),
      StringFlag("path.rootfs", &Flags::rootfs),
      StringFlag("dns.resolv-conf", &Flags::resolv_conf),
      {"shard",
       [](Flags* f, std::string v) -> Status {
         StatusOr<Shard> shard = Shard::Parse(v);
         if (!shard.ok()) return shard.status();
         f->shard = *shard;
         return Status::OK();
       }},
  };
  return flags;
}

}  // namespace

StatusOr<Flags> ParseFlags(int argc, const char* const* argv,
                           const std::vector<CollectorSpec>& collectors) {
  Flags flags;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (!arg.starts_with("-") || arg == "-") {
      flags.command.assign(argv + i, argv + argc);
      break;
    }
    if (arg == "-h" || arg == "--help") {
      flags.show_help = true;
      continue;
    }
    if (arg == "--help-metrics") {
      flags.show_metrics = true;
      continue;
    }
    if (!arg.starts_with("--")) {
      return Status::InvalidArgument("unknown flag " + std::string(arg) + " (see --help)");
    }
    std::string_view name = arg.substr(2);
    std::optional<std::string> value;
    if (auto eq = name.find('='); eq != std::string_view::npos) {
      value = std::string(name.substr(eq + 1));
      name = name.substr(0, eq);
    }
    if (name == "version" || name == "config.check") {
      if (value) return Status::InvalidArgument("--" + std::string(name) + " takes no value");
      (name == "version" ? flags.show_version : flags.config_check) = true;
      continue;
    }
    bool negated = name.starts_with("no-collector.");
    if (negated || name.starts_with("collector.")) {
      std::string collector(name.substr(name.find('.') + 1));
      if (!KnownCollector(collectors, collector)) {
        return Status::InvalidArgument("--" + std::string(name) + ": no collector named \"" +
                                       collector + "\" (see --help)");
      }
      if (value) return Status::InvalidArgument("--" + std::string(name) + " takes no value");
      flags.collector_overrides[collector] = !negated;
      continue;
    }
    const ValueFlag* flag = nullptr;
    for (const ValueFlag& f : ValueFlags()) {
      if (f.name == name) flag = &f;
    }
    if (flag == nullptr) {
      return Status::InvalidArgument("unknown flag --" + std::string(name) + " (see --help)");
    }
    if (!value) {
      if (i + 1 >= argc) {
        return Status::InvalidArgument("--" + std::string(name) + " needs a value");
      }
      value = argv[++i];
    }
    if (Status set = flag->set(&flags, std::move(*value)); !set.ok()) return set;
  }
  if (flags.listen_addresses.empty()) flags.listen_addresses.push_back(kDefaultListenAddress);
  if (!flags.telemetry_path.starts_with("/")) {
    return Status::InvalidArgument("--web.telemetry-path must start with /, got \"" +
                                   flags.telemetry_path + "\"");
  }
  // These paths have their own handlers (and /-/healthy is served without
  // basic auth): metrics there would shadow them or escape authentication.
  for (const char* reserved : {"/probe", "/-/healthy", "/-/ready", "/-/reload"}) {
    if (flags.telemetry_path == reserved) {
      return Status::InvalidArgument("--web.telemetry-path cannot be " + flags.telemetry_path +
                                     ": that path is another endpoint (/probe, /-/healthy, "
                                     "/-/ready and /-/reload are reserved)");
    }
  }
  return flags;
}

std::string Usage(const std::vector<CollectorSpec>& collectors) {
  std::string out =
      "usage: mailrep_exporter [<flags>]\n"
      "       mailrep_exporter check <what> ...   (checks for a person; see README)\n"
      "\n"
      "Prometheus exporter for mail-server reputation: DNSBL listings, sender\n"
      "authentication, MTA queues and delivery outcomes.\n"
      "\n"
      "Flags:\n"
      "  -h, --help                  Show this help.\n"
      "      --version               Show the version and exit.\n"
      "      --help-metrics          Print the reference of every metric (Markdown).\n"
      "      --config.file=PATH      YAML configuration file (default: the embedded\n"
      "                              default config, which auto-detects the host).\n"
      "      --config.check          Validate the configuration, print problems, exit 0/1.\n"
      "      --web.listen-address=ADDR  Address to listen on; repeatable\n"
      "                              (default: " +
      std::string(kDefaultListenAddress) +
      "; e.g. 127.0.0.1:9825, [::1]:9825).\n"
      "      --web.telemetry-path=PATH  Path of the metrics endpoint (default: /metrics).\n"
      "      --web.config.file=PATH  TLS and basic-auth configuration (exporter-toolkit\n"
      "                              web config format).\n"
      "      --log.level=LEVEL       debug, info, warn or error (default: info).\n"
      "      --log.format=FORMAT     logfmt or json (default: logfmt).\n"
      "      --path.rootfs=DIR       Prefix for every file collectors read (default: /).\n"
      "      --dns.resolv-conf=PATH  The resolv.conf naming the resolvers used when the\n"
      "                              config has no dns.servers (default: /etc/resolv.conf;\n"
      "                              not under --path.rootfs).\n"
      "      --shard=INDEX/TOTAL     Check only this replica's share of the DNSBL targets,\n"
      "                              as Prometheus' hashmod relabelling assigns them\n"
      "                              (INDEX from 0; default: 0/1, everything).\n"
      "\n"
      "Collectors (--collector.<name> enables, --no-collector.<name> disables;\n"
      "these override the config file's collectors.<name>.enabled):\n";
  for (const CollectorSpec& spec : collectors) {
    std::string line = "      --[no-]collector." + spec.defaults.name;
    line.resize(std::max<size_t>(line.size() + 1, 46), ' ');
    out += line + std::string(spec.help) +
           (spec.defaults.enabled ? " (default: enabled)\n" : " (default: disabled)\n");
  }
  return out;
}

}  // namespace mailrep
