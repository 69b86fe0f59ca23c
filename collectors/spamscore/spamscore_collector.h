// The spamscore collector: spam scores of outbound mail, from the result
// lines of the operator's filter (rspamd, SpamAssassin's spamd) in its logs.
// Off by default.
//
// Options (collectors.spamscore):
//   sources:                       # none by default: nothing is reported
//     - path: /var/log/rspamd/rspamd.log   # absolute; also the `source` label
//       filter: auto               # auto|rspamd|spamassassin: which lines to read
//       from_start: false          # read existing content on the first run
//     - journal:                   # the systemd journal (needs libsystemd)
//         identifiers: [spamd]     # SYSLOG_IDENTIFIER, and/or
//         units: [rspamd.service]  # _SYSTEMD_UNIT
//         directory: /var/log/journal   # optional
//   symbols: [R_DKIM_ALLOW, URIBL_*]   # the symbol allow-list (replaces the
//                                      # default, SymbolAllowList::DefaultEntries)
//
// Files are followed by the delivery collector's FileFollower (rotation by
// rename, delete and copytruncate; missing files waited for) and the journal
// by its JournalReader (cursor kept). Each Collect() reads what the sources
// gained and emits SpamStats' counters plus mailrep_spam_log_source_up.
// A reload hands each source still followed (same path, or same journal
// filters and directory) its open reader and the counters over.
//
// Joining a verdict to the sending IP: with the process's Message-ID index
// (CollectorEnv::message_ids) each verdict with a Message-ID is held in a
// SpamIpJoin (spam_ip_join.h) and every run, after reading the sources, the
// held verdicts whose message the delivery collector has since logged as sent
// are counted by sending IP. Without the index nothing is held. A reload hands
// the held verdicts and the join's counters over too.
//
// Collect runs on one thread at a time (collector.h).
#ifndef MAILREP_COLLECTORS_SPAMSCORE_SPAMSCORE_COLLECTOR_H_
#define MAILREP_COLLECTORS_SPAMSCORE_SPAMSCORE_COLLECTOR_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/delivery/file_follower.h"
#include "collectors/delivery/journal_reader.h"
#include "collectors/delivery/message_id_index.h"
#include "collectors/spamscore/spam_ip_join.h"
#include "collectors/spamscore/spam_stats.h"
#include "exporter/core/collector.h"

namespace mailrep {

enum class SpamFilterChoice { kAuto, kRspamd, kSpamAssassin };

struct SpamSourceConfig {
  std::string path;  // as configured (the label); opened under the root prefix
  SpamFilterChoice filter = SpamFilterChoice::kAuto;
  bool from_start = false;
  bool journal = false;  // a journal source; its label is "journal:<ids,units>"
  JournalReader::Options journal_options;
};

// Reads one log line into `stats` (under `source`): a result line of a
// filter `choice` allows is parsed, anything else is ignored. A line cut at
// the follower's cap (`too_long`) that is a result line counts as malformed
// (too_long). True when the line was a verdict, now in `scratch`. Exposed for
// tests and the fuzzers.
bool ReadSpamLogLine(std::string_view line, bool too_long, SpamFilterChoice choice,
                     const std::string& source, SpamVerdict* scratch, SpamStats* stats);

class SpamscoreCollector : public Collector {
 public:
  static constexpr size_t kMaxLineBytes = 256 * 1024;

  // `message_ids` (may be null: no join) and `clock` as in CollectorEnv.
  SpamscoreCollector(std::string root, std::vector<SpamSourceConfig> sources,
                     SymbolAllowList symbols,
                     std::shared_ptr<const MessageIdIndex> message_ids = nullptr,
                     std::shared_ptr<const Clock> clock = Clock::Real());

  Status Collect(const CollectContext& ctx, MetricSet* out) override;
  void AdoptState(Collector& previous) override;

 private:
  struct Source {
    std::string name;
    std::string identity;  // what must match for a reload to hand the reader over
    SpamFilterChoice filter;
    std::unique_ptr<FileFollower> follower;  // or
    std::unique_ptr<JournalReader> journal;
    bool up() const { return follower ? follower->up() : journal->up(); }
    const std::string& problem() const {
      return follower ? follower->problem() : journal->problem();
    }
    bool was_up = true;
  };
  SpamStats stats_;
  SpamIpJoin join_;
  std::shared_ptr<const MessageIdIndex> message_ids_;
  std::shared_ptr<const Clock> clock_;
  std::vector<Source> sources_;
  std::vector<std::string> source_names_;
  SpamVerdict scratch_;
};

// Registration: name and defaults (off), help, factory, metric families.
CollectorSpec SpamscoreCollectorSpec();

// Factory (see CollectorFactory).
StatusOr<std::unique_ptr<Collector>> NewSpamscoreCollector(const CollectorEnv& env,
                                                           ConfigNode& options);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_SPAMSCORE_SPAMSCORE_COLLECTOR_H_
