#include "exporter/app/check_config.h"

#include "exporter/app/exporter.h"
#include "exporter/http/web_config.h"

namespace mailrep {

int CheckConfig(const Flags& flags, const std::vector<CollectorSpec>& specs, std::ostream& out,
                std::ostream& err) {
  int exit_code = 0;
  StatusOr<LoadedConfig> loaded = LoadConfig(flags, specs);
  std::string source =
      flags.config_file.empty() ? std::string(kEmbeddedConfigSource) : flags.config_file;
  if (loaded.ok()) {
    out << source << ": OK (" << loaded->config->senders.size() << " sender groups, "
        << loaded->collectors.size() << " collectors enabled:";
    for (const ScheduledCollector& c : loaded->collectors) out << " " << c.name;
    out << ")\n";
  } else {
    err << loaded.status().message() << "\n";
    exit_code = 1;
  }
  if (!flags.web_config_file.empty()) {
    StatusOr<WebConfig> web = LoadWebConfig(flags.web_config_file);
    if (web.ok()) {
      out << flags.web_config_file << ": OK\n";
    } else {
      err << web.status().message() << "\n";
      exit_code = 1;
    }
  }
  return exit_code;
}

}  // namespace mailrep
