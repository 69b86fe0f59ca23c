#include "collectors/dnsbl/dnsbl_config.h"

#include <algorithm>
#include <set>

#include "collectors/host/seen_sending_ips.h"
#include "exporter/util/read_file.h"

namespace mailrep {
namespace {

// collectors.dnsbl.seen_senders; errors are recorded on `node`.
DnsblSeenSenders ParseSeenSenders(ConfigNode& node) {
  DnsblSeenSenders seen;
  seen.enabled = node.GetBool("enabled", seen.enabled);
  constexpr std::chrono::seconds kLongest = SeenSendingIps::kDefaultRetention;
  Duration window = node.GetDuration("window", seen.window);
  if (window < std::chrono::minutes(1) || window > kLongest) {
    node.Error("window", "want a window from 1m to " + std::to_string(kLongest.count() / 3600) +
                             "h (the sending IPs seen are kept a week)");
  } else {
    seen.window = std::chrono::duration_cast<std::chrono::seconds>(window);
  }
  seen.max = static_cast<size_t>(
      node.GetInt("max", static_cast<int64_t>(seen.max), 1, SeenSendingIps::kDefaultCapacity));
  node.CheckUnknownKeys();
  return seen;
}

// Where config.senders[sender].ips[index] was written: "file:line:col:
// senders[i].ips[j]: " with document indexes (Config keeps values, not
// positions, and a Config read despite errors lacks the invalid entries, so
// the entry is found by value). Needed only for errors and warnings, so the
// file is read and parsed at the first such question, once: re-parsing it
// per address made validation quadratic (22 s for 2,000 addresses).
class SenderIpLocator {
 public:
  explicit SenderIpLocator(const Config& config) : config_(config) {}

  std::string Prefix(size_t sender, size_t index, const IpNetwork& network) {
    if (!loaded_) Load();
    std::string fallback = config_.source + ": senders[" + std::to_string(sender) + "].ips[" +
                           std::to_string(index) + "]: ";
    if (sender >= senders_.size()) return fallback;
    // The same GetMapList that built config.senders: positions agree. The
    // entry is usually at `index` itself, so this loop ends at once.
    const ConfigNode& node = senders_[sender];
    const std::vector<std::string>& ips = ips_[sender];
    for (size_t k = index; k < ips.size(); ++k) {
      StatusOr<IpNetwork> parsed = IpNetwork::Parse(ips[k]);
      if (parsed.ok() && *parsed == network) {
        return node.LocationOf("ips", k) + ": " + node.PathOf("ips", k) + ": ";
      }
    }
    return fallback;
  }

 private:
  void Load() {
    loaded_ = true;
    if (config_.source.empty() || config_.source == kEmbeddedConfigSource) return;
    StatusOr<std::string> text = ReadFileCapped(config_.source, ConfigNode::kMaxInputBytes + 1);
    if (!text.ok()) return;
    StatusOr<ConfigNode> root = ConfigNode::Parse(*text, config_.source);
    if (!root.ok()) return;
    senders_ = root->GetMapList("senders");
    for (ConfigNode& node : senders_) ips_.push_back(node.GetStringList("ips"));
  }

  const Config& config_;
  bool loaded_ = false;
  std::vector<ConfigNode> senders_;
  std::vector<std::vector<std::string>> ips_;  // senders_[i]'s "ips" as written
};

bool InNetwork(const IpNetwork& net, const IpAddress& a) {
  if (net.address.family != a.family) return false;
  int bits = net.prefix_length;
  for (int i = 0; bits > 0; ++i, bits -= 8) {
    uint8_t mask = bits >= 8 ? 0xFF : static_cast<uint8_t>(0xFF << (8 - bits));
    if ((net.address.bytes[i] & mask) != (a.bytes[i] & mask)) return false;
  }
  return true;
}

bool UnderDomain(const std::string& name, const std::string& domain) {
  if (name == domain) return true;
  return name.size() > domain.size() &&
         name.compare(name.size() - domain.size(), domain.size(), domain) == 0 &&
         name[name.size() - domain.size() - 1] == '.';
}

}  // namespace

std::optional<std::string> ResolveDnsblList(const DnsblCatalogue& catalogue,
                                            const std::string& zone,
                                            const std::map<std::string, std::string>& keys,
                                            DnsblListConfig* out) {
  if (const DnsblList* dead = catalogue.FindDefunct(zone)) {
    return "list \"" + zone + "\" is defunct: " + dead->defunct + "; remove it";
  }
  const DnsblList* list = catalogue.Find(zone);
  if (list == nullptr) {
    return "unknown list \"" + zone +
           "\": not in the DNSBL catalogue; describe its codes in a catalogue_file to use it";
  }
  if (!list->budget_group.empty() &&
      catalogue.budget_groups().find(list->budget_group) == catalogue.budget_groups().end()) {
    return "list \"" + zone + "\" has budget_group \"" + list->budget_group +
           "\", which the catalogue's budget_groups do not define";
  }
  out->list = *list;
  out->key.clear();
  if (!list->key.empty()) {
    auto it = keys.find(list->key);
    if (it == keys.end() || it->second.empty()) {
      return "list \"" + zone + "\" needs a key: set collectors.dnsbl.keys." + list->key;
    }
    out->key = it->second;
  }
  return std::nullopt;
}

std::vector<DnsblMirrorConfig> ParseDnsblMirrors(const DnsblCatalogue& catalogue,
                                                 ConfigNode& options,
                                                 const std::vector<DnsblListConfig>* checked) {
  std::vector<DnsblMirrorConfig> mirrors;
  std::set<std::string> seen;
  for (ConfigNode& node : options.GetMapList("mirrors")) {
    size_t errors = node.error_count();
    std::string zone = node.GetString("zone");
    std::string file = node.GetString("file");
    std::string format_name = node.GetString("format");
    // A value of the wrong type reads as "" and has its error already.
    bool type_error = node.error_count() > errors;
    const DnsblList* list = nullptr;
    if (zone.empty()) {
      if (!type_error) node.Error("zone", "missing: the zone of a configured list");
    } else if (const DnsblList* dead = catalogue.FindDefunct(zone)) {
      node.Error("zone", "list \"" + zone + "\" is defunct: " + dead->defunct + "; remove it");
    } else if ((list = catalogue.Find(zone)) == nullptr) {
      node.Error("zone", "unknown list \"" + zone +
                             "\": not in the DNSBL catalogue; describe its codes in a "
                             "catalogue_file to mirror it");
    } else if (!seen.insert(list->zone).second) {
      node.Error("zone", "list \"" + list->zone + "\" is mirrored twice");
    } else if (checked != nullptr &&
               std::none_of(checked->begin(), checked->end(),
                            [&](const DnsblListConfig& c) { return c.list.zone == list->zone; })) {
      node.Error("zone", "list \"" + list->zone + "\" is mirrored but not checked: add it to " +
                             options.PathOf("lists"));
    }
    if (file.empty()) {
      if (!type_error) node.Error("file", "missing: the path of the rbldnsd data file");
    } else if (file[0] != '/') {
      node.Error("file", "not an absolute path: \"" + file + "\"");
    }
    std::optional<RbldnsdFormat> format = ParseRbldnsdFormat(format_name);
    if (format_name.empty()) {
      if (!type_error) node.Error("format", "missing: ip4set, ip4trie, ip4tset or dnset");
    } else if (!format) {
      node.Error("format", "\"" + format_name + "\" is not ip4set, ip4trie, ip4tset or dnset");
    } else if (list != nullptr && IsIp4Format(*format) && !list->ip4) {
      node.Error("format", std::string(RbldnsdFormatName(*format)) +
                               " holds IPv4 addresses, but list \"" + list->zone +
                               "\" checks none: use dnset");
    } else if (list != nullptr && !IsIp4Format(*format) && !list->domain) {
      node.Error("format", "dnset holds domains, but list \"" + list->zone +
                               "\" checks none: use ip4set, ip4trie or ip4tset");
    }
    node.CheckUnknownKeys();
    if (node.error_count() == errors && list != nullptr && format)
      mirrors.push_back({list->zone, file, *format});
  }
  return mirrors;
}

void ResolveDnsblBudgets(const DnsblCatalogue& catalogue, ConfigNode& options,
                         std::vector<DnsblListConfig>* lists) {
  for (DnsblListConfig& c : *lists) {
    DnsblList& list = c.list;
    if (!list.budget_group.empty()) {
      auto group = catalogue.budget_groups().find(list.budget_group);
      list.daily_query_budget = group != catalogue.budget_groups().end() ? group->second : 0;
    } else if (list.daily_query_budget > 0) {
      list.budget_group = list.zone;  // a group of one
    }
    if (list.daily_query_budget == 0) list.budget_group.clear();
  }
  std::optional<ConfigNode> budgets = options.GetMap("query_budgets");
  if (!budgets) return;
  // Groups first, so a zone's own budget wins over its group's.
  std::vector<std::pair<std::string, uint64_t>> zones;
  for (const std::string& name : budgets->Keys()) {
    uint64_t budget = static_cast<uint64_t>(budgets->GetInt(name, 0, 0, int64_t{1000000000000}));
    if (name.find('.') != std::string::npos) {
      zones.emplace_back(name, budget);
      continue;
    }
    bool used = false;
    for (DnsblListConfig& c : *lists) {
      if (c.list.budget_group != name) continue;
      used = true;
      c.list.daily_query_budget = budget;
      if (budget == 0) c.list.budget_group.clear();
    }
    if (!used) {
      budgets->Error(name, "not the budget group of a checked list (catalogue budget_groups)");
    }
  }
  for (const auto& [zone, budget] : zones) {
    const std::string& wanted = zone;  // clang 14 cannot capture a structured binding
    auto it = std::find_if(lists->begin(), lists->end(),
                           [&](const DnsblListConfig& c) { return c.list.zone == wanted; });
    if (it == lists->end()) {
      budgets->Error(zone, "not one of the checked lists (collectors.dnsbl.lists)");
      continue;
    }
    it->list.daily_query_budget = budget;
    it->list.budget_group = budget > 0 ? zone : "";
  }
  budgets->CheckUnknownKeys();
}

void NarrowToMirrorFormat(RbldnsdFormat format, DnsblList* list) {
  bool ip4 = IsIp4Format(format);
  list->ip4 = list->ip4 && ip4;
  list->ip6 = false;
  list->domain = list->domain && !ip4;
}

StatusOr<DnsblSettings> ParseDnsblSettings(const Config& config, ConfigNode& options) {
  DnsblSettings settings;
  DnsblCatalogue catalogue = DnsblCatalogue::BuiltIn();
  std::string catalogue_file = options.GetString("catalogue_file");
  std::string extra_errors;
  if (!catalogue_file.empty()) {
    StatusOr<DnsblCatalogue> extra = DnsblCatalogue::LoadFile(catalogue_file);
    if (extra.ok()) {
      catalogue.Merge(*extra);
    } else {
      options.Error("catalogue_file", extra.status().message());
    }
  }

  std::map<std::string, std::string> keys;
  if (std::optional<ConfigNode> key_node = options.GetMap("keys")) {
    for (const std::string& name : key_node->Keys()) {
      std::string value = key_node->GetString(name);
      bool ok = !value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_';
      });
      if (!ok) key_node->Error(name, "a key is one DNS label: letters, digits, '-' or '_'");
      keys[name] = value;
    }
    key_node->CheckUnknownKeys();
  }

  bool lists_given = options.Has("lists");
  std::vector<std::string> zones =
      lists_given ? options.GetStringList("lists") : catalogue.DefaultZones();
  if (lists_given && zones.empty()) options.Error("lists", "empty: name at least one list");
  std::set<std::string> seen;
  for (size_t i = 0; i < zones.size(); ++i) {
    DnsblListConfig list;
    if (auto error = ResolveDnsblList(catalogue, zones[i], keys, &list)) {
      options.ErrorAt("lists", i, *error);
      continue;
    }
    if (!seen.insert(list.list.zone).second) {
      options.ErrorAt("lists", i, "duplicate list \"" + list.list.zone + "\"");
      continue;
    }
    settings.lists.push_back(std::move(list));
  }

  ResolveDnsblBudgets(catalogue, options, &settings.lists);

  settings.mirrors = ParseDnsblMirrors(catalogue, options, &settings.lists);
  for (const DnsblMirrorConfig& mirror : settings.mirrors) {
    for (DnsblListConfig& c : settings.lists) {
      if (c.list.zone != mirror.zone) continue;
      NarrowToMirrorFormat(mirror.format, &c.list);
      c.list.daily_query_budget = 0;  // answered locally: no query to budget
      c.list.budget_group.clear();
    }
  }

  settings.max_block_addresses = static_cast<uint64_t>(options.GetInt(
      "max_block_addresses", static_cast<int64_t>(kDefaultMaxBlockAddresses), 1, 1 << 20));
  settings.detail_max_block_addresses = static_cast<uint64_t>(
      options.GetInt("detail_max_block_addresses",
                     static_cast<int64_t>(kDefaultDetailMaxBlockAddresses), 1, 1 << 20));

  for (const std::string& item : options.GetStringList("probe_targets")) {
    if (StatusOr<IpNetwork> net = IpNetwork::Parse(item); net.ok()) {
      settings.probe_networks.push_back(*net);
    } else if (StatusOr<DnsblTarget> d = DomainTarget(item); d.ok()) {
      settings.probe_domains.push_back(d->value);
    } else {
      options.Error("probe_targets", "not an IP, CIDR block or domain: \"" + item + "\"");
    }
  }

  if (std::optional<ConfigNode> seen = options.GetMap("seen_senders")) {
    settings.seen_senders = ParseSeenSenders(*seen);
  }

  std::set<std::string> target_seen;
  SenderIpLocator locator(config);
  for (size_t s = 0; s < config.senders.size(); ++s) {
    const SenderConfig& sender = config.senders[s];
    for (size_t j = 0; j < sender.ips.size(); ++j) {
      const IpNetwork& net = sender.ips[j];
      settings.probe_networks.push_back(net);
      bool one_per_64 = false;
      StatusOr<std::vector<IpAddress>> addresses =
          ExpandSenderBlock(net, settings.max_block_addresses, &one_per_64);
      auto where = [&] { return locator.Prefix(s, j, net); };
      if (!addresses.ok()) {
        extra_errors += (extra_errors.empty() ? "" : "\n") + where() + addresses.status().message();
        continue;
      }
      if (one_per_64) {
        settings.warnings.push_back(
            where() + "IPv6 block " + net.ToString() +
            " is checked at the first address of each of "
            "its " +
            std::to_string(addresses->size()) +
            " /64 networks; a list that lists single "
            "addresses is only asked about those: add the exact sending addresses too");
      }
      int32_t block = -1;
      if (addresses->size() > settings.detail_max_block_addresses) {
        block = static_cast<int32_t>(settings.summary_blocks.size());
        DnsblKind kind =
            net.address.family == IpAddress::Family::kV4 ? DnsblKind::kIp4 : DnsblKind::kIp6;
        settings.summary_blocks.push_back({net.ToString(), kind, addresses->size()});
      }
      for (const IpAddress& a : *addresses) {
        DnsblTarget t = IpTarget(a);
        t.block = block;
        if (target_seen.insert(t.value).second) settings.targets.push_back(std::move(t));
      }
    }
  }
  for (const SenderConfig& sender : config.senders) {
    for (const std::string& domain : sender.domains) {
      StatusOr<DnsblTarget> t = DomainTarget(domain);
      if (!t.ok()) continue;  // the core parser validates sender domains
      settings.probe_domains.push_back(t->value);
      if (target_seen.insert(t->value).second) settings.targets.push_back(*t);
    }
  }
  // Kept for the collector's life: no doubling slack (a /16 and one more
  // address would otherwise hold room for 131,072 targets, 5 MB unused).
  settings.targets.shrink_to_fit();
  settings.use_host_addresses = config.senders.empty();

  Status status = options.Finish();
  if (!status.ok() || !extra_errors.empty()) {
    std::string message = status.ok() ? "" : status.message();
    if (!extra_errors.empty()) message += (message.empty() ? "" : "\n") + extra_errors;
    return Status::InvalidArgument(message);
  }
  return settings;
}

bool DnsblProbeAllowed(const DnsblSettings& settings, const DnsblTarget& target) {
  if (target.kind == DnsblKind::kDomain) {
    return std::any_of(settings.probe_domains.begin(), settings.probe_domains.end(),
                       [&](const std::string& d) { return UnderDomain(target.value, d); });
  }
  StatusOr<IpAddress> ip = IpAddress::Parse(target.value);
  if (!ip.ok()) return false;
  return std::any_of(settings.probe_networks.begin(), settings.probe_networks.end(),
                     [&](const IpNetwork& n) { return InNetwork(n, *ip); });
}

}  // namespace mailrep
