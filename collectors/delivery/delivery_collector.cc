#include "collectors/delivery/delivery_collector.h"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <map>

#include "collectors/delivery/delivery_metrics.h"
#include "collectors/delivery/log_source_location.h"
#include "collectors/host/mta_detection.h"
#include "exporter/core/log.h"
#include "exporter/util/ip_network.h"
#include "exporter/util/read_file.h"

namespace mailrep {
namespace {

constexpr uint64_t kMaxBytesPerRun = uint64_t{256} << 20;

bool IsFile(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

DeliveryCollector::DeliveryCollector(std::string root, std::vector<DeliverySourceConfig> sources,
                                     ProviderMap providers, SendingIpMap postfix_ips,
                                     std::optional<int> postfix_configs_unreadable,
                                     std::shared_ptr<SeenSendingIps> seen,
                                     std::shared_ptr<const Clock> clock,
                                     std::shared_ptr<MessageIdIndex> message_ids,
                                     MessageIdLimits limits, SubmitterOptions submitters)
    : providers_(std::move(providers)),
      postfix_ips_(std::move(postfix_ips)),
      postfix_configs_unreadable_(postfix_configs_unreadable),
      seen_(std::move(seen)),
      clock_(std::move(clock)),
      message_ids_(std::move(message_ids)),
      message_id_limits_(limits),
      stats_(&providers_, &RejectionClassifier::Default(), &postfix_ips_) {
  if (submitters.enabled) {
    submitters_ = std::make_unique<SubmitterStats>(std::move(submitters), clock_);
  }
  for (const DeliverySourceConfig& c : sources) {
    FileFollower::Options options;
    options.from_start = c.from_start;
    options.max_line_bytes = LineParser::kMaxLineBytes;
    options.max_bytes_per_poll = kMaxBytesPerRun;
    Source s{c.path, c.path, c.mta, nullptr, nullptr, LineParser(c.mta), MessageTracer()};
    if (c.journal) {
      s.identity += "\n" + c.journal_options.directory;
      JournalReader::Options j = c.journal_options;
      j.from_start = c.from_start;
      if (!j.directory.empty()) j.directory = root + j.directory;
      s.journal = std::make_unique<JournalReader>(j);
    } else {
      s.follower = std::make_unique<FileFollower>(root + c.path, options);
    }
    sources_.push_back(std::move(s));
    source_names_.push_back(c.path);
  }
}

Status DeliveryCollector::Collect(const CollectContext& ctx, MetricSet* out) {
  int64_t now = clock_->UnixSeconds();
  if (message_ids_) message_ids_->SetLimits(message_id_limits_.max, message_id_limits_.max_age);
  for (Source& s : sources_) {
    if (ctx.stop.stop_requested()) return Status::Cancelled("delivery: stopped");
    DeliveryEvent event;
    MessageTrace trace;
    MessageTrace* want_trace =
        (message_ids_ && message_id_limits_.max > 0) || submitters_ ? &trace : nullptr;
    auto on_line = [&](std::string_view line, bool too_long) {
      LineResult r = LineResult::kMalformed;
      if (!too_long) {
        r = s.parser.Parse(line, &event, want_trace);
      } else {
        trace = MessageTrace();
      }
      stats_.AddLine(s.name, r);
      if (r != LineResult::kParsed) {
        if (!trace.empty()) s.tracer.Note(trace);
        return;
      }
      stats_.AddEvent(event);
      if (seen_) NoteSendingIp(event);
      if (submitters_) NoteSubmitter(s, event);
      if (message_ids_ && event.status == DeliveryStatus::kSent) {
        std::string_view ip = SendingIpOf(event);
        s.tracer.OnDelivery(event, ip == "unknown" ? std::string_view() : ip, *message_ids_, now);
      }
    };
    if (s.follower) {
      s.follower->Poll(on_line);
    } else {
      s.journal->Poll([&](std::string_view line) { on_line(line, false); });
    }
    if (message_ids_) s.tracer.Flush(*message_ids_);
    if (s.was_up != s.up()) {
      if (s.up()) {
        LogInfo("Log source readable", {{"source", s.name}});
      } else {
        LogWarn("Log source not readable; waiting for it",
                {{"source", s.name}, {"reason", s.problem()}});
      }
      s.was_up = s.up();
    }
  }
  if (seen_) {
    int64_t end = clock_->UnixSeconds();
    for (const std::string& ip : run_sending_ips_) seen_->Record(ip, end);
    run_sending_ips_.clear();
  }
  stats_.WriteMetrics(source_names_, out);
  out->Declare(kLogSourceUpFamily);
  for (const Source& s : sources_) out->Add(kLogSourceUpFamily, {s.name}, s.up() ? 1 : 0);
  if (postfix_configs_unreadable_) {
    out->Add(kPostfixConfigUnreadableFamily, {}, *postfix_configs_unreadable_);
  }
  if (submitters_) {
    submitters_->Flush();
    submitters_->WriteMetrics(out);
  }
  if (message_ids_) {
    out->Add(kMessageIdsFamily, {}, static_cast<double>(message_ids_->Size(now)));
    out->Add(kMessageIdsEvictedFamily, {}, static_cast<double>(message_ids_->evicted()));
  }
  return Status::OK();
}

std::string_view DeliveryCollector::SendingIpOf(const DeliveryEvent& event) const {
  std::string_view ip = event.sending_ip;
  if (ip.empty() && event.mta == "postfix") ip = LookUpSendingIp(postfix_ips_, event.syslog_tag);
  return ip;
}

void DeliveryCollector::NoteSendingIp(const DeliveryEvent& event) {
  std::string_view ip = SendingIpOf(event);
  if (ip.empty() || ip == "unknown") return;
  if (run_sending_ips_.find(ip) != run_sending_ips_.end()) return;
  // Distinct values per run are few (the host's addresses); past the store's
  // capacity, record at once rather than grow the set.
  if (run_sending_ips_.size() < seen_->capacity()) {
    run_sending_ips_.emplace(ip);
  } else {
    seen_->Record(ip, clock_->UnixSeconds());
  }
}

void DeliveryCollector::NoteSubmitter(Source& source, const DeliveryEvent& event) {
  enum : uint8_t { kMessage = 1, kDeferred = 2, kBounced = 4, kBlocklist = 8 };
  SubmitterKind kind = SubmitterKind::kUnknown;
  std::string_view name;
  uint64_t name_hash = 0;
  // One probe for everything asked of the message below.
  MessageTracer::Pending pending = source.tracer.Find(event.queue_id);
  if (pending) {
    MessageTracer::Origin origin = pending.origin();
    if (origin.kind == LoggedSubmitterKind::kSasl) {
      kind = SubmitterKind::kSasl;
      name = origin.submitter;
      name_hash = pending.submitter_hash();
    } else if (origin.kind == LoggedSubmitterKind::kLocal) {
      kind = SubmitterKind::kLocal;
      name = origin.submitter;
      name_hash = pending.submitter_hash();
    } else if (!origin.client_ip.empty()) {
      kind = SubmitterKind::kClient;
      name = origin.client_ip;
      name_hash = pending.client_ip_hash();
    }
  }
  // An untraced message cannot be told apart: each outcome counts.
  auto once = [&](uint8_t flag) { return !pending || pending.MarkOnce(flag); };
  SubmitterStats::Outcome outcome;
  outcome.message = once(kMessage);
  if (outcome.message && pending) outcome.client_ip_hash = pending.client_ip_hash();
  if (event.status == DeliveryStatus::kDeferred) {
    outcome.deferred = once(kDeferred);
  } else if (event.status != DeliveryStatus::kSent) {
    outcome.bounced = once(kBounced);
  }
  if (event.status != DeliveryStatus::kSent) {
    RejectionClass c = stats_.Classify(event);
    if (c.reason == ReplyReason::kBlocklist || !c.cited_blocklist.empty()) {
      outcome.blocklist = once(kBlocklist);
    }
  }
  // Each recipient once per message, at its first outcome.
  if (!event.recipient.empty() &&
      (!pending ||
       pending.FirstOutcome(event.recipient, event.status == DeliveryStatus::kDeferred))) {
    outcome.recipients = 1;
    outcome.recipient_domain_hash = SubmitterStats::RecipientDomainHash(event.recipient);
  }
  submitters_->Add(kind, name, name_hash, outcome);
}

void DeliveryCollector::AdoptState(Collector& previous) {
  auto& old = dynamic_cast<DeliveryCollector&>(previous);
  if (submitters_ && old.submitters_) submitters_->AdoptWindows(*old.submitters_);
  stats_.AdoptCounts(old.stats_, source_names_);
  for (Source& s : sources_) {
    for (Source& o : old.sources_) {
      if (o.identity != s.identity || (!o.follower && !o.journal)) continue;
      s.follower = std::move(o.follower);
      s.journal = std::move(o.journal);
      if (o.mta == s.mta) {
        s.parser = std::move(o.parser);
        s.tracer = std::move(o.tracer);
      }
      s.was_up = o.was_up;
    }
  }
}

std::vector<std::string> DefaultDeliveryLogPaths(const std::string& root) {
  std::vector<std::string> candidates;
  auto add = [&](const char* path) {
    if (std::find(candidates.begin(), candidates.end(), path) == candidates.end()) {
      candidates.emplace_back(path);
    }
  };
  for (const DetectedMta& m : DetectMtas(root)) {
    if (m.mta == "exim") {
      add("/var/log/exim4/mainlog");
      add("/var/log/exim/main.log");
    } else {
      add("/var/log/mail.log");
      add("/var/log/maillog");
    }
  }
  std::vector<std::string> out;
  for (const std::string& c : candidates) {
    if (IsFile(root + c)) out.push_back(c);
  }
  return out;
}

PostfixSendingIps ReadPostfixSendingIps(const std::string& root,
                                        const std::vector<std::string>& extra_directories,
                                        bool detect) {
  int directories = 0, unreadable = 0;
  auto read = [&](const std::string& dir, const std::string& instance, SendingIpMap* map) {
    ++directories;
    StatusOr<std::string> main_cf = ReadFileCapped(root + dir + "/main.cf", 1 << 20);
    StatusOr<std::string> master_cf = ReadFileCapped(root + dir + "/master.cf", 1 << 20);
    if (!master_cf.ok()) {
      ++unreadable;
      LogWarn("Cannot read master.cf; Postfix sending IPs unknown",
              {{"reason", master_cf.status().message()}});
      return;
    }
    AddPostfixInstance(main_cf.ok() ? *main_cf : "", *master_cf, instance, map);
  };
  SendingIpMap configured;
  for (const std::string& dir : extra_directories) read(dir, "", &configured);
  if (!detect) return {std::move(configured), directories, unreadable};
  SendingIpMap detected;
  for (const DetectedMta& m : DetectMtas(root)) {
    if (m.mta != "postfix" || m.config_directory.empty()) continue;
    read(m.config_directory, m.instance == "default" ? "" : m.instance, &detected);
  }
  for (auto& [tag, ip] : detected) configured.try_emplace(tag, ip);
  return {std::move(configured), directories, unreadable};
}

CollectorSpec DeliveryCollectorSpec() {
  using std::chrono::seconds;
  return {{"delivery", true, seconds(15), seconds(10)},
          "Outbound delivery outcomes from MTA logs: by sending IP and provider, rejections "
          "classified, cited blocklists.",
          NewDeliveryCollector,
          kDeliveryFamilies};
}

StatusOr<std::unique_ptr<Collector>> NewDeliveryCollector(const CollectorEnv& env,
                                                          ConfigNode& options) {
  std::vector<DeliverySourceConfig> sources;
  std::vector<ConfigNode> items = options.GetMapList("sources");
  for (ConfigNode& item : items) {
    DeliverySourceConfig c;
    LogSourceLocation where = ReadLogSourceLocation(item);
    c.path = std::move(where.path);
    c.journal = where.journal;
    c.journal_options = std::move(where.journal_options);
    std::string mta = item.GetString("mta", "auto");
    if (!ParseMtaKind(mta, &c.mta)) {
      item.Error("mta", "unknown MTA \"" + mta +
                            "\" (auto, postfix, exim, sendmail, qmail, "
                            "opensmtpd)");
    }
    c.from_start = item.GetBool("from_start", false);
    for (const DeliverySourceConfig& other : sources) {
      if (other.path == c.path) item.Error("path", "listed twice");
    }
    (void)item.Finish();
    sources.push_back(c);
  }

  std::map<std::string, std::vector<std::string>> overrides;
  if (std::optional<ConfigNode> providers = options.GetMap("providers")) {
    for (const std::string& name : providers->Keys()) {
      std::vector<std::string> suffixes = providers->GetStringList(name);
      if (suffixes.empty()) providers->Error(name, "want a list of domain suffixes");
      overrides[name] = suffixes;
    }
    (void)providers->Finish();
  }

  bool read_postfix = options.GetBool("read_postfix_config", true);
  std::vector<std::string> postfix_dirs = options.GetStringList("postfix_config_directories");
  for (size_t i = 0; i < postfix_dirs.size(); ++i) {
    if (postfix_dirs[i].empty() || postfix_dirs[i].front() != '/') {
      options.ErrorAt("postfix_config_directories", i, "want an absolute directory");
    }
  }
  SendingIpMap ips;
  if (std::optional<ConfigNode> given = options.GetMap("postfix_sending_ips")) {
    for (const std::string& tag : given->Keys()) {
      std::string ip = given->GetString(tag);
      StatusOr<IpAddress> parsed = IpAddress::Parse(ip);
      if (!parsed.ok()) {
        given->Error(tag, "not an IP address: \"" + ip + "\"");
        continue;
      }
      if (tag.ends_with("/smtp") || tag.ends_with("/lmtp")) {
        ips[tag] = parsed->ToString();
      } else {
        ips[tag + "/smtp"] = parsed->ToString();
        ips[tag + "/lmtp"] = parsed->ToString();
      }
    }
    (void)given->Finish();
  }
  MessageIdLimits message_id_limits;
  if (std::optional<ConfigNode> ids = options.GetMap("message_ids")) {
    message_id_limits.max = static_cast<size_t>(
        ids->GetInt("max", static_cast<int64_t>(message_id_limits.max), 0, 10000000));
    message_id_limits.max_age = std::chrono::duration_cast<std::chrono::seconds>(
        ids->GetDuration("max_age", message_id_limits.max_age));
    if (message_id_limits.max_age.count() <= 0) ids->Error("max_age", "want a positive duration");
    (void)ids->Finish();
  }
  SubmitterOptions submitters;
  if (std::optional<ConfigNode> sub = options.GetMap("submitters")) {
    submitters.enabled = sub->GetBool("enabled", false);
    submitters.top = static_cast<int>(sub->GetInt("top", submitters.top, 1, 100));
    std::string labels = sub->GetString("labels", "name");
    submitters.labels.hash_key = sub->GetString("hash_key", "");
    if (std::optional<SubmitterLabels> mode = ParseSubmitterLabels(labels)) {
      submitters.labels.mode = *mode;
      if (*mode == SubmitterLabels::kHash && submitters.labels.hash_key.empty()) {
        sub->Error("hash_key", "labels: hash needs a hash_key");
      }
    } else {
      sub->Error("labels", "must be one of name, hash, none");
    }
    (void)sub->Finish();
  }
  Status status = options.Finish();
  if (!status.ok()) return status;

  if (items.empty()) {
    for (const std::string& path : DefaultDeliveryLogPaths(env.root)) {
      DeliverySourceConfig c;
      c.path = path;
      sources.push_back(c);
    }
    if (sources.empty()) LogInfo("No MTA log file found; the delivery collector reports nothing");
  }
  std::optional<int> postfix_configs_unreadable;
  if (read_postfix) {
    PostfixSendingIps read = ReadPostfixSendingIps(env.root, postfix_dirs);
    for (auto& [tag, ip] : read.map) ips.try_emplace(tag, ip);
    if (read.directories > 0) postfix_configs_unreadable = read.unreadable;
  }
  return std::unique_ptr<Collector>(
      new DeliveryCollector(env.root, std::move(sources), ProviderMap(overrides), std::move(ips),
                            postfix_configs_unreadable, env.seen_sending_ips, env.clock,
                            env.message_ids, message_id_limits, std::move(submitters)));
}

}  // namespace mailrep
