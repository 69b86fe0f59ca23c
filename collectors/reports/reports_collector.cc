#include "collectors/reports/reports_collector.h"

#include <algorithm>
#include <cstdio>

#include "collectors/reports/atomic_file.h"
#include "collectors/reports/report_directory.h"
#include "collectors/reports/report_invalid_reason.h"
#include "collectors/reports/report_read_ahead.h"
#include "collectors/reports/reports_metrics.h"
#include "collectors/reports/tlsrpt_intake_options.h"
#include "exporter/core/log.h"
#include "exporter/util/read_file.h"

namespace mailrep {
namespace {

// Stop taking new files this long before the run's deadline (the rest wait):
// 2 s, or a quarter of the run's time when that is shorter, so a short
// collector timeout still reads files instead of none.
constexpr auto kDeadlineMargin = std::chrono::seconds(2);

std::chrono::steady_clock::duration DeadlineMargin(std::chrono::steady_clock::time_point deadline) {
  auto left = deadline - std::chrono::steady_clock::now();
  if (left <= std::chrono::steady_clock::duration::zero()) return {};
  return std::min<std::chrono::steady_clock::duration>(kDeadlineMargin, left / 4);
}

struct ReportIdentity {
  std::string reporter, id;
  std::optional<int64_t> end;
};

ReportIdentity IdentityOf(const ParsedReport& parsed) {
  if (const auto* d = std::get_if<DmarcAggregateReport>(&parsed.report)) {
    return {d->header.reporter, d->header.report_id,
            d->header.end > 0 ? std::optional<int64_t>(d->header.end) : std::nullopt};
  }
  if (const auto* t = std::get_if<TlsrptReport>(&parsed.report)) {
    return {t->reporter, t->report_id, t->end};
  }
  const auto& a = std::get<ArfReport>(parsed.report);
  // A complaint has no report id: the original message and its arrival name it.
  std::string id;
  if (a.original_message_id || a.arrival_date) {
    id = a.original_message_id.value_or("") + " " + a.arrival_date.value_or("");
  }
  return {a.reporting_mta.value_or(a.user_agent), id, std::nullopt};
}

std::string_view ReceiverOf(const ParsedReport& parsed, const ReportLabels& labels) {
  if (const auto* d = std::get_if<DmarcAggregateReport>(&parsed.report)) {
    return labels.Receiver({d->header.reporter, d->header.reporter_email});
  }
  if (const auto* t = std::get_if<TlsrptReport>(&parsed.report)) {
    return labels.Receiver({t->reporter, t->contact});
  }
  const auto& a = std::get<ArfReport>(parsed.report);
  return labels.Receiver({a.reporting_mta.value_or("")});
}

}  // namespace

ReportsCollector::ReportsCollector(std::string root, ReportsOptions options,
                                   std::shared_ptr<SeenSendingIps> seen,
                                   std::shared_ptr<const Clock> clock,
                                   std::shared_ptr<const MessageIdIndex> message_ids)
    : root_(std::move(root)),
      options_(std::move(options)),
      seen_(std::move(seen)),
      clock_(std::move(clock)),
      message_ids_(std::move(message_ids)),
      labels_(options_.labels),
      state_(options_.state_limits),
      source_problems_(options_.sources.size()) {
  for (const ImapSourceConfig& imap : options_.imap_sources) {
    imap_sources_.emplace_back(imap, options_.imap_connect);
  }
}

void ReportsCollector::LoadState() {
  state_loaded_ = true;
  StatusOr<ReportState> loaded = ReportState::Load(options_.state_file, options_.state_limits);
  if (loaded.ok()) {
    state_ = std::move(*loaded);
    return;
  }
  stats_.CountStateError("load");
  std::string aside = options_.state_file + ".corrupt";
  bool moved = loaded.status().code() == Status::Code::kInvalidArgument &&
               std::rename(options_.state_file.c_str(), aside.c_str()) == 0;
  LogWarn(
      "Cannot load the reports state; starting afresh (reports still in the sources are "
      "counted again)",
      {{"path", options_.state_file},
       {"err", loaded.status().message()},
       {"set_aside", moved ? aside : ""}});
  state_ = ReportState(options_.state_limits);
}

void ReportsCollector::SaveState() {
  if (!state_.dirty()) return;
  if (Status s = state_.Save(options_.state_file); !s.ok()) {
    stats_.CountStateError("save");
    LogWarn("Cannot save the reports state", {{"err", s.message()}});
  }
}

void ReportsCollector::Quarantine(const std::string& path, std::string_view bytes) {
  if (options_.quarantine_dir.empty()) return;
  std::string name = path.substr(path.rfind('/') + 1);
  Status s = WriteFileAtomically(options_.quarantine_dir + "/" + name, bytes);
  if (!s.ok()) LogWarn("Cannot quarantine a report", {{"err", s.message()}});
}

bool ReportsCollector::ReadOne(const std::string& path, ReportFileRead read, int64_t now) {
  const StatusOr<std::string>& bytes = read.bytes;
  if (!bytes.ok()) {
    // Gone or unreadable since the listing: the next run tries again.
    LogWarn("Cannot read a report file", {{"path", path}, {"err", bytes.status().message()}});
    return false;
  }
  CountParsed(path, *bytes, *read.parsed, now);
  return true;
}

void ReportsCollector::CountTooLarge(const std::string& name) {
  std::string_view reason = ReportInvalidReasonName(ReportInvalidReason::kTooLarge);
  stats_.CountRead("unknown", "invalid");
  stats_.CountInvalid(reason);
  LogInfo("Invalid report", {{"path", name}, {"reason", reason}});
}

void ReportsCollector::CountBytes(const std::string& name, std::string_view bytes, int64_t now) {
  StatusOr<ParsedReport> parsed = ReadReport(bytes, options_.limits);
  CountParsed(name, bytes, parsed, now);
}

void ReportsCollector::CountParsed(const std::string& name, std::string_view bytes,
                                   const StatusOr<ParsedReport>& parsed, int64_t now) {
  if (!parsed.ok()) {
    std::string_view reason = ReportInvalidReasonName(InvalidReportReason(parsed.status()));
    stats_.CountRead("unknown", "invalid");
    stats_.CountInvalid(reason);
    LogInfo("Invalid report", {{"path", name}, {"reason", reason}});
    Quarantine(name, bytes);
    return;
  }
  std::string kind(ReportKindName(parsed->kind()));
  ReportIdentity identity = IdentityOf(*parsed);
  if (!identity.id.empty() &&
      !state_.AddReport(kind, identity.reporter, identity.id, identity.end.value_or(now))) {
    stats_.CountRead(kind, "duplicate");
    return;
  }
  std::string_view receiver = ReceiverOf(*parsed, labels_);
  stats_.CountRead(kind, "ok");
  stats_.CountReport(*parsed, receiver, labels_, message_ids_.get(), now);
  int64_t when = identity.end && *identity.end <= now ? *identity.end : now;
  state_.NoteReceived(kind, std::string(receiver), when);
}

Status ReportsCollector::Collect(const CollectContext& ctx, MetricSet* out) {
  const auto margin = DeadlineMargin(ctx.deadline);
  if (!state_loaded_) LoadState();
  int64_t now = clock_->UnixSeconds();
  if (seen_) {
    std::vector<IpAddress> ips;
    for (const SeenSendingIps::Entry& e : seen_->Recent(now, options_.seen_window)) {
      ips.push_back(e.address);
    }
    labels_.SetSeenIps(ips);
  }
  // The first max_reports_per_run new or changed files; the rest only counted
  // (a listing of 100,000 files is not held).
  std::vector<ReportFile> todo;
  size_t unread = 0;
  std::vector<uint64_t> present;  // Fingerprint()s of every file listed
  bool all_listed = true;
  for (size_t i = 0; i < options_.sources.size(); ++i) {
    ReportListFilter filter;
    filter.keep = [&](const ReportFile& f) {
      present.push_back(ReportState::Fingerprint(f.path));
      return !state_.FileUnchanged(f.path, f.size, f.mtime_ns);
    };
    filter.max_kept = options_.max_reports_per_run - todo.size();
    StatusOr<ReportDirectory> listing = ListReportFiles(SourceDir(i), filter);
    std::string problem = listing.ok() ? "" : listing.status().message();
    if (problem != source_problems_[i]) {
      if (problem.empty()) {
        LogInfo("Report source readable", {{"source", options_.sources[i]}});
      } else {
        LogWarn("Report source not readable", {{"source", options_.sources[i]}, {"err", problem}});
      }
      source_problems_[i] = problem;
    }
    if (!listing.ok()) {
      all_listed = false;
      continue;
    }
    unread += listing->kept;
    for (ReportFile& f : listing->files) todo.push_back(std::move(f));
  }
  size_t done = 0;
  Status status = Status::OK();
  std::vector<std::string> paths;
  paths.reserve(todo.size());
  for (const ReportFile& f : todo) paths.push_back(f.path);
  {
    ReportReadAhead reader(paths, options_.limits, ReportReadAhead::DefaultThreads());
    for (const ReportFile& f : todo) {
      if (done == options_.max_reports_per_run) break;
      if (ctx.stop.stop_requested()) {
        status = Status::Cancelled("reports: stopped");
        break;
      }
      if (std::chrono::steady_clock::now() + margin > ctx.deadline) break;
      if (ReadOne(f.path, reader.Take(done), now)) state_.NoteFile(f.path, f.size, f.mtime_ns);
      ++done;
    }
  }  // the read-ahead helpers stop here
  // Mailboxes, from the budget the files left.
  size_t backlog = unread - done;
  if (status.ok()) {
    for (ImapReportSource& imap : imap_sources_) {
      ImapReportSource::Context run;
      run.budget = options_.max_reports_per_run - std::min(done, options_.max_reports_per_run);
      run.fetch_until = ctx.deadline - margin;
      // Requests end before the run's own timeout, so a slow server is a
      // counted source error (timeout) and the run still succeeds.
      run.deadline = ctx.deadline - margin / 2;
      run.stop = ctx.stop;
      run.now = now;
      run.state = &state_;
      run.stats = &stats_;
      run.read = [&](const std::string& name, std::string_view bytes) {
        CountBytes(name, bytes, now);
      };
      run.too_large = [&](const std::string& name) { CountTooLarge(name); };
      ImapReportSource::Result result = imap.Read(run);
      done += result.fetched;
      backlog += result.backlog;
    }
  }
  // A source that could not be listed keeps its files remembered.
  if (all_listed) {
    std::sort(present.begin(), present.end());
    state_.RetainFiles(present);
  }
  state_.Prune(now);
  SaveState();
  // Mark (or move) the messages read only now that the state remembers them.
  for (ImapReportSource& imap : imap_sources_) imap.Finish(&stats_);
  if (!status.ok()) return status;
  stats_.WriteMetrics(state_.last_received(), backlog, out);
  return Status::OK();
}

std::string ReportsCollector::SourceDir(size_t i) const {
  const std::string& source = options_.sources[i];
  return source == options_.spool_dir ? source : root_ + source;
}

void ReportsCollector::AdoptState(Collector& previous) {
  auto& old = dynamic_cast<ReportsCollector&>(previous);
  stats_ = old.stats_;
  if (old.state_loaded_ && old.options_.state_file == options_.state_file) {
    state_ = std::move(old.state_);
    state_loaded_ = true;
  }
}

CollectorSpec ReportsCollectorSpec() {
  using std::chrono::seconds;
  return {{"reports", false, seconds(60), seconds(50)},
          "Receivers' DMARC aggregate, TLS-RPT and ARF complaint reports read from directories, "
          "Maildirs or IMAP mailboxes: per own sending IP and receiver, deduplicated across "
          "restarts.",
          NewReportsCollector,
          kReportsFamilies};
}

StatusOr<std::unique_ptr<Collector>> NewReportsCollector(const CollectorEnv& env,
                                                         ConfigNode& options) {
  ReportsOptions o;
  std::vector<ConfigNode> items = options.GetMapList("sources");
  for (ConfigNode& item : items) {
    if (item.Has("imap")) {
      if (item.Has("path")) {
        item.MarkKnown("path");
        item.Error("imap", "give path or imap, not both");
      }
      std::optional<ConfigNode> imap = item.GetMap("imap");
      if (!imap) {
        item.Error("imap", "want a mapping with url, username and password_file");
      } else {
        o.imap_sources.push_back(ParseImapSourceConfig(*imap, env.root));
        for (size_t i = 0; i + 1 < o.imap_sources.size(); ++i) {
          if (o.imap_sources[i].Key() == o.imap_sources.back().Key()) {
            imap->Error("url", "listed twice with this username");
          }
        }
      }
      (void)item.Finish();
      continue;
    }
    std::string path = item.GetString("path");
    if (path.empty() || path.front() != '/') item.Error("path", "want an absolute directory");
    for (const std::string& other : o.sources) {
      if (other == path) item.Error("path", "listed twice");
    }
    (void)item.Finish();
    o.sources.push_back(path);
  }
  std::optional<TlsRptIntakeOptions> intake = ReadTlsRptIntakeOptions(options);
  if (intake) {
    for (const std::string& source : o.sources) {
      if (source == intake->spool_dir) {
        options.Error("sources", "lists tlsrpt_intake.spool_dir, which is read anyway");
      }
    }
    o.spool_dir = intake->spool_dir;
    o.sources.push_back(intake->spool_dir);
  }
  if (env.settings.enabled && items.empty() && !intake) {
    options.Error("sources", "want at least one directory, Maildir or IMAP mailbox of reports");
  }
  o.state_file = options.GetString("state_file", o.state_file);
  if (o.state_file.empty() || o.state_file.front() != '/') {
    options.Error("state_file", "want an absolute file path");
  }
  o.quarantine_dir = options.GetString("quarantine_dir");
  if (!o.quarantine_dir.empty() && o.quarantine_dir.front() != '/') {
    options.Error("quarantine_dir", "want an absolute directory");
  }
  o.max_reports_per_run =
      static_cast<size_t>(options.GetInt("max_reports_per_run", 10000, 1, 10000000));
  o.seen_window = std::chrono::duration_cast<std::chrono::seconds>(
      options.GetDuration("seen_window", std::chrono::hours(24 * 7)));
  if (std::optional<ConfigNode> receivers = options.GetMap("receivers")) {
    for (const std::string& name : receivers->Keys()) {
      std::vector<std::string> suffixes = receivers->GetStringList(name);
      if (suffixes.empty()) receivers->Error(name, "want a list of reporter domain suffixes");
      o.labels.receivers[name] = suffixes;
    }
    (void)receivers->Finish();
  }
  bool domains_given = options.Has("policy_domains");
  o.labels.policy_domains = options.GetStringList("policy_domains");
  o.labels.mx_hosts = options.GetStringList("mx_hosts");
  if (Status status = options.Finish(); !status.ok()) return status;
  for (const SenderConfig& sender : env.config.senders) {
    o.labels.own_networks.insert(o.labels.own_networks.end(), sender.ips.begin(), sender.ips.end());
    if (!domains_given) {
      o.labels.policy_domains.insert(o.labels.policy_domains.end(), sender.domains.begin(),
                                     sender.domains.end());
    }
  }
  return std::unique_ptr<Collector>(new ReportsCollector(
      env.root, std::move(o), env.seen_sending_ips, env.clock, env.message_ids));
}

}  // namespace mailrep
