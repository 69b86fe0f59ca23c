#include "collectors/content/message_check_command.h"

#include <chrono>
#include <memory>
#include <optional>

#include "collectors/auth/dmarc_collector.h"
#include "collectors/dns/dns_engine.h"
#include "exporter/config/config_node.h"
#include "exporter/core/check_args.h"
#include "exporter/util/json_string.h"
#include "exporter/util/read_file.h"

namespace mailrep {
namespace {

constexpr auto kCheckDeadline = std::chrono::seconds(30);
// Link lookups per message: 20 domains against the three default lists.
constexpr size_t kMaxLookups = 60;

const char* Bool(bool b) { return b ? "true" : "false"; }

// dns.servers of the config file (read leniently: `check config` validates).
StatusOr<std::vector<std::string>> ConfigServers(const std::string& path) {
  StatusOr<std::string> text = ReadFileCapped(path, ConfigNode::kMaxInputBytes + 1);
  if (!text.ok()) return Status::IoError("cannot read config file " + text.status().message());
  StatusOr<ConfigNode> root = ConfigNode::Parse(*text, path);
  if (!root.ok()) return root.status();
  if (auto dns = root->GetMap("dns")) return dns->GetStringList("servers");
  return std::vector<std::string>{};
}

void PrintText(const MessageFindings& f, const LinkListing& listing, std::ostream& out) {
  out << "Message of " << f.size << " bytes, " << (f.bulk ? "bulk" : "not bulk") << "\n";
  out << "\nLinks: " << f.link_domains.size() << " domain"
      << (f.link_domains.size() == 1 ? "" : "s") << (f.links_capped ? " (capped)" : "") << "\n";
  for (const std::string& d : f.link_domains) out << "  " << d << "\n";
  if (f.unconvertible_link_hosts > 0) {
    out << "  " << f.unconvertible_link_hosts
        << " link host(s) in Unicode without a valid A-label (IDNA2008): not looked up\n";
  }
  if (listing.domains_checked < f.link_domains.size()) {
    out << "  (" << listing.domains_checked << " looked up: at most " << kMaxLookups
        << " lookups per message)\n";
  }
  for (const ListedLink& l : listing.listed) {
    out << "  LISTED " << l.domain << " on " << l.list << " (" << l.code << ")\n";
  }
  for (const std::string& zone : listing.unhealthy) {
    out << "  " << zone << " did not answer its test points: its answers were not used\n";
  }
  if (listing.errors > 0) out << "  " << listing.errors << " lookups gave no answer\n";
  const UnsubscribeFindings& u = f.unsubscribe;
  out << "\nUnsubscribe: List-Unsubscribe " << (u.present ? "present" : "absent") << ", one-click "
      << (u.one_click ? "yes" : "no") << ", https " << (u.https ? "yes" : "no")
      << ", DKIM h= covers both "
      << (!u.dkim_covers   ? "(no DKIM-Signature)"
          : *u.dkim_covers ? "yes"
                           : "no")
      << "\n";
  if (f.bulk && !u.Compliant()) out << "  bulk mail without compliant one-click unsubscribe\n";
  out << "\nFormat problems: "
      << (f.format_problems.empty() ? "none" : std::to_string(f.format_problems.size())) << "\n";
  for (FormatProblem p : f.format_problems) out << "  " << FormatProblemName(p) << "\n";
  out << "\nAttachments: "
      << (f.attachments.empty() ? "none" : std::to_string(f.attachments.size())) << "\n";
  for (const AttachmentFinding& a : f.attachments) {
    out << "  " << AttachmentClassName(a.attachment_class) << ", " << a.size << " bytes\n";
  }
}

}  // namespace

std::string MessageCheckJson(const MessageFindings& f, const LinkListing& listing) {
  std::string j = "{\"bulk\": ";
  j += Bool(f.bulk);
  j += ", \"links\": {\"domains\": " + std::to_string(f.link_domains.size()) +
       ", \"unconvertible\": " + std::to_string(f.unconvertible_link_hosts) + ", \"listed\": [";
  for (size_t i = 0; i < listing.listed.size(); ++i) {
    const ListedLink& l = listing.listed[i];
    j += i ? ", " : "";
    j += "{\"domain\": " + JsonQuote(l.domain) + ", \"list\": " + JsonQuote(l.list) +
         ", \"code\": " + JsonQuote(l.code) + "}";
  }
  const UnsubscribeFindings& u = f.unsubscribe;
  j += "]}, \"unsubscribe\": {\"present\": ";
  j += Bool(u.present);
  j += ", \"one_click\": ";
  j += Bool(u.one_click);
  j += ", \"https\": ";
  j += Bool(u.https);
  j += ", \"dkim_covers\": ";
  j += !u.dkim_covers ? "null" : Bool(*u.dkim_covers);
  j += "}, \"format_problems\": [";
  for (size_t i = 0; i < f.format_problems.size(); ++i) {
    j += i ? ", " : "";
    j += JsonQuote(FormatProblemName(f.format_problems[i]));
  }
  j += "], \"attachments\": [";
  for (size_t i = 0; i < f.attachments.size(); ++i) {
    j += i ? ", " : "";
    j += "{\"class\": " + JsonQuote(AttachmentClassName(f.attachments[i].attachment_class)) + "}";
  }
  j += "], \"size\": " + std::to_string(f.size) + "}";
  return j;
}

int RunMessageCheck(const CheckCommandContext& ctx) {
  return RunMessageCheckWith(ctx, nullptr, nullptr);
}

int RunMessageCheckWith(const CheckCommandContext& ctx, Resolver* resolver,
                        const PublicSuffixList* psl) {
  int code = 0;
  std::optional<CheckArgs> args = ParseCheckCommandArgs(
      kMessageCheckCommand, ctx,
      {.options = {"list", "dns-server", "bulk-header"}, .positionals = true}, &code);
  if (!args) return code;
  if (args->positionals.size() != 1) {
    return CheckUsageError(kMessageCheckCommand, ctx, "give exactly one FILE");
  }
  ContentOptions options;
  options.bulk_header = args->Get("bulk-header");
  std::vector<DnsblListConfig> lists;
  if (auto error = DomainLists(DnsblCatalogue::BuiltIn(), args->GetAll("list"), {}, &lists)) {
    ctx.err << "check message: " << *error << "\n";
    return 2;
  }
  StatusOr<std::string> message =
      ReadFileCapped(args->positionals[0], options.max_message_bytes + 1);
  if (!message.ok()) {
    ctx.err << "check message: " << message.status().message() << "\n";
    return 2;
  }
  if (message->size() > options.max_message_bytes) {
    ctx.err << "check message: " << args->positionals[0] << " is over " << options.max_message_bytes
            << " bytes\n";
    return 2;
  }
  std::shared_ptr<const PublicSuffixList> owned_psl;
  if (psl == nullptr) {
    StatusOr<std::shared_ptr<const PublicSuffixList>> loaded = LoadSystemPublicSuffixList();
    if (!loaded.ok()) {
      ctx.err << "check message: " << loaded.status().message() << "\n";
      return 2;
    }
    owned_psl = std::move(loaded).value();
    psl = owned_psl.get();
  }
  MessageFindings findings = AnalyzeMessage(*message, *psl, options);

  LinkListing listing;
  if (!findings.link_domains.empty() && !lists.empty()) {
    std::shared_ptr<Resolver> owned;
    if (resolver == nullptr) {
      std::vector<std::string> servers = args->GetAll("dns-server");
      if (servers.empty() && !ctx.config_file.empty()) {
        StatusOr<std::vector<std::string>> from_file = ConfigServers(ctx.config_file);
        if (!from_file.ok()) {
          ctx.err << "check message: " << from_file.status().message() << "\n";
          return 2;
        }
        servers = std::move(from_file).value();
      }
      StatusOr<std::shared_ptr<Resolver>> made = StartDnsEngineForCheck(servers, ctx.resolv_conf);
      if (!made.ok()) {
        ctx.err << "check message: " << made.status().message() << "\n";
        return 2;
      }
      owned = std::move(made).value();
      resolver = owned.get();
    }
    listing = LookUpLinkDomains(resolver, lists, findings.link_domains, kMaxLookups,
                                std::chrono::steady_clock::now() + kCheckDeadline);
    if (listing.unhealthy.size() == lists.size()) {
      ctx.err << "check message: no domain list answered its test points; links were not "
                 "checked\n";
    }
  }
  if (args->json()) {
    ctx.out << MessageCheckJson(findings, listing) << "\n";
  } else {
    PrintText(findings, listing, ctx.out);
  }
  return !listing.listed.empty() || HasContentProblem(findings) ? 1 : 0;
}

const CheckCommand kMessageCheckCommand = {"message", kMessageCheckUsage, kMessageCheckHelp,
                                           RunMessageCheck};

}  // namespace mailrep
