// Config: the validated, immutable configuration of one exporter run.
//
// Built by ParseConfig from YAML (a file or the embedded default). A Config is
// never modified after parsing; a reload builds a new one and swaps it in only
// when it and every enabled collector's options are valid.
//
// Schema (see README "Configuration"):
//   dns:       {servers: [ip or ip:port, ...], timeout: 2s}
//   senders:   [{ips: [ip or cidr, ...], helo: name, domains: [..],
//                dkim: [{selector, domain, key_file}]}]
//   collectors:
//     <name>:  {enabled: bool, interval: 60s, timeout: 30s, <collector options>}
#ifndef MAILREP_EXPORTER_CONFIG_CONFIG_H_
#define MAILREP_EXPORTER_CONFIG_CONFIG_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/config/config_node.h"
#include "exporter/util/duration.h"
#include "exporter/util/ip_network.h"
#include "exporter/util/status.h"

namespace mailrep {

struct DnsConfig {
  // "ip", "ip:port", "[v6]:port"; empty means the system resolver.
  std::vector<std::string> servers;
  Duration timeout = std::chrono::seconds(2);

  bool operator==(const DnsConfig&) const = default;
};

struct DkimKeyConfig {
  std::string selector;
  std::string domain;
  std::string key_file;  // optional: the signing private key (PEM)
};

struct SenderConfig {
  std::vector<IpNetwork> ips;  // single addresses are /32 or /128
  std::string helo;
  std::vector<std::string> domains;
  std::vector<DkimKeyConfig> dkim;
};

// What the parser knows about a collector before its own options are read.
struct CollectorDefaults {
  std::string name;
  bool enabled = false;
  Duration interval = std::chrono::seconds(60);
  Duration timeout = std::chrono::seconds(30);
};

struct CollectorSettings {
  bool enabled = false;
  Duration interval{};
  Duration timeout{};
  // The collector's section with the common keys (enabled, interval, timeout)
  // already consumed; the collector's factory reads its own keys and calls
  // Finish(). For a collector absent from the file, an empty mapping. Each
  // section has its own error list (not the document's); copies share it, so
  // a caller that runs a factory more than once on the same Config passes
  // options->WithOwnErrors() each time.
  std::optional<ConfigNode> options;
};

struct Config {
  std::string source;  // the file path, or "<embedded default>"
  DnsConfig dns;
  std::vector<SenderConfig> senders;
  // One entry per known collector (every name in the `known` list given to
  // ParseConfig), whether or not the file mentions it.
  std::map<std::string, CollectorSettings> collectors;
};

// Parses and validates everything but collector-specific options. `known`
// lists the collectors that exist; a section for any other name is an error.
// Errors name the file, line, column and key path, all of them at once.
StatusOr<Config> ParseConfig(std::string_view yaml_text, std::string_view source,
                             const std::vector<CollectorDefaults>& known);

// Reads `path` and parses it; a missing or unreadable file is an IoError that
// names the path.
StatusOr<Config> LoadConfigFile(const std::string& path,
                                const std::vector<CollectorDefaults>& known);

// The config used without --config.file: no senders (collectors then use what
// the host collector detects) and every collector at its defaults.
std::string_view EmbeddedDefaultConfig();
inline constexpr std::string_view kEmbeddedConfigSource = "<embedded default>";

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CONFIG_CONFIG_H_
