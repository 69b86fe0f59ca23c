#include "collectors/delivery/trace_check_command.h"

#include <ctime>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "collectors/delivery/delivery_collector.h"
#include "collectors/delivery/handoff_reply.h"
#include "collectors/delivery/line_parser.h"
#include "collectors/delivery/log_file_lines.h"
#include "collectors/delivery/message_history.h"
#include "collectors/delivery/trace_report.h"
#include "collectors/host/mta_detection.h"
#include "collectors/queue/queued_message_lookup.h"
#include "exporter/config/config_node.h"
#include "exporter/core/check_args.h"
#include "exporter/util/read_file.h"

namespace mailrep {
namespace {

// Passes over the logs at most (each adds the queue ids the last one found).
constexpr int kMaxPasses = 4;

using IdSet = std::set<std::string, std::less<>>;

struct LogFile {
  std::string path;  // as opened
  MtaKind mta = MtaKind::kAuto;
};

struct Args {
  std::string id;
  std::vector<LogFile> files;
  MtaKind mta = MtaKind::kAuto;  // --mta
  std::string queue_dir;         // as opened; "" = detect
  std::vector<std::string> postfix_dirs;
  bool show_recipients = false;
  bool json = false;
};

// What the config file contributes (read leniently: `check config`
// validates): the delivery collector's file sources (journal sources are not
// read here) and Postfix config directories, and the queue collectors' first
// instance directories.
struct FileSettings {
  std::vector<LogFile> sources;  // paths as configured (under the root)
  std::vector<std::string> postfix_dirs;
  std::string postfix_queue, exim_spool;  // as configured; "" = none
};

StatusOr<FileSettings> ReadConfigFile(const std::string& path) {
  FileSettings out;
  StatusOr<std::string> text = ReadFileCapped(path, ConfigNode::kMaxInputBytes + 1);
  if (!text.ok()) return Status::IoError("cannot read config file " + text.status().message());
  StatusOr<ConfigNode> root = ConfigNode::Parse(*text, path);
  if (!root.ok()) return root.status();
  std::optional<ConfigNode> collectors = root->GetMap("collectors");
  if (!collectors) return out;
  if (std::optional<ConfigNode> delivery = collectors->GetMap("delivery")) {
    for (ConfigNode& item : delivery->GetMapList("sources")) {
      LogFile f{.path = item.GetString("path")};
      if (f.path.empty() || !ParseMtaKind(item.GetString("mta", "auto"), &f.mta)) continue;
      out.sources.push_back(std::move(f));
    }
    out.postfix_dirs = delivery->GetStringList("postfix_config_directories");
  }
  auto first_instance = [&](const char* collector, const char* key) -> std::string {
    std::optional<ConfigNode> c = collectors->GetMap(collector);
    if (!c) return "";
    std::vector<ConfigNode> instances = c->GetMapList("instances");
    return instances.empty() ? "" : instances.front().GetString(key);
  };
  out.postfix_queue = first_instance("postfix_queue", "queue_directory");
  out.exim_spool = first_instance("exim_queue", "spool_directory");
  return out;
}

std::optional<std::string> ReadArgs(const CheckArgs& args, const std::string& root,
                                    const FileSettings& file, Args* out) {
  if (args.positionals.empty()) return "a MESSAGE-ID or QUEUE-ID is required";
  if (args.positionals.size() > 1) return "only one ID, got \"" + args.positionals[1] + "\" too";
  out->id.assign(StripAngleBrackets(args.positionals[0]));
  if (out->id.empty()) return "the ID is empty";
  if (args.Has("mta") && !ParseMtaKind(args.Get("mta"), &out->mta)) {
    return "unknown --mta \"" + args.Get("mta") + "\"";
  }
  // --logs, else the configured sources, else the detected MTAs' usual files.
  for (const std::string& path : args.GetAll("logs")) out->files.push_back({path, out->mta});
  if (out->files.empty()) {
    for (const LogFile& f : file.sources) {
      out->files.push_back({root + f.path, out->mta == MtaKind::kAuto ? f.mta : out->mta});
    }
  }
  if (out->files.empty()) {
    for (const std::string& path : DefaultDeliveryLogPaths(root)) {
      out->files.push_back({root + path, out->mta});
    }
  }
  out->queue_dir = args.Get("queue-dir");
  out->postfix_dirs = args.GetAll("postfix-config");
  if (out->postfix_dirs.empty()) out->postfix_dirs = file.postfix_dirs;
  out->show_recipients = args.Has("show-recipients");
  out->json = args.json();
  return std::nullopt;
}

// One pass over every file: the history of the queue ids in `wanted` (as at
// the start of the pass), and every queue id and Message-ID found to belong
// to the message added to `queue_ids` and `message_ids`.
bool ReadPass(const Args& args, const IdSet& wanted, IdSet* queue_ids, IdSet* message_ids,
              MessageHistory* history, std::string* error) {
  for (const LogFile& file : args.files) {
    LineParser parser(file.mta);
    DeliveryEvent event;
    MessageTrace trace;
    bool ok = ForEachLogFileLine(
        file.path,
        [&](std::string_view line, bool too_long) {
          if (too_long) return;
          LineResult r = parser.Parse(line, &event, &trace);
          std::string_view queue_id;
          if (r == LineResult::kParsed) {
            queue_id = event.queue_id;
            // A hand-off links two queue ids of the message, either way.
            std::string_view to = event.status == DeliveryStatus::kSent
                                      ? HandoffQueueId(event.reply)
                                      : std::string_view();
            if (!to.empty() && queue_ids->contains(queue_id)) queue_ids->emplace(to);
            if (!to.empty() && queue_ids->contains(to)) queue_ids->emplace(queue_id);
          } else if (!trace.empty()) {
            queue_id = trace.queue_id;
            if (!trace.message_id.empty()) {
              std::string_view mid = StripAngleBrackets(trace.message_id);
              if (message_ids->contains(mid)) queue_ids->emplace(queue_id);
              if (queue_ids->contains(queue_id)) message_ids->emplace(mid);
            }
          }
          if (!queue_id.empty() && wanted.contains(queue_id)) {
            history->Add(parser.last_mta(), r, event, trace);
          }
        },
        error);
    if (!ok) return false;
  }
  return true;
}

// The queue directory to look in and the MTA whose it is; "" when none.
std::string QueueDirectory(const Args& args, const FileSettings& file, const std::string& root,
                           MtaKind* mta) {
  if (!args.queue_dir.empty()) return args.queue_dir;
  if (*mta != MtaKind::kExim && !file.postfix_queue.empty()) {
    *mta = MtaKind::kPostfix;
    return root + file.postfix_queue;
  }
  if (*mta != MtaKind::kPostfix && !file.exim_spool.empty()) {
    *mta = MtaKind::kExim;
    return root + file.exim_spool;
  }
  for (const DetectedMta& m : DetectMtas(root)) {
    MtaKind kind;
    if (!ParseMtaKind(m.mta, &kind) || m.queue_directory.empty()) continue;
    if (*mta != MtaKind::kAuto && kind != *mta) continue;
    if (kind != MtaKind::kPostfix && kind != MtaKind::kExim) continue;
    *mta = kind;
    return root + m.queue_directory;
  }
  return "";
}

}  // namespace

int RunTraceCheckAt(const CheckCommandContext& ctx, int64_t now) {
  int code = 0;
  std::optional<CheckArgs> parsed =
      ParseCheckCommandArgs(kTraceCheckCommand, ctx,
                            {.options = {"logs", "mta", "queue-dir", "postfix-config"},
                             .positionals = true,
                             .flags = {"show-recipients"}},
                            &code);
  if (!parsed) return code;
  FileSettings file;
  if (!ctx.config_file.empty()) {
    StatusOr<FileSettings> read = ReadConfigFile(ctx.config_file);
    if (!read.ok()) {
      ctx.err << "check trace: " << read.status().message() << "\n";
      return 2;
    }
    file = std::move(read).value();
  }
  Args args;
  if (std::optional<std::string> why = ReadArgs(*parsed, ctx.rootfs, file, &args)) {
    return CheckUsageError(kTraceCheckCommand, ctx, *why);
  }
  if (args.files.empty() && args.queue_dir.empty()) {
    ctx.err << "check trace: no log file given (--logs) or found\n";
  }

  // As check logs: the --postfix-config directories as given, then the
  // instances detected under the root.
  SendingIpMap ips = ReadPostfixSendingIps("", args.postfix_dirs, /*detect=*/false).map;
  for (auto& [tag, ip] : ReadPostfixSendingIps(ctx.rootfs).map) ips.try_emplace(tag, ip);
  IdSet queue_ids = {args.id};
  IdSet message_ids = {args.id};
  std::optional<MessageHistory> history;
  for (int pass = 0; pass < kMaxPasses; ++pass) {
    IdSet wanted = queue_ids;
    size_t message_id_count = message_ids.size();
    history.emplace(MessageHistory::Options{.keep_replies = true, .postfix_ips = &ips});
    std::string error;
    if (!ReadPass(args, wanted, &queue_ids, &message_ids, &*history, &error)) {
      ctx.err << "check trace: " << error << "\n";
      return 2;
    }
    if (queue_ids == wanted && message_ids.size() == message_id_count) break;
  }

  // The queue: which MTA's, then each queue id of the message.
  MtaKind mta = args.mta;
  if (mta == MtaKind::kAuto) {
    for (const std::string& q : queue_ids) {
      const LoggedMessage* m = history->Find(q);
      if (m != nullptr && m->has_lines && m->mta != MtaKind::kAuto) {
        mta = m->mta;
        break;
      }
    }
  }
  if (mta == MtaKind::kAuto && !args.queue_dir.empty()) mta = MtaKind::kPostfix;
  std::string queue_dir = QueueDirectory(args, file, ctx.rootfs, &mta);
  std::optional<QueuedMessage> queued;
  std::string queued_id;
  if (!queue_dir.empty() && (mta == MtaKind::kPostfix || mta == MtaKind::kExim)) {
    for (const std::string& q : queue_ids) {
      StatusOr<std::optional<QueuedMessage>> found = mta == MtaKind::kPostfix
                                                         ? FindPostfixQueuedMessage(queue_dir, q)
                                                         : FindEximQueuedMessage(queue_dir, q);
      if (!found.ok()) {
        ctx.err << "check trace: queue not read: " << found.status().message() << "\n";
        break;
      }
      if (*found) {
        queued = std::move(*found);
        queued_id = q;
      }
    }
  }

  std::vector<std::string> ids(queue_ids.begin(), queue_ids.end());
  TraceReport report = BuildTraceReport(args.id, *history, ids, queued, queued_id);
  if (args.json) {
    ctx.out << TraceReportJson(report, args.show_recipients) << "\n";
  } else if (report.found()) {
    ctx.out << TraceReportText(report, args.show_recipients, now);
  } else {
    ctx.out << "Message " << args.id << ": not found in " << args.files.size() << " log file"
            << (args.files.size() == 1 ? "" : "s")
            << (queue_dir.empty() ? "" : " or in the queue " + queue_dir) << "\n";
  }
  return report.found() ? 0 : 1;
}

int RunTraceCheck(const CheckCommandContext& ctx) {
  return RunTraceCheckAt(ctx, static_cast<int64_t>(std::time(nullptr)));
}

const CheckCommand kTraceCheckCommand = {"trace", kTraceCheckUsage, kTraceCheckHelp, RunTraceCheck};

}  // namespace mailrep
