// Command-line flags, in the Prometheus convention (--name=value or
// --name value; repeatable flags collect every value).
#ifndef MAILREP_EXPORTER_APP_FLAGS_H_
#define MAILREP_EXPORTER_APP_FLAGS_H_

#include <map>
#include <string>
#include <vector>

#include "exporter/core/collector.h"
#include "exporter/core/shard.h"
#include "exporter/util/status.h"

namespace mailrep {

inline constexpr char kDefaultListenAddress[] = ":9825";

struct Flags {
  std::string config_file;  // "" = the embedded default config
  bool config_check = false;
  std::vector<std::string> listen_addresses;  // default {kDefaultListenAddress}
  std::string telemetry_path = "/metrics";
  std::string web_config_file;
  std::string log_level = "info";
  std::string log_format = "logfmt";
  std::string rootfs;  // prefix for every file collectors read; "" = "/"
  // --dns.resolv-conf: names the resolvers when dns.servers is empty;
  // "" = /etc/resolv.conf. Never prefixed with rootfs.
  std::string resolv_conf;
  // --shard=INDEX/TOTAL: this replica's share of the targets (shard.h).
  Shard shard;
  // --collector.<name> (true) / --no-collector.<name> (false); overrides config.
  std::map<std::string, bool> collector_overrides;
  bool show_version = false;
  bool show_help = false;
  bool show_metrics = false;  // --help-metrics: print the metric reference
  // A subcommand ("check ...") and its arguments, if the first argument is not a flag.
  std::vector<std::string> command;
};

// Parses argv[1..]. Unknown flags, missing values and unknown collector names
// are InvalidArgument errors naming the flag.
StatusOr<Flags> ParseFlags(int argc, const char* const* argv,
                           const std::vector<CollectorSpec>& collectors);

// The --help text.
std::string Usage(const std::vector<CollectorSpec>& collectors);

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_APP_FLAGS_H_
