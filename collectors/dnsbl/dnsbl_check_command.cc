#include "collectors/dnsbl/dnsbl_check_command.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>

#include "collectors/dns/dns_engine.h"
#include "collectors/dnsbl/dnsbl_config.h"
#include "collectors/dnsbl/dnsbl_sweep.h"
#include "exporter/config/config_node.h"
#include "exporter/core/check_args.h"
#include "exporter/util/json_string.h"
#include "exporter/util/read_file.h"

namespace mailrep {
namespace {

constexpr auto kCheckDeadline = std::chrono::seconds(30);

// What the config file contributes (read leniently: `check config` validates).
// Its mirrors are read strictly once the catalogue is known (ReadMirrors): a
// mirror entry that does not parse would send the zone's queries to DNS.
struct FileSettings {
  std::vector<std::string> servers;
  std::vector<std::string> lists;
  std::map<std::string, std::string> keys;
  std::string catalogue_file;
  std::optional<ConfigNode> dnsbl;  // collectors.dnsbl
};

StatusOr<FileSettings> ReadConfigFile(const std::string& path) {
  FileSettings out;
  StatusOr<std::string> text = ReadFileCapped(path, ConfigNode::kMaxInputBytes + 1);
  if (!text.ok()) return Status::IoError("cannot read config file " + text.status().message());
  StatusOr<ConfigNode> root = ConfigNode::Parse(*text, path);
  if (!root.ok()) return root.status();
  if (auto dns = root->GetMap("dns")) out.servers = dns->GetStringList("servers");
  if (auto collectors = root->GetMap("collectors")) {
    if (auto dnsbl = collectors->GetMap("dnsbl")) {
      out.dnsbl = dnsbl->WithOwnErrors();
      out.lists = dnsbl->GetStringList("lists");
      out.catalogue_file = dnsbl->GetString("catalogue_file");
      if (auto keys = dnsbl->GetMap("keys")) {
        for (const std::string& k : keys->Keys()) out.keys[k] = keys->GetString(k);
      }
    }
  }
  return out;
}

struct Row {
  const DnsblList* list;
  std::string status;  // listed, allowlisted, clean, error, unhealthy
  std::vector<DnsblMatch> matches;
  std::string error;
};

int Rank(const std::string& status) {
  if (status == "listed") return 0;
  if (status == "error") return 1;
  if (status == "unhealthy") return 2;
  if (status == "allowlisted") return 3;
  return 4;
}

void PrintJson(const std::string& target, const std::vector<Row>& rows, std::ostream& out) {
  out << "{\"target\": " << JsonQuote(target) << ", \"lists\": [";
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    out << (i ? ", " : "") << "{\"list\": " << JsonQuote(r.list->zone)
        << ", \"status\": " << JsonQuote(r.status)
        << ", \"severity\": " << JsonQuote(DnsblSeverityName(r.list->severity)) << ", \"codes\": [";
    for (size_t j = 0; j < r.matches.size(); ++j) {
      out << (j ? ", " : "") << JsonQuote(r.matches[j].code);
    }
    out << "], \"meanings\": [";
    for (size_t j = 0; j < r.matches.size(); ++j) {
      out << (j ? ", " : "") << JsonQuote(r.matches[j].meaning);
    }
    out << "], \"error\": " << JsonQuote(r.error)
        << ", \"delist_url\": " << JsonQuote(r.list->delist_url) << "}";
  }
  out << "]}\n";
}

void PrintText(const std::string& target, const std::vector<Row>& rows, bool colour,
               std::ostream& out) {
  std::map<std::string, int> counts;
  size_t width = 4;
  for (const Row& r : rows) width = std::max(width, r.list->zone.size());
  out << "DNSBL check of " << target << " against " << rows.size() << " lists\n\n";
  auto pad = [](std::string s, size_t n) {
    if (s.size() < n) s.append(n - s.size(), ' ');
    return s;
  };
  out << pad("STATUS", 12) << pad("LIST", width + 2) << pad("SEVERITY", 10) << "DETAIL\n";
  for (const Row& r : rows) {
    ++counts[r.status];
    std::string status = r.status == "listed" ? "LISTED" : r.status;
    std::string shown = pad(status, 12);
    if (colour && r.status == "listed") shown = "\033[1;31m" + shown + "\033[0m";
    if (colour && (r.status == "error" || r.status == "unhealthy")) {
      shown = "\033[33m" + shown + "\033[0m";
    }
    out << shown << pad(r.list->zone, width + 2)
        << pad(std::string(DnsblSeverityName(r.list->severity)), 10);
    std::string indent(12 + width + 2 + 10, ' ');
    if (!r.error.empty()) {
      out << r.error << "\n";
    } else if (r.matches.empty()) {
      out << "\n";
    } else {
      for (size_t j = 0; j < r.matches.size(); ++j) {
        out << (j ? indent : "") << r.matches[j].code << "  " << r.matches[j].meaning << "\n";
      }
    }
    if ((r.status == "listed") && !r.list->delist_url.empty()) {
      out << indent << "look up / request delisting: " << r.list->delist_url << "\n";
    }
  }
  out << "\n"
      << counts["listed"] << " listed, " << counts["allowlisted"] << " allowlisted, "
      << counts["clean"] << " clean, " << counts["error"] << " error, " << counts["unhealthy"]
      << " unhealthy\n";
}

}  // namespace

int RunDnsblCheck(const CheckCommandContext& ctx) { return RunDnsblCheckWith(ctx, nullptr); }

int RunDnsblCheckWith(const CheckCommandContext& ctx, Resolver* resolver) {
  int code = 0;
  std::optional<CheckArgs> args = ParseCheckCommandArgs(
      kDnsblCheckCommand, ctx, {.options = {"list", "dns-server"}, .positionals = true}, &code);
  if (!args) return code;
  if (args->positionals.empty()) {
    return CheckUsageError(kDnsblCheckCommand, ctx, "a TARGET (IP address or domain) is required");
  }
  if (args->positionals.size() > 1) {
    return CheckUsageError(kDnsblCheckCommand, ctx,
                           "only one TARGET, got \"" + args->positionals[0] + "\" and \"" +
                               args->positionals[1] + "\"");
  }
  StatusOr<DnsblTarget> target = ParseDnsblTarget(args->positionals[0]);
  if (!target.ok()) {
    ctx.err << "check dnsbl: " << target.status().message() << "\n";
    return 2;
  }
  FileSettings file;
  if (!ctx.config_file.empty()) {
    StatusOr<FileSettings> read = ReadConfigFile(ctx.config_file);
    if (!read.ok()) {
      ctx.err << "check dnsbl: " << read.status().message() << "\n";
      return 2;
    }
    file = std::move(read).value();
  }
  DnsblCatalogue catalogue = DnsblCatalogue::BuiltIn();
  if (!file.catalogue_file.empty()) {
    StatusOr<DnsblCatalogue> extra = DnsblCatalogue::LoadFile(file.catalogue_file);
    if (!extra.ok()) {
      ctx.err << "check dnsbl: " << extra.status().message() << "\n";
      return 2;
    }
    catalogue.Merge(*extra);
  }
  std::vector<DnsblMirrorConfig> mirrors;
  if (file.dnsbl) {
    mirrors = ParseDnsblMirrors(catalogue, *file.dnsbl, nullptr);
    if (Status errors = file.dnsbl->Errors(); !errors.ok()) {
      ctx.err << "check dnsbl: " << errors.message() << "\n";
      return 2;
    }
  }
  const std::vector<std::string>& flag_lists = args->GetAll("list");
  std::vector<std::string> zones = !flag_lists.empty()   ? flag_lists
                                   : !file.lists.empty() ? file.lists
                                                         : catalogue.DefaultZones();
  std::vector<DnsblListConfig> lists;
  for (const std::string& zone : zones) {
    DnsblListConfig list;
    if (auto error = ResolveDnsblList(catalogue, zone, file.keys, &list)) {
      ctx.err << "check dnsbl: " << *error << "\n";
      return 2;
    }
    for (const DnsblMirrorConfig& m : mirrors) {
      if (m.zone == list.list.zone) NarrowToMirrorFormat(m.format, &list.list);
    }
    if (list.list.Supports(target->kind)) lists.push_back(std::move(list));
  }
  if (lists.empty()) {
    ctx.err << "check dnsbl: none of the lists checks " << DnsblKindName(target->kind)
            << " targets\n";
    return 2;
  }

  // The mirrors of the lists checked, read once; those lists send no query.
  std::vector<DnsblMirrorConfig> used;
  for (const DnsblMirrorConfig& m : mirrors) {
    if (std::any_of(lists.begin(), lists.end(),
                    [&](const DnsblListConfig& c) { return c.list.zone == m.zone; })) {
      used.push_back(m);
    }
  }
  int64_t now_unix = Clock::Real()->UnixSeconds();
  DnsblMirrors local_mirrors(used, ctx.rootfs);
  local_mirrors.Refresh(now_unix);
  DnsblLocalZones local = local_mirrors.Snapshot(now_unix);

  std::shared_ptr<Resolver> owned;
  if (resolver == nullptr && used.size() < lists.size()) {
    const std::vector<std::string>& servers = args->GetAll("dns-server");
    StatusOr<std::shared_ptr<Resolver>> made =
        StartDnsEngineForCheck(!servers.empty() ? servers : file.servers, ctx.resolv_conf);
    if (!made.ok()) {
      ctx.err << "check dnsbl: " << made.status().message() << "\n";
      return 2;
    }
    owned = std::move(made).value();
    resolver = owned.get();
  }

  DnsblSweep sweep = RunDnsblSweep(resolver, lists, {*target},
                                   std::chrono::steady_clock::now() + kCheckDeadline, {}, &local);
  std::vector<Row> rows;
  for (size_t l = 0; l < lists.size(); ++l) {
    Row row{&lists[l].list, "", {}, ""};
    const DnsblResult* r = sweep.results.Get(0, l);
    if (!sweep.lists[l].health.healthy) {
      row.status = "unhealthy";
      row.error = sweep.lists[l].health.reason;
    } else if (!r || !r->ok()) {
      row.status = "error";
      row.error = r ? std::string(DnsblErrorName(r->error)) + ": " + r->error_detail : "no answer";
    } else {
      row.status = r->verdict == DnsblVerdict::kListed        ? "listed"
                   : r->verdict == DnsblVerdict::kAllowlisted ? "allowlisted"
                                                              : "clean";
      row.matches = r->matches;
    }
    rows.push_back(std::move(row));
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Row& a, const Row& b) { return Rank(a.status) < Rank(b.status); });
  if (args->json()) {
    PrintJson(target->value, rows, ctx.out);
  } else {
    PrintText(target->value, rows, ctx.out_is_terminal, ctx.out);
  }
  bool any_listed = false;
  bool any_verdict = false;
  for (const Row& r : rows) {
    any_listed |= r.status == "listed";
    any_verdict |= r.status != "error" && r.status != "unhealthy";
  }
  if (any_listed) return 1;
  if (any_verdict) return 0;
  ctx.err << "check dnsbl: no list gave an answer for " << target->value << "\n";
  return 2;
}

const CheckCommand kDnsblCheckCommand = {"dnsbl", kDnsblCheckUsage, kDnsblCheckHelp, RunDnsblCheck};

}  // namespace mailrep
