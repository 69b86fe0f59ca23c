#include "collectors/all_check_command.h"

#include <chrono>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "collectors/auth/dkim_check_command.h"
#include "collectors/auth/dkim_collector.h"
#include "collectors/auth/dmarc_check_command.h"
#include "collectors/auth/dmarc_collector.h"
#include "collectors/auth/ptr_check_command.h"
#include "collectors/auth/ptr_collector.h"
#include "collectors/auth/spf_check_command.h"
#include "collectors/auth/spf_collector.h"
#include "collectors/dns/dns_engine.h"
#include "collectors/dnsbl/dnsbl_check_command.h"
#include "exporter/config/config.h"
#include "exporter/config/config_node.h"
#include "exporter/core/check_args.h"
#include "exporter/util/json_string.h"
#include "exporter/util/lines.h"
#include "exporter/util/read_file.h"

namespace mailrep {
namespace {

constexpr auto kPerCheck = std::chrono::seconds(30);

enum class Verdict { kOk, kWarn, kFail };

std::string_view VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kOk:
      return "ok";
    case Verdict::kWarn:
      return "warn";
    case Verdict::kFail:
      return "fail";
  }
  return "unknown";
}

// One check's outcome: its verdict and what its printer wrote.
struct Entry {
  std::string check;
  Verdict verdict;
  std::string printed;
};

SteadyTime Deadline() { return std::chrono::steady_clock::now() + kPerCheck; }

Verdict PtrVerdict(const PtrCheckResult& r) {
  if (r.status == PtrStatus::kOk) return Verdict::kOk;
  return r.status == PtrStatus::kDnsError ? Verdict::kWarn : Verdict::kFail;
}

Verdict SpfVerdict(const SpfTarget& target, const SpfCheckResult& r) {
  if (r.result == SpfResult::kPass) return Verdict::kOk;
  if (r.result == SpfResult::kTempError) return Verdict::kWarn;
  if (target.helo_identity && r.result == SpfResult::kNone) return Verdict::kWarn;
  return Verdict::kFail;
}

Verdict DkimVerdict(const DkimKeyCheckResult& r) {
  if (DkimCheckPassed(r)) return Verdict::kOk;
  if (r.status == DkimKeyStatus::kWeak || r.status == DkimKeyStatus::kDnsError) {
    return Verdict::kWarn;
  }
  return Verdict::kFail;
}

Verdict DmarcVerdict(const DmarcCheckResult& r, const DmarcConfiguredAlignment& alignment) {
  if (r.status == DmarcStatus::kDnsError) return Verdict::kWarn;
  if (r.status != DmarcStatus::kValid) return Verdict::kFail;
  if (!alignment.spf_aligned && !alignment.dkim_aligned) return Verdict::kFail;
  return DmarcCheckPassed(r) ? Verdict::kOk : Verdict::kWarn;
}

// The config without validating collector sections (`check config` does):
// every collector named in the file is accepted with neutral defaults.
StatusOr<Config> LoadConfigForCheck(const std::string& path) {
  std::string text(EmbeddedDefaultConfig());
  std::string source(kEmbeddedConfigSource);
  if (!path.empty()) {
    StatusOr<std::string> read = ReadFileCapped(path, ConfigNode::kMaxInputBytes + 1);
    if (!read.ok()) return Status::IoError("cannot read config file " + read.status().message());
    text = std::move(read).value();
    source = path;
  }
  std::vector<CollectorDefaults> known;
  StatusOr<ConfigNode> root = ConfigNode::Parse(text, source);
  if (!root.ok()) return root.status();
  if (std::optional<ConfigNode> collectors = root->GetMap("collectors")) {
    for (const std::string& name : collectors->Keys()) {
      known.push_back({name, false, std::chrono::hours(24), std::chrono::seconds(1)});
    }
  }
  return ParseConfig(text, source, known);
}

class CheckAll {
 public:
  CheckAll(const CheckCommandContext& ctx, bool json, Resolver& resolver,
           const PublicSuffixList& psl)
      : ctx_(ctx), json_(json), resolver_(resolver), psl_(psl) {}

  std::vector<Entry> IpChecks(const SenderConfig& sender, const IpAddress& ip) {
    std::vector<Entry> entries;
    PtrCheckResult ptr = RunPtrCheck(resolver_, {ip, sender.helo}, Deadline());
    std::ostringstream printed;
    PrintPtrCheck(ip, ptr, json_, printed);
    entries.push_back({"ptr", PtrVerdict(ptr), printed.str()});
    std::vector<SpfTarget> spf;
    for (const std::string& domain : sender.domains)
      spf.push_back({ip, domain, sender.helo, false});
    if (!sender.helo.empty()) spf.push_back({ip, sender.helo, sender.helo, true});
    for (const SpfTarget& target : spf) {
      SpfCheckResult r = RunSpfCheck(resolver_, target, Deadline());
      std::ostringstream text;
      PrintSpfCheck(ip, target.helo_identity ? "" : "postmaster@" + target.domain, target.helo, r,
                    json_, text);
      entries.push_back({"spf", SpfVerdict(target, r), text.str()});
    }
    entries.push_back(Dnsbl(ip));
    return entries;
  }

  std::vector<Entry> DomainChecks(const SenderConfig& sender) {
    std::vector<Entry> entries;
    Config one;
    one.senders = {sender};
    for (const DkimKeyCheckRequest& target : DkimTargetsFromConfig(one, ctx_.rootfs)) {
      DkimKeyCheckResult r = RunDkimCheck(resolver_, target, Deadline());
      std::ostringstream printed;
      PrintDkimCheck(r, json_, printed);
      entries.push_back({"dkim", DkimVerdict(r), printed.str()});
    }
    for (const DmarcTarget& target : DmarcTargetsFromConfig(one)) {
      DmarcCheckResult r = RunDmarcCheck(resolver_, psl_, target.domain, Deadline());
      DmarcConfiguredAlignment alignment =
          CheckConfiguredDmarcAlignment(target, r.record ? &*r.record : nullptr, psl_);
      std::ostringstream printed;
      PrintDmarcCheck(r, &alignment, json_, printed);
      entries.push_back({"dmarc", DmarcVerdict(r, alignment), printed.str()});
    }
    return entries;
  }

 private:
  // `check dnsbl IP` itself, with this resolver and the config's lists.
  Entry Dnsbl(const IpAddress& ip) {
    std::ostringstream out;
    std::ostringstream err;
    CheckCommandContext sub{{ip.ToString(), "--format", json_ ? "json" : "text"},
                            ctx_.config_file,
                            ctx_.rootfs,
                            out,
                            err,
                            ctx_.out_is_terminal,
                            ctx_.resolv_conf};
    int code = RunDnsblCheckWith(sub, &resolver_);
    Verdict verdict = code == 0 ? Verdict::kOk : code == 1 ? Verdict::kFail : Verdict::kWarn;
    std::string printed = out.str();
    if (printed.empty()) {
      printed = json_ ? "{\"error\": " + JsonQuote(err.str()) + "}" : "DNSBL: " + err.str();
    }
    return {"dnsbl", verdict, printed};
  }

  const CheckCommandContext& ctx_;
  const bool json_;
  Resolver& resolver_;
  const PublicSuffixList& psl_;
};

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

class TextReport {
 public:
  TextReport(std::ostream& out, bool colour) : out_(out), colour_(colour) {}

  void Write(const Entry& e, const std::string& indent) {
    static constexpr const char* kTags[] = {"OK    ", "WARN  ", "FAIL  "};
    static constexpr const char* kColours[] = {"\033[32m", "\033[33m", "\033[1;31m"};
    int v = static_cast<int>(e.verdict);
    std::string text = Trim(e.printed);
    std::string_view rest = text;
    bool first = true;
    while (std::optional<std::string_view> line = NextLine(&rest)) {
      if (line->empty()) {
        out_ << "\n";
      } else if (first) {
        out_ << indent << (colour_ ? kColours[v] : "") << kTags[v] << (colour_ ? "\033[0m" : "")
             << *line << "\n";
      } else {
        out_ << indent << "      " << *line << "\n";
      }
      first = false;
    }
  }

 private:
  std::ostream& out_;
  bool colour_;
};

std::string JsonEntries(const std::vector<Entry>& entries) {
  std::string out = "[";
  for (size_t i = 0; i < entries.size(); ++i) {
    out += (i ? ", " : "") + std::string("{\"check\": ") + JsonQuote(entries[i].check) +
           ", \"verdict\": " + JsonQuote(VerdictName(entries[i].verdict)) +
           ", \"result\": " + Trim(entries[i].printed) + "}";
  }
  return out + "]";
}

}  // namespace

int RunCheckAllWith(const CheckCommandContext& ctx, Resolver* resolver,
                    const PublicSuffixList* psl) {
  int code = 0;
  std::optional<CheckArgs> args =
      ParseCheckCommandArgs(kAllCheckCommand, ctx, {.options = {"dns-server"}}, &code);
  if (!args) return code;
  StatusOr<Config> config = LoadConfigForCheck(ctx.config_file);
  if (!config.ok()) {
    ctx.err << "check all: " << config.status().message() << "\n";
    return 2;
  }
  if (config->senders.empty()) {
    ctx.err << "check all: " << config->source
            << " lists no senders; add a senders: section (ips, helo, domains, dkim)\n";
    return 2;
  }
  std::shared_ptr<Resolver> owned_resolver;
  if (resolver == nullptr) {
    const std::vector<std::string>& flags = args->GetAll("dns-server");
    StatusOr<std::shared_ptr<Resolver>> made =
        StartDnsEngineForCheck(flags.empty() ? config->dns.servers : flags, ctx.resolv_conf);
    if (!made.ok()) {
      ctx.err << "check all: " << made.status().message() << "\n";
      return 2;
    }
    owned_resolver = *made;
    resolver = owned_resolver.get();
  }
  std::shared_ptr<const PublicSuffixList> owned_psl;
  if (psl == nullptr) {
    StatusOr<std::shared_ptr<const PublicSuffixList>> loaded = LoadSystemPublicSuffixList();
    if (!loaded.ok()) {
      ctx.err << "check all: " << loaded.status().message() << "\n";
      return 2;
    }
    owned_psl = *loaded;
    psl = owned_psl.get();
  }

  bool json = args->json();
  CheckAll checks(ctx, json, *resolver, *psl);
  TextReport text(ctx.out, ctx.out_is_terminal);
  int counts[3] = {0, 0, 0};
  auto count = [&](const std::vector<Entry>& entries) {
    for (const Entry& e : entries) ++counts[static_cast<int>(e.verdict)];
  };
  std::string senders_json;
  if (!json) {
    ctx.out << "Sender checks from " << config->source << " (" << config->senders.size()
            << " sender group" << (config->senders.size() == 1 ? "" : "s") << ")\n";
  }
  for (size_t s = 0; s < config->senders.size(); ++s) {
    const SenderConfig& sender = config->senders[s];
    std::string domains;
    std::string domains_json;
    for (size_t i = 0; i < sender.domains.size(); ++i) {
      domains += (i ? ", " : "") + sender.domains[i];
      domains_json += (i ? ", " : "") + JsonQuote(sender.domains[i]);
    }
    if (!json) {
      ctx.out << "\nSender group " << s + 1 << ": HELO "
              << (sender.helo.empty() ? "(none)" : sender.helo) << "; domains "
              << (domains.empty() ? "(none)" : domains) << "\n";
    }
    std::string ips_json;
    for (const IpNetwork& network : sender.ips) {
      if (!json && network.size() > kCheckAllAddressesPerBlock) {
        ctx.out << "\n  " << network.ToString() << ": checking the first "
                << kCheckAllAddressesPerBlock << " of " << network.size() << " addresses\n";
      }
      for (const IpAddress& ip : network.Addresses(kCheckAllAddressesPerBlock)) {
        std::vector<Entry> entries = checks.IpChecks(sender, ip);
        count(entries);
        if (json) {
          ips_json += std::string(ips_json.empty() ? "" : ", ") +
                      "{\"ip\": " + JsonQuote(ip.ToString()) +
                      ", \"checks\": " + JsonEntries(entries) + "}";
          continue;
        }
        ctx.out << "\n  IP " << ip.ToString() << "\n";
        for (const Entry& e : entries) text.Write(e, "    ");
      }
    }
    std::vector<Entry> domain_entries = checks.DomainChecks(sender);
    count(domain_entries);
    if (json) {
      senders_json += std::string(s ? ", " : "") + "{\"helo\": " + JsonQuote(sender.helo) +
                      ", \"domains\": [" + domains_json + "], \"ips\": [" + ips_json +
                      "], \"domain_checks\": " + JsonEntries(domain_entries) + "}";
      continue;
    }
    if (!domain_entries.empty()) ctx.out << "\n  Domains\n";
    for (const Entry& e : domain_entries) text.Write(e, "    ");
  }
  Verdict overall = counts[2] > 0 ? Verdict::kFail : counts[1] > 0 ? Verdict::kWarn : Verdict::kOk;
  if (json) {
    ctx.out << "{\"config\": " << JsonQuote(config->source)
            << ", \"verdict\": " << JsonQuote(VerdictName(overall)) << ", \"ok\": " << counts[0]
            << ", \"warn\": " << counts[1] << ", \"fail\": " << counts[2] << ", \"senders\": ["
            << senders_json << "]}\n";
  } else {
    ctx.out << "\nSummary: " << counts[0] << " OK, " << counts[1] << " WARN, " << counts[2]
            << " FAIL\n";
  }
  return overall == Verdict::kOk ? 0 : 1;
}

namespace {

int RunCheckAll(const CheckCommandContext& ctx) { return RunCheckAllWith(ctx, nullptr, nullptr); }

}  // namespace

const CheckCommand kAllCheckCommand = {
    "all", "check all [--dns-server HOST:PORT]... [--format text|json]",
    "Every configured sender now: PTR, SPF, DNSBL per IP; DKIM and DMARC per domain.", RunCheckAll};

}  // namespace mailrep
