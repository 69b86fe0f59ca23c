#include "collectors/delivery/logs_check_command.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "collectors/delivery/delivery_collector.h"
#include "collectors/delivery/delivery_stats.h"
#include "collectors/delivery/exim_log.h"
#include "collectors/delivery/line_parser.h"
#include "collectors/delivery/log_file_lines.h"
#include "collectors/delivery/log_text.h"
#include "collectors/delivery/message_history.h"
#include "collectors/delivery/opensmtpd_log.h"
#include "collectors/delivery/submitter_table.h"
#include "collectors/delivery/syslog_prefix.h"
#include "exporter/core/check_args.h"
#include "exporter/util/ascii.h"
#include "exporter/util/json_string.h"

namespace mailrep {
namespace {

constexpr size_t kTopDestinations = 10;
// Lines kept to find which --mta would have recognised more.
constexpr size_t kSampleLines = 2000;

struct Args {
  std::vector<std::string> files;
  MtaKind mta = MtaKind::kAuto;
  bool json = false;
  std::string message_id;
  std::string destination;
  std::vector<std::string> postfix_dirs;
  double min_recognised = 10;  // percent of the non-empty lines
  bool by_submitter = false;
};

// The command's view of its parsed arguments, or a usage error's reason.
std::optional<std::string> ReadArgs(const CheckArgs& args, Args* out) {
  out->files = args.positionals;
  out->json = args.json();
  if (args.Has("mta") && !ParseMtaKind(args.Get("mta"), &out->mta)) {
    return "unknown --mta \"" + args.Get("mta") + "\"";
  }
  out->message_id = args.Get("message-id");
  std::string& id = out->message_id;
  if (!id.empty() && id.front() == '<') id.erase(0, 1);
  if (!id.empty() && id.back() == '>') id.pop_back();
  out->destination = AsciiLower(args.Get("destination"));
  if (args.Has("min-recognised")) {
    std::string v = args.Get("min-recognised");
    char* end = nullptr;
    double pct = std::strtod(v.c_str(), &end);
    if (v.empty() || end == nullptr || *end != '\0' || !(pct >= 0 && pct <= 100)) {
      return "--min-recognised must be a percentage from 0 to 100";
    }
    out->min_recognised = pct;
  }
  out->postfix_dirs = args.GetAll("postfix-config");
  if (args.Has("by")) {
    if (args.Get("by") != "submitter") return "--by must be submitter";
    if (args.Has("message-id") || args.Has("destination")) {
      return "--by submitter counts whole files: no --message-id or --destination with it";
    }
    out->by_submitter = true;
  }
  if (out->files.empty()) return "no log file given";
  return std::nullopt;
}

// The queue / message id a line is about: "QID" of "tag[pid]: QID: ...", or
// an Exim mainlog id. Empty when none.
std::string_view LineQueueId(std::string_view line) {
  if (std::optional<SyslogLine> sys = ParseSyslogPrefix(line)) {
    std::string_view m = sys->message;
    size_t colon = m.find(": ");
    if (colon == std::string_view::npos || colon > 32 ||
        m.substr(0, colon).find(' ') != std::string_view::npos) {
      return {};
    }
    return m.substr(0, colon);
  }
  if (LooksLikeEximMainlog(line)) {
    std::string_view rest = line.substr(
        line.find(' ', 11) == std::string_view::npos ? line.size() : line.find(' ', 11) + 1);
    if (!rest.empty() && rest.front() == '[') rest.remove_prefix(rest.find(' ') + 1);
    return rest.substr(0, rest.find(' '));
  }
  return {};
}

bool MatchesDestination(const DeliveryEvent& e, const std::string& d) {
  if (AsciiLower(e.relay_ip) == d) return true;
  std::string host = AsciiLower(e.relay_host);
  std::string domain = MailAddressDomain(e.recipient);
  auto under = [&](const std::string& name) {
    return name == d ||
           (name.size() > d.size() && name.ends_with(d) && name[name.size() - d.size() - 1] == '.');
  };
  return under(host) || under(domain);
}

// "postfix, exim, sendmail, qmail or opensmtpd" (auto) or "qmail".
std::string RecognisedAs(MtaKind kind) {
  if (kind != MtaKind::kAuto) return std::string(MtaKindName(kind));
  return "postfix, exim, sendmail, qmail or opensmtpd";
}

// How many of `sample` a parser for `kind` recognises as its MTA's lines.
size_t CountRecognised(MtaKind kind, const std::vector<std::string>& sample) {
  LineParser parser(kind);
  DeliveryEvent e;
  size_t n = 0;
  for (const std::string& line : sample) {
    parser.Parse(line, &e);
    if (parser.last_mta() != MtaKind::kAuto) ++n;
  }
  return n;
}

// Why the files were not recognised, with an --mta that reads more of them.
std::string NotRecognisedMessage(const Args& args, uint64_t recognised, uint64_t total,
                                 const std::vector<std::string>& sample) {
  if (total == 0) return "check logs: no lines read\n";
  std::string msg = "check logs: " + std::to_string(recognised) + " of " + std::to_string(total) +
                    " lines recognised as " + RecognisedAs(args.mta) + " log lines";
  char pct[64];
  std::snprintf(pct, sizeof(pct), " (%.1f%%, below --min-recognised %g%%)",
                100.0 * static_cast<double>(recognised) / static_cast<double>(total),
                args.min_recognised);
  msg += pct;
  MtaKind best = args.mta;
  size_t best_n = CountRecognised(args.mta, sample);
  for (MtaKind k : {MtaKind::kAuto, MtaKind::kPostfix, MtaKind::kExim, MtaKind::kSendmail,
                    MtaKind::kQmail, MtaKind::kOpenSmtpd}) {
    if (k == args.mta) continue;
    size_t n = CountRecognised(k, sample);
    if (n > best_n) best = k, best_n = n;
  }
  if (best != args.mta) {
    msg += "; try --mta " + std::string(MtaKindName(best)) + " (it recognises " +
           std::to_string(best_n) + " of the first " + std::to_string(sample.size()) + ")";
  } else {
    msg +=
        "; try --mta postfix|exim|sendmail|qmail|opensmtpd, or see the log shapes the "
        "README lists";
  }
  return msg + "\n";
}

// --by submitter: one pass, exact counts per submitter (submitter_table.h).
int RunBySubmitter(const CheckCommandContext& ctx, const Args& args, const SendingIpMap& ips) {
  MessageHistory history({.keep_replies = false, .postfix_ips = &ips});
  for (const std::string& file : args.files) {
    LineParser parser(args.mta);
    DeliveryEvent event;
    MessageTrace trace;
    std::string error;
    bool ok = ForEachLogFileLine(
        file,
        [&](std::string_view line, bool too_long) {
          if (too_long) return;
          LineResult r = parser.Parse(line, &event, &trace);
          history.Add(parser.last_mta(), r, event, trace);
        },
        &error);
    if (!ok) {
      ctx.err << "check logs: " << error << "\n";
      return 2;
    }
  }
  std::vector<SubmitterRow> rows = SubmitterTable(history);
  ctx.out << (args.json ? SubmitterTableJson(rows) + "\n" : SubmitterTableText(rows));
  return 0;
}

}  // namespace

int RunLogsCheck(const CheckCommandContext& ctx) {
  int code = 0;
  std::optional<CheckArgs> parsed = ParseCheckCommandArgs(
      kLogsCheckCommand, ctx,
      {.options = {"mta", "message-id", "destination", "min-recognised", "postfix-config", "by"},
       .positionals = true},
      &code);
  if (!parsed) return code;
  Args args;
  if (std::optional<std::string> why = ReadArgs(*parsed, &args)) {
    return CheckUsageError(kLogsCheckCommand, ctx, *why);
  }
  std::string error;

  // --message-id: first find the queue ids that carry it; a queue id given
  // there matches itself.
  std::set<std::string, std::less<>> queue_ids;
  if (!args.message_id.empty()) {
    queue_ids.insert(args.message_id);
    // An OpenSMTPD evpid names its message, the queue id its deliveries carry.
    queue_ids.emplace(OpenSmtpdMessageOfEnvelope(args.message_id));
    std::string needle = "<" + args.message_id + ">";
    for (const std::string& file : args.files) {
      bool ok = ForEachLogFileLine(
          file,
          [&](std::string_view line, bool) {
            if (line.find(needle) == std::string_view::npos &&
                line.find("id=" + args.message_id) == std::string_view::npos) {
              return;
            }
            std::string_view id = LineQueueId(line);
            if (!id.empty()) queue_ids.emplace(id);
          },
          &error);
      if (!ok) {
        ctx.err << "check logs: " << error << "\n";
        return 2;
      }
    }
  }

  SendingIpMap ips = ReadPostfixSendingIps("", args.postfix_dirs, /*detect=*/false).map;
  for (auto& [tag, ip] : ReadPostfixSendingIps(ctx.rootfs).map) ips.try_emplace(tag, ip);
  if (args.by_submitter) return RunBySubmitter(ctx, args, ips);
  ProviderMap providers;
  DeliveryStats stats(&providers, &RejectionClassifier::Default(), &ips);
  std::map<std::string, uint64_t> rejected_destinations;
  std::vector<std::string> matched_lines;
  bool filtering = !args.message_id.empty() || !args.destination.empty();
  uint64_t total_lines = 0, recognised_lines = 0;
  std::vector<std::string> sample;
  for (const std::string& file : args.files) {
    LineParser parser(args.mta);
    bool ok = ForEachLogFileLine(
        file,
        [&](std::string_view line, bool too_long) {
          DeliveryEvent e;
          LineResult r = too_long ? LineResult::kMalformed : parser.Parse(line, &e);
          stats.AddLine(file, r);
          if (!line.empty() && line != "\r") {
            ++total_lines;
            if (!too_long && parser.last_mta() != MtaKind::kAuto) ++recognised_lines;
            if (sample.size() < kSampleLines && !too_long) sample.emplace_back(line);
          }
          if (filtering && !args.message_id.empty()) {
            std::string_view id = LineQueueId(line);
            bool about = !id.empty() && queue_ids.contains(id);
            if (about && matched_lines.size() < 10000) matched_lines.emplace_back(line);
            if (r == LineResult::kParsed && !queue_ids.contains(e.queue_id)) return;
          }
          if (r == LineResult::kParsed && !args.destination.empty()) {
            if (!MatchesDestination(e, args.destination)) return;
            if (matched_lines.size() < 10000) matched_lines.emplace_back(line);
          }
          if (r != LineResult::kParsed) return;
          ResolvedDelivery d = stats.AddEvent(e);
          if (!d.reason.empty()) {
            std::string dest = MailAddressDomain(e.recipient);
            if (dest.empty()) dest = e.relay_host.empty() ? "unknown" : e.relay_host;
            ++rejected_destinations[dest];
          }
        },
        &error);
    if (!ok) {
      ctx.err << "check logs: " << error << "\n";
      return 2;
    }
  }

  std::vector<std::pair<std::string, uint64_t>> top(rejected_destinations.begin(),
                                                    rejected_destinations.end());
  std::stable_sort(top.begin(), top.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  if (top.size() > kTopDestinations) top.resize(kTopDestinations);
  std::map<std::pair<std::string, std::string>, uint64_t> by_reason;  // (reason, provider)
  bool problem = !stats.cited_blocklists().empty();
  for (const auto& [k, n] : stats.rejections()) {
    by_reason[{std::get<3>(k), std::get<2>(k)}] += n;
    problem = problem || std::get<3>(k) == "blocklist" || std::get<3>(k) == "reputation";
  }

  // Too few lines read as an MTA's: the counts below say little.
  bool unread = total_lines == 0 || static_cast<double>(recognised_lines) * 100 <
                                        args.min_recognised * static_cast<double>(total_lines);
  if (unread) ctx.err << NotRecognisedMessage(args, recognised_lines, total_lines, sample);
  code = problem || unread ? 1 : 0;

  std::ostream& out = ctx.out;
  if (args.json) {
    out << "{\"lines\": {\"parsed\": " << stats.lines(LineResult::kParsed)
        << ", \"ignored\": " << stats.lines(LineResult::kIgnored)
        << ", \"malformed\": " << stats.lines(LineResult::kMalformed)
        << ", \"non_empty\": " << total_lines << ", \"recognised\": " << recognised_lines
        << "}, \"deliveries\": [";
    const char* sep = "";
    for (const auto& [k, n] : stats.deliveries()) {
      out << sep << "{\"mta\": " << JsonQuote(std::get<0>(k))
          << ", \"sending_ip\": " << JsonQuote(std::get<1>(k))
          << ", \"status\": " << JsonQuote(std::get<2>(k))
          << ", \"provider\": " << JsonQuote(std::get<3>(k)) << ", \"count\": " << n << "}";
      sep = ", ";
    }
    out << "], \"rejections\": [";
    sep = "";
    for (const auto& [k, n] : by_reason) {
      out << sep << "{\"reason\": " << JsonQuote(k.first)
          << ", \"provider\": " << JsonQuote(k.second) << ", \"count\": " << n << "}";
      sep = ", ";
    }
    out << "], \"cited_blocklists\": {";
    sep = "";
    for (const auto& [name, n] : stats.cited_blocklists()) {
      out << sep << JsonQuote(name) << ": " << n;
      sep = ", ";
    }
    out << "}, \"top_rejected_destinations\": [";
    sep = "";
    for (const auto& [dest, n] : top) {
      out << sep << "{\"destination\": " << JsonQuote(dest) << ", \"count\": " << n << "}";
      sep = ", ";
    }
    out << "]";
    if (filtering) {
      out << ", \"matched_lines\": [";
      sep = "";
      for (const std::string& l : matched_lines) {
        out << sep << JsonQuote(l);
        sep = ", ";
      }
      out << "]";
    }
    out << "}\n";
    return code;
  }

  out << "Lines: " << stats.lines(LineResult::kParsed) << " parsed, "
      << stats.lines(LineResult::kIgnored) << " ignored, " << stats.lines(LineResult::kMalformed)
      << " malformed\n";
  out << "Recognised: " << recognised_lines << " of " << total_lines << " lines as "
      << RecognisedAs(args.mta) << " log lines\n";
  out << "\nDeliveries (mta, sending IP, status, provider: count)\n";
  if (stats.deliveries().empty()) out << "  none\n";
  for (const auto& [k, n] : stats.deliveries()) {
    out << "  " << std::get<0>(k) << "  " << std::get<1>(k) << "  " << std::get<2>(k) << "  "
        << std::get<3>(k) << ": " << n << "\n";
  }
  out << "\nRejections (reason, provider: count)\n";
  if (by_reason.empty()) out << "  none\n";
  for (const auto& [k, n] : by_reason)
    out << "  " << k.first << "  " << k.second << ": " << n << "\n";
  out << "\nCited blocklists\n";
  if (stats.cited_blocklists().empty()) out << "  none\n";
  for (const auto& [name, n] : stats.cited_blocklists()) out << "  " << name << ": " << n << "\n";
  out << "\nTop rejected destinations\n";
  if (top.empty()) out << "  none\n";
  for (const auto& [dest, n] : top) out << "  " << dest << ": " << n << "\n";
  if (filtering) {
    out << "\nMatching lines\n";
    if (matched_lines.empty()) out << "  none\n";
    for (const std::string& l : matched_lines) out << "  " << l << "\n";
  }
  return code;
}

const CheckCommand kLogsCheckCommand = {"logs", kLogsCheckUsage, kLogsCheckHelp, RunLogsCheck};

}  // namespace mailrep
