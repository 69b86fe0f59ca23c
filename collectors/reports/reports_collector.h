// The reports collector: receivers' reports about our mail (DMARC aggregate,
// TLS-RPT, ARF complaints) read from directories or Maildirs of report mails
// (or bare report files) and from IMAP(S) mailboxes, counted into bounded
// metrics (reports_metrics.h). Off by default.
//
// Options (collectors.reports):
//   sources: [{path: /var/mail/dmarc}]   # absolute, under --path.rootfs;
//                                        # a Maildir when it has cur/ new/ tmp/
//   sources: [{imap: {url: imaps://mail.example.com/INBOX, username: dmarc,
//              password_file: /etc/mailrep/imap.pass}}]  # imap_report_source.h
//   state_file: /var/lib/mailrep-exporter/reports.state   # ours: not under rootfs
//   quarantine_dir: /var/lib/mailrep-exporter/quarantine  # optional, ours too
//   max_reports_per_run: 10000   # new files and messages read per run; the rest
//                                # wait (backlog)
//   receivers: {mycorp: [mycorp.example]}   # add or replace receiver names
//   policy_domains: [example.com]  # TLS-RPT policy domains (default: senders' domains)
//   mx_hosts: [mx1.example.com]    # our MX names for TLS-RPT failures
//   seen_window: 7d                # sending IPs seen in the logs that count as ours
//   tlsrpt_intake: {...}           # optional HTTPS intake (tlsrpt_intake_options.h);
//                                  # its spool_dir is read as one more source
//
// Files are left where they are (a Maildir's are not moved or flagged, so a
// person's mail reader sees them unchanged); the state file remembers each
// file's path, size and mtime, so an unchanged file is not read again, and
// each report's (kind, reporter, report id), so a report mailed twice or a
// file changed or renamed counts once (result="duplicate"), across restarts.
// Mailbox messages are read after the files, from the budget the files left;
// they are marked read (or moved) only after the state was saved, and the
// state remembers each message read (imap_report_source.h), so a restart
// neither loses nor re-counts one. A failing mailbox is counted
// (mailrep_reports_source_errors_total) and never fails the run.
// An unreadable report counts by reason and, when quarantine_dir is set, is
// copied there; nothing a reporter sends makes Collect() fail. The state is
// written atomically after each run that changed it; a corrupt state file is
// set aside as <state_file>.corrupt, and the collector starts afresh with a
// warning and a count. A complaint without Source-IP or a Received IP is
// joined by its original Message-ID to the delivery collector's index of
// messages sent (complaint_attribution.h). Collect runs on one thread at a
// time (collector.h); within a run, files are read and parsed on up to two
// threads, and counted on the run thread in the listing's order
// (report_read_ahead.h), so the results are the same as reading them one
// after the other.
#ifndef MAILREP_COLLECTORS_REPORTS_REPORTS_COLLECTOR_H_
#define MAILREP_COLLECTORS_REPORTS_REPORTS_COLLECTOR_H_

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "collectors/delivery/message_id_index.h"
#include "collectors/host/seen_sending_ips.h"
#include "collectors/reports/imap_report_source.h"
#include "collectors/reports/report_labels.h"
#include "collectors/reports/report_read_ahead.h"
#include "collectors/reports/report_reader.h"
#include "collectors/reports/report_state.h"
#include "collectors/reports/report_stats.h"
#include "exporter/core/collector.h"

namespace mailrep {

struct ReportsOptions {
  std::vector<std::string> sources;  // absolute; read under `root`
  std::vector<ImapSourceConfig> imap_sources;
  // How an IMAP source connects (tests inject faults); default libcurl's.
  ImapConnector imap_connect = ConnectCurlImapMailbox;
  // The TLS-RPT intake's spool when it is one of `sources`: ours, like the
  // state file, so read as it is, not under `root`.
  std::string spool_dir;
  std::string state_file = "/var/lib/mailrep-exporter/reports.state";
  std::string quarantine_dir;  // "" = none
  size_t max_reports_per_run = 10000;
  std::chrono::seconds seen_window = std::chrono::hours(24 * 7);
  ReportLabelsConfig labels;
  ReportLimits limits;
  ReportState::Limits state_limits;
};

class ReportsCollector : public Collector {
 public:
  ReportsCollector(std::string root, ReportsOptions options,
                   std::shared_ptr<SeenSendingIps> seen = nullptr,
                   std::shared_ptr<const Clock> clock = Clock::Real(),
                   std::shared_ptr<const MessageIdIndex> message_ids = nullptr);

  Status Collect(const CollectContext& ctx, MetricSet* out) override;
  // Takes over the counters, and the loaded state when state_file is unchanged.
  void AdoptState(Collector& previous) override;

 private:
  void LoadState();
  void SaveState();
  // Counts one file read (report_read_ahead.h); false when it could not be
  // read (it is then not remembered, so the next run tries again).
  bool ReadOne(const std::string& path, ReportFileRead read, int64_t now);
  // Counts one report file's or message's bytes; `name` for logs and quarantine.
  void CountBytes(const std::string& name, std::string_view bytes, int64_t now);
  // The same, already parsed (`bytes` are only kept for the quarantine).
  void CountParsed(const std::string& name, std::string_view bytes,
                   const StatusOr<ParsedReport>& parsed, int64_t now);
  // Counts a mailbox message over its size cap as an invalid report.
  void CountTooLarge(const std::string& name);
  void Quarantine(const std::string& path, std::string_view bytes);
  // Where sources[i] is read: under root_, but the intake's spool as it is.
  std::string SourceDir(size_t i) const;

  std::string root_;
  ReportsOptions options_;
  std::shared_ptr<SeenSendingIps> seen_;
  std::shared_ptr<const Clock> clock_;
  std::shared_ptr<const MessageIdIndex> message_ids_;  // complaints' Message-IDs; may be null
  ReportLabels labels_;
  ReportStats stats_;
  ReportState state_;
  bool state_loaded_ = false;
  std::vector<std::string> source_problems_;  // per source: "" when it was listed
  std::vector<ImapReportSource> imap_sources_;
};

// Registration: name and defaults, help, factory, metric families.
CollectorSpec ReportsCollectorSpec();

// Factory (see CollectorFactory).
StatusOr<std::unique_ptr<Collector>> NewReportsCollector(const CollectorEnv& env,
                                                         ConfigNode& options);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_REPORTS_REPORTS_COLLECTOR_H_
