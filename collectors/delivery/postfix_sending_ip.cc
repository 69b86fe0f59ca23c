#include "collectors/delivery/postfix_sending_ip.h"

#include <vector>

#include "collectors/host/mta_config_parse.h"
#include "exporter/util/lines.h"

namespace mailrep {
namespace {

struct MasterEntry {
  std::string service;
  std::string type;
  std::string command;
  PostfixParams overrides;  // -o name=value
};

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t') ++i;
    if (i > start) words.emplace_back(text.substr(start, i - start));
  }
  return words;
}

std::vector<MasterEntry> ParseMasterCf(std::string_view text) {
  // Join continuation lines (leading white space) to their entry first.
  std::vector<std::string> entries;
  while (std::optional<std::string_view> next = NextLine(&text)) {
    std::string_view line = *next;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string_view trimmed = line;
    while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\t')) {
      trimmed.remove_prefix(1);
    }
    if (trimmed.empty() || trimmed.front() == '#') continue;
    if (trimmed.size() != line.size()) {
      if (!entries.empty()) entries.back().append(" ").append(trimmed);
    } else {
      entries.emplace_back(line);
    }
  }
  std::vector<MasterEntry> out;
  for (const std::string& e : entries) {
    std::vector<std::string> w = Words(e);
    if (w.size() < 8) continue;
    MasterEntry entry{w[0], w[1], w[7], {}};
    for (size_t i = 8; i < w.size(); ++i) {
      std::string assignment;
      if (w[i] == "-o" && i + 1 < w.size()) {
        assignment = w[++i];
      } else if (w[i].size() > 2 && w[i].substr(0, 2) == "-o") {
        assignment = w[i].substr(2);
      } else {
        continue;
      }
      size_t eq = assignment.find('=');
      if (eq == std::string::npos || eq == 0) continue;
      entry.overrides[assignment.substr(0, eq)] = assignment.substr(eq + 1);
    }
    out.push_back(std::move(entry));
  }
  return out;
}

void Merge(SendingIpMap* map, const std::string& syslog_name, const std::string& ip) {
  auto [it, inserted] = map->emplace(syslog_name, ip);
  if (!inserted && it->second != ip) it->second.clear();
}

}  // namespace

void AddPostfixInstance(std::string_view main_cf, std::string_view master_cf,
                        std::string_view instance_name, SendingIpMap* map) {
  PostfixParams main = ParsePostfixMainCf(main_cf);
  if (!main.contains("syslog_name")) {
    main["syslog_name"] = "${multi_instance_name?{$multi_instance_name}:{postfix}}";
  }
  if (!instance_name.empty() && !main.contains("multi_instance_name")) {
    main["multi_instance_name"] = std::string(instance_name);
  }
  for (const MasterEntry& e : ParseMasterCf(master_cf)) {
    if (e.type != "unix" || (e.command != "smtp" && e.command != "lmtp")) continue;
    PostfixParams params = main;
    params["service_name"] = e.service;
    for (const auto& [k, v] : e.overrides) params[k] = v;
    std::string prefix = e.command == "lmtp" ? "lmtp" : "smtp";
    std::string v4 = ExpandPostfixValue(params[prefix + "_bind_address"], params);
    std::string v6 = ExpandPostfixValue(params[prefix + "_bind_address6"], params);
    std::string syslog_name = ExpandPostfixValue(params["syslog_name"], params);
    std::string ip;
    if (!v4.empty() && v6.empty()) ip = v4;
    if (v4.empty() && !v6.empty()) ip = v6;
    Merge(map, syslog_name + "/" + e.command, ip);
  }
}

std::string_view LookUpSendingIp(const SendingIpMap& map, std::string_view syslog_tag) {
  auto it = map.find(syslog_tag);
  if (it == map.end() || it->second.empty()) return "unknown";
  return it->second;
}

}  // namespace mailrep
