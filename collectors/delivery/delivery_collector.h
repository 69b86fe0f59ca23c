// The delivery collector: outbound delivery outcomes from MTA logs.
//
// Options (collectors.delivery):
//   sources:                  # default: the usual log files of detected MTAs
//     - path: /var/log/mail.log   # absolute; also the `source` label value
//       mta: auto             # auto|postfix|exim|sendmail|qmail|opensmtpd
//       from_start: false     # read existing content on the first run
//     - journal:              # the systemd journal (needs libsystemd at build time)
//         identifiers: [postfix/smtp, postfix/qmgr]   # SYSLOG_IDENTIFIER, and/or
//         units: [postfix@-.service]                  # _SYSTEMD_UNIT
//         directory: /var/log/journal                 # optional
//       mta: auto
//   providers:                # add or replace receiving providers
//     mycorp: [mx.mycorp.example, mycorp.example]
//   postfix_sending_ips:      # syslog_name or full tag -> local IP
//     postfix-out1: 192.0.2.10
//   read_postfix_config: true # map tags to IPs from main.cf/master.cf of the
//                             # detected instances and of:
//   postfix_config_directories: [/etc/postfix-out]
//   message_ids:              # the Message-ID index (message_id_index.h)
//     max: 200000             # messages kept; 0 keeps none
//     max_age: 7d             # complaints come late
//   submitters:               # top submitters over 1h/24h (submitter_stats.h)
//     enabled: false
//     top: 20                 # 1..100; the rest as other
//     labels: name            # name | hash | none (collectors/queue/submitter_labels.h)
//     hash_key: ...           # the HMAC key for hash (required then)
//
// Each Collect() reads what the sources gained since the last run and emits
// the cumulative counters of DeliveryStats plus mailrep_log_source_up{source}
// (the families are described in delivery_metrics.h). It records the local
// address of every delivery it parses (the line's own, or the Postfix tag's
// from postfix_sending_ips) in the process's SeenSendingIps, at the run's
// time on the clock, for collectors.dnsbl.seen_senders. Each message it sees
// sent (Postfix, Exim) goes into the process's MessageIdIndex by Message-ID,
// with its sending IP, queue id and submitter (message_tracer.h), for the
// reports collector to join complaints with; the index takes this
// collector's message_ids bounds at each run. With submitters.enabled, each
// outcome (sent, deferred, bounced, expired) is attributed to its message's
// submitter (MessageTracer::OriginOf; the tracer runs then even without the
// index) in SubmitterStats.
// A machine without an MTA or log files gets a collector with no sources that
// reports nothing. Collect runs on one thread at a time (collector.h).
#ifndef MAILREP_COLLECTORS_DELIVERY_DELIVERY_COLLECTOR_H_
#define MAILREP_COLLECTORS_DELIVERY_DELIVERY_COLLECTOR_H_

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "collectors/delivery/delivery_stats.h"
#include "collectors/delivery/file_follower.h"
#include "collectors/delivery/journal_reader.h"
#include "collectors/delivery/line_parser.h"
#include "collectors/delivery/message_id_index.h"
#include "collectors/delivery/message_tracer.h"
#include "collectors/delivery/submitter_stats.h"
#include "collectors/host/seen_sending_ips.h"
#include "exporter/core/collector.h"

namespace mailrep {

struct DeliverySourceConfig {
  std::string path;  // as configured (the label); opened under the root prefix
  MtaKind mta = MtaKind::kAuto;
  bool from_start = false;
  // A journal source when `journal` is set; its label is "journal:<ids,units>".
  bool journal = false;
  JournalReader::Options journal_options;
};

// The bounds the delivery collector gives the process's MessageIdIndex.
struct MessageIdLimits {
  size_t max = MessageIdIndex::kDefaultCapacity;
  std::chrono::seconds max_age = MessageIdIndex::kDefaultMaxAge;
};

class DeliveryCollector : public Collector {
 public:
  // `postfix_configs_unreadable`: how many Postfix config directories could
  // not be read for `postfix_ips` (PostfixSendingIps::unreadable); exported
  // unless null (no Postfix config was looked for). `seen` (may be null)
  // records the sending IPs of the deliveries, timed by `clock`;
  // `message_ids` (may be null) the messages sent, bounded by `limits`.
  DeliveryCollector(std::string root, std::vector<DeliverySourceConfig> sources,
                    ProviderMap providers, SendingIpMap postfix_ips,
                    std::optional<int> postfix_configs_unreadable = std::nullopt,
                    std::shared_ptr<SeenSendingIps> seen = nullptr,
                    std::shared_ptr<const Clock> clock = Clock::Real(),
                    std::shared_ptr<MessageIdIndex> message_ids = nullptr,
                    MessageIdLimits limits = {}, SubmitterOptions submitters = {});

  Status Collect(const CollectContext& ctx, MetricSet* out) override;
  // Takes over the previous instance's counters, and its open log files (file
  // position, inode, partial line) and parser state for each source it still
  // follows with the same MTA (with the messages it waits to see delivered),
  // so a reload neither loses nor re-counts lines.
  void AdoptState(Collector& previous) override;

 private:
  // The event's sending IP: the line's own, else the Postfix tag's; "" or
  // "unknown" when neither says.
  std::string_view SendingIpOf(const DeliveryEvent& event) const;
  // Adds the event's sending IP, when known, to run_sending_ips_.
  void NoteSendingIp(const DeliveryEvent& event);
  struct Source;
  // Attributes the outcome to its submitter in submitters_.
  void NoteSubmitter(Source& source, const DeliveryEvent& event);

  struct Source {
    std::string name;
    // What must match for a reload to hand the reader over: the path, or the
    // journal's filters and directory.
    std::string identity;
    MtaKind mta;
    std::unique_ptr<FileFollower> follower;  // or
    std::unique_ptr<JournalReader> journal;
    LineParser parser;
    MessageTracer tracer;
    bool up() const { return follower ? follower->up() : journal->up(); }
    const std::string& problem() const {
      return follower ? follower->problem() : journal->problem();
    }
    bool was_up = true;
  };
  ProviderMap providers_;
  SendingIpMap postfix_ips_;
  std::optional<int> postfix_configs_unreadable_;
  std::shared_ptr<SeenSendingIps> seen_;
  std::shared_ptr<const Clock> clock_;
  std::shared_ptr<MessageIdIndex> message_ids_;
  MessageIdLimits message_id_limits_;
  std::unique_ptr<SubmitterStats> submitters_;  // null unless enabled
  // The sending IPs of this run's deliveries, as the lines or the Postfix
  // map give them, recorded in seen_ at the end of the run (one lock a run).
  std::set<std::string, std::less<>> run_sending_ips_;
  DeliveryStats stats_;
  std::vector<Source> sources_;
  std::vector<std::string> source_names_;
};

// The usual log files of the MTAs DetectMtas(root) finds, those that exist.
std::vector<std::string> DefaultDeliveryLogPaths(const std::string& root);

// Reads main.cf and master.cf of each of `extra_directories` (absolute, under
// `root`) and, unless !detect, of every Postfix instance detected under `root`;
// for a tag both define, the extra directories win. A directory whose
// master.cf cannot be read is logged, counted in `unreadable` and skipped.
struct PostfixSendingIps {
  SendingIpMap map;
  int directories = 0;  // config directories tried
  int unreadable = 0;
};
PostfixSendingIps ReadPostfixSendingIps(const std::string& root,
                                        const std::vector<std::string>& extra_directories = {},
                                        bool detect = true);

// Registration: name and defaults, help, factory, metric families.
CollectorSpec DeliveryCollectorSpec();

// Factory (see CollectorFactory).
StatusOr<std::unique_ptr<Collector>> NewDeliveryCollector(const CollectorEnv& env,
                                                          ConfigNode& options);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_DELIVERY_COLLECTOR_H_
