#include "collectors/queue/queue_check_command.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "collectors/host/mta_detection.h"
#include "collectors/queue/queue_by_table.h"
#include "collectors/queue/queue_metrics.h"
#include "collectors/queue/queue_source.h"
#include "exporter/core/check_args.h"
#include "exporter/util/json_string.h"

namespace mailrep {
namespace {

constexpr int kTopDestinations = 10;

struct Target {
  const QueueMta* mta;
  std::string instance;
  std::string directory;  // as opened
};

struct Result {
  const Target* target;
  QueueScan scan;
};

// What --by asks for.
struct ByRequest {
  QueueBy by = QueueBy::kSender;
  size_t top = 0;
  std::optional<SubmitterLabeling> hash;  // --hash-key
};

std::string KnownMtas() {
  std::string names;
  for (const QueueMta& mta : AllQueueMtas()) {
    names += (names.empty() ? "" : ", ") + std::string(mta.mta);
  }
  return names;
}

int64_t Age(const std::optional<int64_t>& oldest, int64_t now) {
  return oldest ? std::max<int64_t>(0, now - *oldest) : 0;
}
int64_t Age(const QueueStats& q, int64_t now) { return Age(q.oldest_arrival, now); }

// "45s", "3m20s", "1h05m", "2d03h"; "-" for none.
std::string HumanAge(const std::optional<int64_t>& oldest, int64_t now) {
  if (!oldest) return "-";
  int64_t s = Age(oldest, now);
  char buf[32];
  if (s < 60) {
    std::snprintf(buf, sizeof(buf), "%llds", static_cast<long long>(s));
  } else if (s < 3600) {
    std::snprintf(buf, sizeof(buf), "%lldm%02llds", static_cast<long long>(s / 60),
                  static_cast<long long>(s % 60));
  } else if (s < 86400) {
    std::snprintf(buf, sizeof(buf), "%lldh%02lldm", static_cast<long long>(s / 3600),
                  static_cast<long long>(s % 3600 / 60));
  } else {
    std::snprintf(buf, sizeof(buf), "%lldd%02lldh", static_cast<long long>(s / 86400),
                  static_cast<long long>(s % 86400 / 3600));
  }
  return buf;
}

// The one formatter of every table `check queue` prints: the first column
// left-aligned, the others right-aligned, each as wide as its widest cell (at
// least `min_widths`), columns one space apart, every line after `indent`.
std::string AlignedTable(const std::vector<std::vector<std::string>>& rows,
                         std::vector<size_t> min_widths, std::string_view indent) {
  std::vector<size_t> widths = std::move(min_widths);
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  }
  std::string out;
  for (const auto& row : rows) {
    out += indent;
    for (size_t c = 0; c < row.size(); ++c) {
      std::string pad(widths[c] - row[c].size(), ' ');
      if (c > 0) out += ' ';
      out += c == 0 ? row[c] + pad : pad + row[c];
    }
    out += '\n';
  }
  return out;
}

void PrintText(const Result& r, int64_t now, std::ostream& out) {
  const QueueMta& mta = *r.target->mta;
  out << mta.mta << " instance " << r.target->instance << ": " << r.target->directory
      << " (read from " << r.scan.source << ")\n";
  std::vector<std::vector<std::string>> queues = {
      {"queue", "messages", "recipients", "bytes", "oldest"}};
  for (size_t q = 0; q < mta.queue_names.size() && q < r.scan.queues.size(); ++q) {
    const QueueStats& s = r.scan.queues[q];
    queues.push_back({std::string(mta.queue_names[q]), std::to_string(s.messages),
                      std::to_string(s.recipients), std::to_string(s.bytes),
                      HumanAge(s.oldest_arrival, now)});
  }
  out << AlignedTable(queues, {10, 10, 11, 14, 8}, "  ");
  // Messages, as the metric counts them: once under each distinct domain of a
  // deferred message's pending recipients (qshape counts recipients instead).
  out << "  deferred messages by destination (" << mta.deferred_queue
      << " queue; a message counts once per recipient domain):\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& [domain, n] :
       TopDestinations(r.scan.deferred_by_destination, kTopDestinations)) {
    if (domain == "other" && n == 0) continue;
    rows.push_back({domain, std::to_string(n)});
  }
  out << (rows.empty() ? "    (none)\n" : AlignedTable(rows, {40, 8}, "    "));
  out << "  deferred messages by reason (" << mta.deferred_queue
      << " queue; a message counts once per reason):\n";
  rows.clear();
  for (ReplyReason reason : kAllReplyReasons) {
    uint64_t n = r.scan.deferred_by_reason[static_cast<size_t>(reason)];
    if (n > 0) rows.push_back({std::string(ReplyReasonName(reason)), std::to_string(n)});
  }
  out << (rows.empty() ? "    (none recorded)\n" : AlignedTable(rows, {40, 8}, "    "));
  if (r.scan.problems.Total() > 0) {
    out << "  skipped:";
    const char* sep = " ";
    for (size_t k = 0; k < kNumSpoolProblems; ++k) {
      auto kind = static_cast<SpoolProblem>(k);
      if (r.scan.problems.Get(kind) == 0) continue;
      out << sep << r.scan.problems.Get(kind) << " " << SpoolProblemName(kind);
      sep = ", ";
    }
    out << "\n";
  }
}

std::string Json(const Result& r, int64_t now) {
  const QueueMta& mta = *r.target->mta;
  std::string j = "{\"mta\": ";
  AppendJsonString(&j, mta.mta);
  j += ", \"instance\": ";
  AppendJsonString(&j, r.target->instance);
  j += ", \"queues\": {";
  for (size_t q = 0; q < mta.queue_names.size() && q < r.scan.queues.size(); ++q) {
    const QueueStats& s = r.scan.queues[q];
    if (q > 0) j += ", ";
    AppendJsonString(&j, mta.queue_names[q]);
    j += ": {\"messages\": " + std::to_string(s.messages) +
         ", \"recipients\": " + std::to_string(s.recipients) +
         ", \"bytes\": " + std::to_string(s.bytes) +
         ", \"oldest_age_seconds\": " + std::to_string(Age(s, now)) + "}";
  }
  j += "}, \"deferred_by_destination\": {";
  bool first = true;
  for (const auto& [domain, n] :
       TopDestinations(r.scan.deferred_by_destination, kTopDestinations)) {
    if (!first) j += ", ";
    first = false;
    AppendJsonString(&j, domain);
    j += ": " + std::to_string(n);
  }
  j += "}, \"deferred_by_reason\": {";
  first = true;
  for (ReplyReason reason : kAllReplyReasons) {
    if (!first) j += ", ";
    first = false;
    AppendJsonString(&j, ReplyReasonName(reason));
    j += ": " + std::to_string(r.scan.deferred_by_reason[static_cast<size_t>(reason)]);
  }
  j += "}}";
  return j;
}

std::string ByHeader(const Result& r, const ByRequest& req) {
  const QueueMta& mta = *r.target->mta;
  std::string h = std::string(mta.mta) + " instance " + r.target->instance + ": " +
                  r.target->directory + " (read from " + std::string(r.scan.source) + "), by " +
                  std::string(QueueByName(req.by));
  if (!mta.whole_queue.empty())
    h += " (messages of the " + std::string(mta.whole_queue) + " queue)";
  return h + "\n";
}

void PrintByText(const Result& r, const ByRequest& req, int64_t now, std::ostream& out) {
  const QueueMta& mta = *r.target->mta;
  out << ByHeader(r, req);
  bool submitter = req.by == QueueBy::kSubmitter;
  std::vector<std::string> header = {std::string(QueueByName(req.by))};
  if (submitter) header.push_back("kind");
  if (submitter && req.hash) header.push_back("label");
  for (const char* c : {"messages", "recipients"}) header.push_back(c);
  header.push_back(std::string(mta.deferred_queue));
  if (!mta.held_queue.empty()) header.push_back(std::string(mta.held_queue));
  header.push_back("oldest");
  std::vector<std::vector<std::string>> rows = {header};
  for (const QueueByRow& row : QueueByRows(mta, r.scan, req.by, req.top)) {
    std::vector<std::string> cells = {row.key};
    if (submitter) cells.push_back(std::string(SubmitterKindName(row.kind)));
    if (submitter && req.hash) cells.push_back(SubmitterLabel(*req.hash, row.kind, row.key));
    cells.push_back(std::to_string(row.messages));
    cells.push_back(std::to_string(row.recipients));
    cells.push_back(std::to_string(row.deferred));
    if (!mta.held_queue.empty()) cells.push_back(std::to_string(row.held));
    cells.push_back(HumanAge(row.oldest_arrival, now));
    rows.push_back(std::move(cells));
  }
  if (rows.size() == 1) {
    out << "  (no messages)\n";
    return;
  }
  out << AlignedTable(rows, {}, "  ");
}

std::string ByJson(const Result& r, const ByRequest& req, int64_t now) {
  const QueueMta& mta = *r.target->mta;
  std::string j = "{\"mta\": ";
  AppendJsonString(&j, mta.mta);
  j += ", \"instance\": ";
  AppendJsonString(&j, r.target->instance);
  j += ", \"by\": ";
  AppendJsonString(&j, QueueByName(req.by));
  j += ", \"rows\": [";
  bool first = true;
  for (const QueueByRow& row : QueueByRows(mta, r.scan, req.by, req.top)) {
    j += first ? "" : ", ";
    first = false;
    j += "{\"key\": ";
    AppendJsonString(&j, row.key);
    if (req.by == QueueBy::kSubmitter) {
      j += ", \"kind\": ";
      AppendJsonString(&j, SubmitterKindName(row.kind));
      if (req.hash) {
        j += ", \"label\": ";
        AppendJsonString(&j, SubmitterLabel(*req.hash, row.kind, row.key));
      }
    }
    j += ", \"messages\": " + std::to_string(row.messages) +
         ", \"recipients\": " + std::to_string(row.recipients) +
         ", \"deferred\": " + std::to_string(row.deferred) +
         ", \"held\": " + std::to_string(row.held) +
         ", \"oldest_age_seconds\": " + std::to_string(Age(row.oldest_arrival, now)) + "}";
  }
  j += "]}";
  return j;
}

// The --by request, or an error message.
bool ParseBy(const CheckArgs& args, std::optional<ByRequest>* request, std::string* error) {
  if (!args.Has("by")) {
    if (args.Has("top") || args.Has("hash-key")) {
      *error = "--top and --hash-key need --by";
      return false;
    }
    return true;
  }
  std::optional<QueueBy> by = ParseQueueBy(args.Get("by"));
  if (!by) {
    *error = "--by must be sender, submitter or destination";
    return false;
  }
  ByRequest req;
  req.by = *by;
  if (args.Has("top")) {
    std::string text = args.Get("top");
    uint64_t top = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), top);
    if (ec != std::errc() || end != text.data() + text.size() || top == 0 || top > 1000000) {
      *error = "--top must be a number from 1 to 1000000";
      return false;
    }
    req.top = static_cast<size_t>(top);
  }
  if (args.Has("hash-key")) {
    req.hash = SubmitterLabeling{SubmitterLabels::kHash, args.Get("hash-key")};
  }
  *request = req;
  return true;
}

// The instances to scan, or an error message.
bool ChooseTargets(const CheckArgs& args, const std::string& rootfs, std::vector<Target>* targets,
                   std::string* error) {
  const QueueMta* only = nullptr;
  if (args.Has("mta")) {
    only = FindQueueMta(args.Get("mta"));
    if (only == nullptr) {
      *error = "no queue reader for --mta \"" + args.Get("mta") + "\" (known: " + KnownMtas() + ")";
      return false;
    }
  }
  if (args.Has("spool")) {
    if (only == nullptr) {
      *error = "--spool needs --mta";
      return false;
    }
    targets->push_back({only, "default", args.Get("spool")});
    return true;
  }
  for (const DetectedMta& detected : DetectMtas(rootfs)) {
    const QueueMta* mta = FindQueueMta(detected.mta);
    if (mta == nullptr || (only != nullptr && mta != only)) continue;
    targets->push_back({mta, detected.instance, rootfs + detected.queue_directory});
  }
  if (targets->empty() && only != nullptr) {
    targets->push_back({only, "default", rootfs + std::string(only->example_directory)});
  }
  if (targets->empty()) {
    *error = "no MTA queue found" + (rootfs.empty() ? "" : " under " + rootfs) +
             "; give --mta and --spool DIR";
    return false;
  }
  return true;
}

}  // namespace

int RunQueueCheckAt(const CheckCommandContext& ctx, int64_t now) {
  int code = 0;
  std::optional<CheckArgs> args = ParseCheckCommandArgs(
      kQueueCheckCommand, ctx, {.options = {"mta", "spool", "by", "top", "hash-key"}}, &code);
  if (!args) return code;
  std::optional<ByRequest> by;
  if (std::string error; !ParseBy(*args, &by, &error)) {
    return CheckUsageError(kQueueCheckCommand, ctx, error);
  }
  std::vector<Target> targets;
  if (std::string error; !ChooseTargets(*args, ctx.rootfs, &targets, &error)) {
    return CheckUsageError(kQueueCheckCommand, ctx, error);
  }
  bool json = args->json();

  QueueScanOptions options;
  options.threads = 2;
  options.composition = by.has_value();
  std::vector<Result> results;
  bool failed = false;
  for (const Target& target : targets) {
    StatusOr<QueueScan> scan = target.mta->new_scanner(target.directory, options)->Scan({});
    if (!scan.ok()) {
      ctx.err << "check queue: " << target.mta->mta << " instance " << target.instance << ": "
              << scan.status().ToString() << "\n";
      failed = true;
      continue;
    }
    results.push_back({&target, std::move(scan).value()});
  }

  if (json) {
    bool array = targets.size() > 1;
    std::string j = array ? "[" : "";
    for (size_t i = 0; i < results.size(); ++i) {
      if (i > 0) j += ",\n ";
      j += by ? ByJson(results[i], *by, now) : Json(results[i], now);
    }
    if (array) j += "]";
    if (!j.empty()) ctx.out << j << "\n";
  } else {
    for (size_t i = 0; i < results.size(); ++i) {
      if (i > 0) ctx.out << "\n";
      if (by) {
        PrintByText(results[i], *by, now, ctx.out);
      } else {
        PrintText(results[i], now, ctx.out);
      }
    }
  }
  return failed ? 2 : 0;
}

int RunQueueCheck(const CheckCommandContext& ctx) {
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  return RunQueueCheckAt(ctx, now);
}

const CheckCommand kQueueCheckCommand = {"queue", kQueueCheckUsage, kQueueCheckHelp, RunQueueCheck};

}  // namespace mailrep
