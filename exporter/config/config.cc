#include "exporter/config/config.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>
#include <utility>

#include "exporter/config/closest_match.h"
#include "exporter/config/config_file.h"
#include "exporter/config/config_partial.h"
#include "exporter/config/name_validation.h"
#include "exporter/util/lines.h"

namespace mailrep {
namespace {

using std::chrono::seconds;

constexpr Duration kMaxDnsTimeout = seconds(60);
constexpr Duration kMinInterval = seconds(1);

DnsConfig ReadDns(ConfigNode& root) {
  DnsConfig dns;
  std::optional<ConfigNode> node = root.GetMap("dns");
  if (!node) return dns;
  std::vector<std::string> servers = node->GetStringList("servers");
  for (size_t i = 0; i < servers.size(); ++i) {
    Status valid = ValidateDnsServer(servers[i]);
    if (valid.ok()) {
      dns.servers.push_back(servers[i]);
    } else {
      node->ErrorAt("servers", i, valid.message());
    }
  }
  Duration timeout = node->GetDuration("timeout", dns.timeout);
  if (timeout <= Duration::zero() || timeout > kMaxDnsTimeout) {
    node->Error("timeout", "must be more than 0s and at most " + FormatDuration(kMaxDnsTimeout) +
                               ", found " + FormatDuration(timeout));
  } else {
    dns.timeout = timeout;
  }
  node->CheckUnknownKeys();
  return dns;
}

// Where one sender IP entry was written, to name both places of a conflict.
struct ListedNetwork {
  IpNetwork network;
  std::string path;
  std::string location;
  ConfigNode* sender;  // for reporting
  size_t index;
};

IpAddress Masked(IpAddress address, int prefix) {
  int byte = prefix / 8;
  if (prefix % 8 != 0) {
    address.bytes[byte] &= static_cast<uint8_t>(0xff << (8 - prefix % 8));
    ++byte;
  }
  for (; byte < address.bit_length() / 8; ++byte) address.bytes[byte] = 0;
  return address;
}

// Reports every entry that repeats or overlaps an earlier one, on the later
// of the two, naming the earlier.
void CheckOverlaps(const std::vector<ListedNetwork>& listed) {
  std::map<std::pair<IpAddress, int>, size_t> by_network;
  std::set<std::pair<IpAddress::Family, int>> prefixes;  // only these can contain others
  for (size_t i = 0; i < listed.size(); ++i) {
    const IpNetwork& network = listed[i].network;
    by_network.emplace(std::make_pair(network.address, network.prefix_length), i);
    prefixes.emplace(network.address.family, network.prefix_length);
  }
  for (size_t i = 0; i < listed.size(); ++i) {
    const IpNetwork& network = listed[i].network;
    for (const auto& [family, prefix] : prefixes) {
      if (family != network.address.family || prefix > network.prefix_length) continue;
      auto found = by_network.find({Masked(network.address, prefix), prefix});
      if (found == by_network.end() || found->second == i) continue;
      const ListedNetwork& other = listed[found->second];
      const ListedNetwork& later = found->second < i ? listed[i] : other;
      const ListedNetwork& earlier = found->second < i ? other : listed[i];
      std::string where = " (" + earlier.path + " at " + earlier.location + ")";
      if (prefix == network.prefix_length) {
        later.sender->ErrorAt("ips", later.index,
                              "duplicate address " + network.ToString() + ", also listed" + where);
      } else {
        later.sender->ErrorAt(
            "ips", later.index,
            later.network.ToString() + " overlaps " + earlier.network.ToString() + where);
      }
      break;
    }
  }
}

// Reads `key` as a host name; validates it only if it is present and a string.
std::string ReadName(ConfigNode& node, std::string_view key) {
  size_t errors_before = node.error_count();
  std::string name = node.GetString(key);
  if (!node.Has(key) || node.error_count() != errors_before) return name;
  Status valid = ValidateHostname(name);
  if (!valid.ok()) node.Error(key, valid.message());
  return name;
}

DkimKeyConfig ReadDkim(ConfigNode& node) {
  DkimKeyConfig dkim;
  for (const char* key : {"selector", "domain"}) {
    if (!node.Has(key)) node.Error(key, "missing required key \"" + std::string(key) + "\"");
  }
  size_t errors_before = node.error_count();
  dkim.selector = node.GetString("selector");
  if (node.Has("selector") && node.error_count() == errors_before &&
      !ValidateHostname(dkim.selector).ok()) {
    node.Error("selector", "not a valid DKIM selector: \"" + dkim.selector +
                               "\" (letters, digits, '-' and '.' only)");
  }
  dkim.domain = ReadName(node, "domain");
  errors_before = node.error_count();
  dkim.key_file = node.GetString("key_file");
  if (node.Has("key_file") && node.error_count() == errors_before && dkim.key_file.empty()) {
    node.Error("key_file", "must not be empty");
  }
  node.CheckUnknownKeys();
  return dkim;
}

std::vector<SenderConfig> ReadSenders(ConfigNode& root) {
  std::vector<SenderConfig> senders;
  std::vector<ConfigNode> nodes = root.GetMapList("senders");
  std::vector<ListedNetwork> listed;
  for (ConfigNode& node : nodes) {
    SenderConfig sender;
    size_t errors_before = node.error_count();
    std::vector<std::string> ips = node.GetStringList("ips");
    bool list_ok = node.error_count() == errors_before;
    if (!node.Has("ips")) {
      node.Error("ips", "missing required key \"ips\"");
    } else if (ips.empty() && list_ok) {
      node.Error("ips", "must list at least one address or network");
    }
    for (size_t i = 0; i < ips.size(); ++i) {
      StatusOr<IpNetwork> network = IpNetwork::Parse(ips[i]);
      if (!network.ok()) {
        node.ErrorAt("ips", i, network.status().message());
        continue;
      }
      sender.ips.push_back(*network);
      listed.push_back({*network, node.PathOf("ips", i), node.LocationOf("ips", i), &node, i});
    }
    sender.helo = ReadName(node, "helo");
    std::vector<std::string> domains = node.GetStringList("domains");
    for (size_t i = 0; i < domains.size(); ++i) {
      Status valid = ValidateHostname(domains[i]);
      if (valid.ok()) {
        sender.domains.push_back(domains[i]);
      } else {
        node.ErrorAt("domains", i, valid.message());
      }
    }
    for (ConfigNode& dkim : node.GetMapList("dkim")) sender.dkim.push_back(ReadDkim(dkim));
    senders.push_back(std::move(sender));
  }
  CheckOverlaps(listed);
  for (ConfigNode& node : nodes) node.CheckUnknownKeys();
  return senders;
}

std::string KnownNames(const std::vector<CollectorDefaults>& known) {
  std::vector<std::string> names;
  for (const CollectorDefaults& c : known) names.push_back(c.name);
  std::sort(names.begin(), names.end());
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

CollectorSettings ReadCollector(std::optional<ConfigNode>& sections, const CollectorDefaults& def,
                                std::string_view source) {
  CollectorSettings settings;
  settings.enabled = def.enabled;
  settings.interval = def.interval;
  settings.timeout = std::min(def.timeout, def.interval);
  std::optional<ConfigNode> section;
  if (sections) section = sections->GetMap(def.name);
  if (!section) {
    settings.options = ConfigNode::EmptyMap(source, "collectors." + def.name);
    return settings;
  }
  settings.enabled = section->GetBool("enabled", def.enabled);
  Duration interval = section->GetDuration("interval", def.interval);
  if (interval < kMinInterval) {
    section->Error("interval", "must be at least " + FormatDuration(kMinInterval) + ", found " +
                                   FormatDuration(interval));
  } else {
    settings.interval = interval;
  }
  settings.timeout = std::min(def.timeout, settings.interval);
  if (section->Has("timeout")) {
    Duration timeout = section->GetDuration("timeout", settings.timeout);
    if (timeout <= Duration::zero()) {
      section->Error("timeout", "must be more than 0s");
    } else if (timeout > settings.interval) {
      section->Error("timeout", "timeout " + FormatDuration(timeout) + " is longer than interval " +
                                    FormatDuration(settings.interval));
    } else {
      settings.timeout = timeout;
    }
  }
  for (const char* key : {"enabled", "interval", "timeout"}) section->MarkKnown(key);
  settings.options = section->WithOwnErrors();
  return settings;
}

std::map<std::string, CollectorSettings> ReadCollectors(ConfigNode& root,
                                                        const std::vector<CollectorDefaults>& known,
                                                        std::string_view source) {
  std::optional<ConfigNode> sections = root.GetMap("collectors");
  if (sections) {
    std::vector<std::string> names;
    for (const CollectorDefaults& c : known) names.push_back(c.name);
    for (const std::string& key : sections->Keys()) {
      if (std::find(names.begin(), names.end(), key) != names.end()) continue;
      std::string message = "unknown collector \"" + key + "\"";
      std::string suggestion = ClosestMatch(key, names);
      if (!suggestion.empty()) message += " (did you mean \"" + suggestion + "\"?)";
      message += "; known collectors: " + KnownNames(known);
      sections->Error(key, message);
      sections->MarkKnown(key);
    }
  }
  std::map<std::string, CollectorSettings> collectors;
  for (const CollectorDefaults& def : known) {
    if (collectors.count(def.name) != 0) continue;
    collectors.emplace(def.name, ReadCollector(sections, def, source));
  }
  if (sections) sections->CheckUnknownKeys();
  return collectors;
}

// Reads everything ParseConfig reads; errors are left in `root`.
Config ReadConfig(ConfigNode& root, std::string_view source,
                  const std::vector<CollectorDefaults>& known) {
  Config config;
  config.source = std::string(source);
  config.dns = ReadDns(root);
  config.senders = ReadSenders(root);
  config.collectors = ReadCollectors(root, known, source);
  return config;
}

// "file:line:col: ..." -> (line, col); (0, 0) for a line without a position.
std::pair<long, long> ErrorPosition(std::string_view line) {
  size_t end = line.find(": ");
  std::string_view head = line.substr(0, end);
  size_t col_colon = head.rfind(':');
  if (col_colon == std::string_view::npos) return {0, 0};
  size_t line_colon = head.rfind(':', col_colon - 1);
  if (line_colon == std::string_view::npos || col_colon == 0) return {0, 0};
  auto number = [](std::string_view digits) {
    long value = -1;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    bool whole = error == std::errc() && end == digits.data() + digits.size();
    return whole && value >= 0 ? value : -1L;
  };
  long l = number(head.substr(line_colon + 1, col_colon - line_colon - 1));
  long c = number(head.substr(col_colon + 1));
  if (l < 0 || c < 0) return {0, 0};
  return {l, c};
}

}  // namespace

StatusOr<Config> ParseConfig(std::string_view yaml_text, std::string_view source,
                             const std::vector<CollectorDefaults>& known) {
  StatusOr<ConfigNode> root = ConfigNode::Parse(yaml_text, source);
  if (!root.ok()) return root.status();
  Config config = ReadConfig(*root, source, known);
  Status status = root->Finish();
  if (!status.ok()) return status;
  return config;
}

std::optional<Config> ReadPartialConfigFile(const std::string& path,
                                            const std::vector<CollectorDefaults>& known) {
  StatusOr<std::string> text = ReadConfigText(path);
  if (!text.ok()) return std::nullopt;
  StatusOr<ConfigNode> root = ConfigNode::Parse(*text, path);
  if (!root.ok()) return std::nullopt;
  return ReadConfig(*root, path, known);
}

std::string MergeConfigErrors(std::string_view first, std::string_view second) {
  std::vector<std::string_view> lines;
  std::string_view tail;  // "... and N more errors"
  for (std::string_view report : {first, second}) {
    while (std::optional<std::string_view> line = NextLine(&report)) {
      if (line->starts_with("... and ")) {
        tail = *line;
      } else if (!line->empty()) {
        lines.push_back(*line);
      }
    }
  }
  std::stable_sort(lines.begin(), lines.end(), [](std::string_view a, std::string_view b) {
    return ErrorPosition(a) < ErrorPosition(b);
  });
  std::string out;
  for (std::string_view line : lines) {
    if (!out.empty()) out += "\n";
    out += line;
  }
  if (!tail.empty()) out += "\n" + std::string(tail);
  return out;
}

StatusOr<Config> LoadConfigFile(const std::string& path,
                                const std::vector<CollectorDefaults>& known) {
  StatusOr<std::string> text = ReadConfigText(path);
  if (!text.ok()) return text.status();
  return ParseConfig(*text, path, known);
}

std::string_view EmbeddedDefaultConfig() {
  return R"(# mailrep_exporter built-in configuration, used when --config.file is not given.
#
# No senders are listed: the collectors check the addresses, HELO name and
# domains that the host collector detects from the local MTA's configuration.
# Every collector runs with its built-in defaults (enabled or not, interval,
# timeout); list a collector under `collectors` in your own file to change it:
#
#   collectors:
#     dnsbl:
#       enabled: true
#       interval: 5m
#       timeout: 30s

dns:
  # Empty: use the system resolver (/etc/resolv.conf).
  servers: []
  timeout: 2s

# senders:
#   - ips: [192.0.2.10, 2001:db8::25]
#     helo: mail.example.com
#     domains: [example.com]
#     dkim:
#       - {selector: s1, domain: example.com, key_file: /etc/dkim/s1.pem}
senders: []

collectors: {}
)";
}

}  // namespace mailrep
