#include "collectors/dnsbl/dnsbl_catalogue.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <tuple>

#include "collectors/dns/dns_types.h"
#include "exporter/config/config_node.h"
#include "exporter/util/ip_network.h"
#include "exporter/util/read_file.h"

namespace mailrep {
namespace {

constexpr uint32_t kLoopbackNet = 0x7F000000;  // 127.0.0.0/8

std::optional<uint32_t> ParseV4(std::string_view text) {
  StatusOr<IpAddress> ip = IpAddress::Parse(text);
  if (!ip.ok() || ip->family != IpAddress::Family::kV4) return std::nullopt;
  return (uint32_t{ip->bytes[0]} << 24) | (uint32_t{ip->bytes[1]} << 16) |
         (uint32_t{ip->bytes[2]} << 8) | uint32_t{ip->bytes[3]};
}

// "127.0.0.2", "127.255.255.0/24" or "127.0.0.5-127.0.0.7", inside 127.0.0.0/8.
std::optional<std::string> ParseCodeRange(std::string_view text, DnsblCodeRange* out) {
  if (size_t dash = text.find('-'); dash != std::string_view::npos) {
    auto first = ParseV4(text.substr(0, dash));
    auto last = ParseV4(text.substr(dash + 1));
    if (!first || !last) return "not an IPv4 range FIRST-LAST";
    if (*first > *last) return "range ends before it starts";
    out->first = *first;
    out->last = *last;
  } else if (text.find('/') != std::string_view::npos) {
    StatusOr<IpNetwork> net = IpNetwork::Parse(text);
    if (!net.ok() || net->address.family != IpAddress::Family::kV4) {
      return "not an IPv4 CIDR block";
    }
    out->first = *ParseV4(net->address.ToString());
    out->last =
        out->first | (net->prefix_length == 0 ? 0xFFFFFFFFu : (0xFFFFFFFFu >> net->prefix_length));
  } else {
    auto value = ParseV4(text);
    if (!value) return "not an IPv4 address";
    out->first = out->last = *value;
  }
  if ((out->first & 0xFF000000u) != kLoopbackNet || (out->last & 0xFF000000u) != kLoopbackNet) {
    return "DNSBL answer codes must be inside 127.0.0.0/8 (RFC 5782)";
  }
  return std::nullopt;
}

constexpr int64_t kMaxDailyQueryBudget = int64_t{1000000000000};

bool ValidGroupName(std::string_view name) {
  return !name.empty() && name.size() <= 63 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

bool ValidZone(std::string_view zone) {
  if (zone.empty() || zone.size() > 200 || zone.front() == '.' || zone.back() == '.') return false;
  size_t label = 0;
  for (char c : zone) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok || ++label > 63) return false;
  }
  return zone.find('.') != std::string_view::npos;
}

std::vector<DnsblCodeRange> ReadCodes(ConfigNode& entry, std::string_view key, bool with_class) {
  std::vector<DnsblCodeRange> out;
  std::vector<ConfigNode> items = entry.GetMapList(key);
  for (ConfigNode& item : items) {
    DnsblCodeRange range;
    std::string code = item.GetString("code");
    if (code.empty()) {
      item.Error("code", "required");
    } else if (auto error = ParseCodeRange(code, &range)) {
      item.Error("code", *error + ": \"" + code + "\"");
    }
    range.meaning = item.GetString("meaning");
    if (range.meaning.empty()) item.Error("meaning", "required");
    if (with_class) {
      std::string cls = item.GetString("class", "listed");
      if (cls == "listed") {
        range.code_class = DnsblCodeClass::kListed;
      } else if (cls == "allowlisted") {
        range.code_class = DnsblCodeClass::kAllowlisted;
      } else if (cls == "neutral") {
        range.code_class = DnsblCodeClass::kNeutral;
      } else {
        item.Error("class", "must be listed, allowlisted or neutral");
      }
    }
    item.CheckUnknownKeys();
    out.push_back(std::move(range));
  }
  return out;
}

void ReadList(ConfigNode& entry, DnsblList* list) {
  list->zone = NormalizeDnsName(entry.GetString("zone"));
  if (!ValidZone(list->zone)) entry.Error("zone", "required: a DNS zone such as zen.spamhaus.org");
  list->defunct = entry.GetString("defunct");
  list->name = entry.GetString("name", list->zone);
  if (!list->defunct.empty()) {
    entry.CheckUnknownKeys();
    return;
  }
  std::vector<std::string> kinds = entry.GetStringList("kinds");
  for (size_t i = 0; i < kinds.size(); ++i) {
    if (kinds[i] == "ip4") {
      list->ip4 = true;
    } else if (kinds[i] == "ip6") {
      list->ip6 = true;
    } else if (kinds[i] == "domain") {
      list->domain = true;
    } else {
      entry.ErrorAt("kinds", i, "must be ip4, ip6 or domain");
    }
  }
  if (!list->ip4 && !list->ip6 && !list->domain)
    entry.Error("kinds", "required: [ip4, ip6, domain]");
  std::string severity = entry.GetString("severity", "minor");
  if (severity == "major") {
    list->severity = DnsblSeverity::kMajor;
  } else if (severity != "minor") {
    entry.Error("severity", "must be major or minor");
  }
  list->default_enabled = entry.GetBool("default", false);
  list->key = entry.GetString("key");
  std::string qps = entry.GetString("queries_per_second", "0");
  char* end = nullptr;
  errno = 0;
  list->queries_per_second = std::strtod(qps.c_str(), &end);
  if (qps.empty() || *end != '\0' || errno != 0 || !(list->queries_per_second >= 0) ||
      list->queries_per_second > 1e6) {
    entry.Error("queries_per_second", "must be a number >= 0 (0: no cap)");
    list->queries_per_second = 0;
  }
  list->daily_query_budget =
      static_cast<uint64_t>(entry.GetInt("daily_query_budget", 0, 0, kMaxDailyQueryBudget));
  list->budget_group = entry.GetString("budget_group");
  if (!list->budget_group.empty()) {
    if (!ValidGroupName(list->budget_group)) {
      entry.Error("budget_group", "a group name is letters, digits, '-' or '_' (no dots)");
    } else if (list->daily_query_budget != 0) {
      entry.Error("daily_query_budget",
                  "give a list budget_group (its operator's shared budget) or its own "
                  "daily_query_budget, not both");
    }
  }
  list->delist_url = entry.GetString("delist_url");
  list->codes = ReadCodes(entry, "codes", true);
  list->errors = ReadCodes(entry, "errors", false);
  for (ConfigNode& item : entry.GetMapList("bits")) {
    DnsblBit bit;
    int64_t value = item.GetInt("bit", 0, 0, 128);
    if (value == 0 || (value & (value - 1)) != 0) {
      item.Error("bit", "must be one of 1, 2, 4, 8, 16, 32, 64, 128");
    }
    bit.bit = static_cast<uint8_t>(value);
    bit.meaning = item.GetString("meaning");
    if (bit.meaning.empty()) item.Error("meaning", "required");
    item.CheckUnknownKeys();
    list->bits.push_back(std::move(bit));
  }
  if (list->codes.empty() && list->bits.empty()) {
    entry.Error("codes", "a list needs codes or bits (what its answers mean)");
  }

  DnsblKind kind = list->health_kind();
  std::string listed_default = kind == DnsblKind::kIp4   ? "127.0.0.2"
                               : kind == DnsblKind::kIp6 ? "::ffff:7f00:2"
                                                         : "test";
  std::string clean_default = kind == DnsblKind::kIp4   ? "127.0.0.1"
                              : kind == DnsblKind::kIp6 ? "::ffff:7f00:1"
                                                        : "invalid";
  for (auto [key, value, fallback] : {std::tuple{"test_listed", &list->test_listed, listed_default},
                                      std::tuple{"test_clean", &list->test_clean, clean_default}}) {
    *value = entry.GetString(key, fallback);
    if (*value == "none") {
      value->clear();
      continue;
    }
    if (kind == DnsblKind::kDomain) {
      *value = NormalizeDnsName(*value);
      continue;
    }
    StatusOr<IpAddress> ip = IpAddress::Parse(*value);
    bool v4 = kind == DnsblKind::kIp4;
    if (!ip.ok() || (ip->family == IpAddress::Family::kV4) != v4) {
      entry.Error(key, std::string("must be an ") + (v4 ? "IPv4" : "IPv6") + " address or none");
    }
  }
  entry.CheckUnknownKeys();
}

}  // namespace

std::string_view DnsblKindName(DnsblKind kind) {
  switch (kind) {
    case DnsblKind::kIp4:
      return "ip4";
    case DnsblKind::kIp6:
      return "ip6";
    case DnsblKind::kDomain:
      return "domain";
  }
  return "unknown";
}

std::string_view DnsblCodeClassName(DnsblCodeClass c) {
  switch (c) {
    case DnsblCodeClass::kListed:
      return "listed";
    case DnsblCodeClass::kAllowlisted:
      return "allowlisted";
    case DnsblCodeClass::kNeutral:
      return "neutral";
  }
  return "unknown";
}

std::string_view DnsblSeverityName(DnsblSeverity s) {
  switch (s) {
    case DnsblSeverity::kMajor:
      return "major";
    case DnsblSeverity::kMinor:
      return "minor";
  }
  return "unknown";
}

bool DnsblList::Supports(DnsblKind kind) const {
  switch (kind) {
    case DnsblKind::kIp4:
      return ip4;
    case DnsblKind::kIp6:
      return ip6;
    case DnsblKind::kDomain:
      return domain;
  }
  return false;
}

bool DnsblList::has_listing_codes() const {
  if (!bits.empty()) return true;
  return std::any_of(codes.begin(), codes.end(), [](const DnsblCodeRange& c) {
    return c.code_class == DnsblCodeClass::kListed;
  });
}

bool DnsblList::has_allowlisting_codes() const {
  return std::any_of(codes.begin(), codes.end(), [](const DnsblCodeRange& c) {
    return c.code_class == DnsblCodeClass::kAllowlisted;
  });
}

DnsblKind DnsblList::health_kind() const {
  if (ip4) return DnsblKind::kIp4;
  if (ip6) return DnsblKind::kIp6;
  return DnsblKind::kDomain;
}

StatusOr<DnsblCatalogue> DnsblCatalogue::Parse(std::string_view yaml_text,
                                               std::string_view source) {
  StatusOr<ConfigNode> root = ConfigNode::Parse(yaml_text, source);
  if (!root.ok()) return root.status();
  DnsblCatalogue catalogue;
  if (std::optional<ConfigNode> groups = root->GetMap("budget_groups")) {
    for (const std::string& name : groups->Keys()) {
      int64_t daily = groups->GetInt(name, 0, 1, kMaxDailyQueryBudget);
      if (!ValidGroupName(name)) {
        groups->Error(name, "a group name is letters, digits, '-' or '_' (no dots)");
        continue;
      }
      catalogue.budget_groups_[name] = static_cast<uint64_t>(daily);
    }
    groups->CheckUnknownKeys();
  }
  std::vector<ConfigNode> entries = root->GetMapList("lists");
  for (ConfigNode& entry : entries) {
    DnsblList list;
    ReadList(entry, &list);
    if (!list.zone.empty() && catalogue.Find(list.zone) != nullptr) {
      entry.Error("zone", "duplicate zone \"" + list.zone + "\"");
    }
    catalogue.lists_.push_back(std::move(list));
  }
  Status status = root->Finish();
  if (!status.ok()) return status;
  return catalogue;
}

StatusOr<DnsblCatalogue> DnsblCatalogue::LoadFile(const std::string& path) {
  StatusOr<std::string> text = ReadFileCapped(path, ConfigNode::kMaxInputBytes + 1);
  if (!text.ok()) {
    return Status::IoError("cannot open DNSBL catalogue " + text.status().message());
  }
  return Parse(*text, path);
}

const DnsblCatalogue& DnsblCatalogue::BuiltIn() {
  static const DnsblCatalogue* const catalogue = [] {
    StatusOr<DnsblCatalogue> parsed = Parse(BuiltInCatalogueText(), "<built-in catalogue.yml>");
    // The embedded file is checked by dnsbl_test; a broken one is a build bug.
    return new DnsblCatalogue(parsed.ok() ? std::move(parsed).value() : DnsblCatalogue());
  }();
  return *catalogue;
}

void DnsblCatalogue::Merge(const DnsblCatalogue& other) {
  for (const auto& [name, daily] : other.budget_groups_) budget_groups_[name] = daily;
  for (const DnsblList& list : other.lists_) {
    auto it = std::find_if(lists_.begin(), lists_.end(),
                           [&](const DnsblList& l) { return l.zone == list.zone; });
    if (it != lists_.end()) {
      *it = list;
    } else {
      lists_.push_back(list);
    }
  }
}

const DnsblList* DnsblCatalogue::Find(std::string_view zone) const {
  std::string normalized = NormalizeDnsName(zone);
  for (const DnsblList& list : lists_) {
    if (list.zone == normalized) return &list;
  }
  return nullptr;
}

const DnsblList* DnsblCatalogue::FindDefunct(std::string_view zone) const {
  std::string normalized = NormalizeDnsName(zone);
  for (const DnsblList& list : lists_) {
    if (list.defunct.empty()) continue;
    if (normalized == list.zone || (normalized.size() > list.zone.size() &&
                                    normalized.compare(normalized.size() - list.zone.size(),
                                                       list.zone.size(), list.zone) == 0 &&
                                    normalized[normalized.size() - list.zone.size() - 1] == '.')) {
      return &list;
    }
  }
  return nullptr;
}

std::vector<std::string> DnsblCatalogue::DefaultZones() const {
  std::vector<std::string> out;
  for (const DnsblList& list : lists_) {
    if (list.default_enabled && list.defunct.empty() && list.key.empty()) out.push_back(list.zone);
  }
  return out;
}

}  // namespace mailrep
