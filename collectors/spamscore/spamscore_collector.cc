#include "collectors/spamscore/spamscore_collector.h"

#include <chrono>

#include "collectors/delivery/log_source_location.h"
#include "collectors/spamscore/rspamd_log.h"
#include "collectors/spamscore/spamd_log.h"
#include "collectors/spamscore/spamscore_metrics.h"
#include "exporter/core/log.h"

namespace mailrep {
namespace {

constexpr uint64_t kMaxBytesPerRun = uint64_t{256} << 20;

bool ParseFilterChoice(std::string_view text, SpamFilterChoice* choice) {
  if (text == "auto") {
    *choice = SpamFilterChoice::kAuto;
  } else if (text == "rspamd") {
    *choice = SpamFilterChoice::kRspamd;
  } else if (text == "spamassassin") {
    *choice = SpamFilterChoice::kSpamAssassin;
  } else {
    return false;
  }
  return true;
}

}  // namespace

bool ReadSpamLogLine(std::string_view line, bool too_long, SpamFilterChoice choice,
                     const std::string& source, SpamVerdict* scratch, SpamStats* stats) {
  bool rspamd = choice != SpamFilterChoice::kSpamAssassin && IsRspamdTaskLine(line);
  bool spamd = !rspamd && choice != SpamFilterChoice::kRspamd && IsSpamdResultLine(line);
  if (!rspamd && !spamd) {
    stats->AddLine(source, SpamLineResult::kIgnored);
    return false;
  }
  SpamFilter filter = rspamd ? SpamFilter::kRspamd : SpamFilter::kSpamAssassin;
  SpamParseError error = SpamParseError::kTooLong;
  SpamLineResult result = SpamLineResult::kMalformed;
  if (!too_long) {
    result = rspamd ? ParseRspamdTaskLog(line, scratch, &error)
                    : ParseSpamdResultLog(line, scratch, &error);
  }
  stats->AddLine(source, result);
  if (result == SpamLineResult::kParsed) {
    stats->AddVerdict(*scratch);
    return true;
  }
  if (result == SpamLineResult::kMalformed) stats->AddError(filter, error);
  return false;
}

SpamscoreCollector::SpamscoreCollector(std::string root, std::vector<SpamSourceConfig> sources,
                                       SymbolAllowList symbols,
                                       std::shared_ptr<const MessageIdIndex> message_ids,
                                       std::shared_ptr<const Clock> clock)
    : stats_(std::move(symbols)), message_ids_(std::move(message_ids)), clock_(std::move(clock)) {
  for (const SpamSourceConfig& c : sources) {
    Source s{c.path, c.path, c.filter, nullptr, nullptr};
    if (c.journal) {
      s.identity += "\n" + c.journal_options.directory;
      JournalReader::Options j = c.journal_options;
      j.from_start = c.from_start;
      if (!j.directory.empty()) j.directory = root + j.directory;
      s.journal = std::make_unique<JournalReader>(j);
    } else {
      FileFollower::Options options;
      options.from_start = c.from_start;
      options.max_line_bytes = kMaxLineBytes;
      options.max_bytes_per_poll = kMaxBytesPerRun;
      s.follower = std::make_unique<FileFollower>(root + c.path, options);
    }
    sources_.push_back(std::move(s));
    source_names_.push_back(c.path);
  }
}

Status SpamscoreCollector::Collect(const CollectContext& ctx, MetricSet* out) {
  int64_t now = clock_->UnixSeconds();
  for (Source& s : sources_) {
    if (ctx.stop.stop_requested()) return Status::Cancelled("spamscore: stopped");
    auto on_line = [&](std::string_view line, bool too_long) {
      if (ReadSpamLogLine(line, too_long, s.filter, s.name, &scratch_, &stats_) && message_ids_) {
        join_.Hold(scratch_, now);
      }
    };
    if (s.follower) {
      s.follower->Poll(on_line);
    } else {
      s.journal->Poll([&](std::string_view line) { on_line(line, false); });
    }
    if (s.was_up != s.up()) {
      if (s.up()) {
        LogInfo("Spam filter log readable", {{"source", s.name}});
      } else {
        LogWarn("Spam filter log not readable; waiting for it",
                {{"source", s.name}, {"reason", s.problem()}});
      }
      s.was_up = s.up();
    }
  }
  if (message_ids_) join_.Resolve(*message_ids_, now);
  stats_.WriteMetrics(source_names_, out);
  join_.WriteMetrics(out);
  out->Declare(kSpamLogSourceUpFamily);
  for (const Source& s : sources_) out->Add(kSpamLogSourceUpFamily, {s.name}, s.up() ? 1 : 0);
  return Status::OK();
}

void SpamscoreCollector::AdoptState(Collector& previous) {
  auto& old = dynamic_cast<SpamscoreCollector&>(previous);
  stats_.AdoptCounts(old.stats_, source_names_);
  join_ = std::move(old.join_);
  for (Source& s : sources_) {
    for (Source& o : old.sources_) {
      if (o.identity != s.identity || (!o.follower && !o.journal)) continue;
      s.follower = std::move(o.follower);
      s.journal = std::move(o.journal);
      s.was_up = o.was_up;
    }
  }
}

CollectorSpec SpamscoreCollectorSpec() {
  using std::chrono::seconds;
  return {{"spamscore", false, seconds(15), seconds(10)},
          "Spam scores of outbound mail from the filter's logs (rspamd, SpamAssassin spamd): "
          "score histogram, actions, allow-listed symbol hits.",
          NewSpamscoreCollector,
          kSpamscoreFamilies};
}

StatusOr<std::unique_ptr<Collector>> NewSpamscoreCollector(const CollectorEnv& env,
                                                           ConfigNode& options) {
  std::vector<SpamSourceConfig> sources;
  std::vector<ConfigNode> items = options.GetMapList("sources");
  for (ConfigNode& item : items) {
    SpamSourceConfig c;
    LogSourceLocation where = ReadLogSourceLocation(item);
    c.path = std::move(where.path);
    c.journal = where.journal;
    c.journal_options = std::move(where.journal_options);
    std::string filter = item.GetString("filter", "auto");
    if (!ParseFilterChoice(filter, &c.filter)) {
      item.Error("filter", "unknown filter \"" + filter + "\" (auto, rspamd, spamassassin)");
    }
    c.from_start = item.GetBool("from_start", false);
    for (const SpamSourceConfig& other : sources) {
      if (other.path == c.path) item.Error("path", "listed twice");
    }
    (void)item.Finish();
    sources.push_back(c);
  }
  std::vector<std::string> symbols = SymbolAllowList::DefaultEntries();
  if (options.Has("symbols")) {
    symbols = options.GetStringList("symbols");
    for (size_t i = 0; i < symbols.size(); ++i) {
      if (!SymbolAllowList::ValidEntry(symbols[i])) {
        options.ErrorAt("symbols", i, "want a symbol name ([A-Za-z0-9_]), optionally ending in *");
      }
    }
  }
  Status status = options.Finish();
  if (!status.ok()) return status;
  if (sources.empty())
    LogInfo("No spam filter log configured; the spamscore collector reports nothing");
  return std::unique_ptr<Collector>(new SpamscoreCollector(env.root, std::move(sources),
                                                           SymbolAllowList(std::move(symbols)),
                                                           env.message_ids, env.clock));
}

}  // namespace mailrep
