// ImapReportSource: one `imap:` item of the reports collector's sources — a
// mailbox of report mails read over IMAP(S) (imap_mailbox.h) — and its runs.
//
// Options (collectors.reports.sources[].imap):
//   url: imaps://mail.example.com/INBOX   # imap:// only to loopback (plain) or
//                                         # with STARTTLS required (any other host)
//   username: dmarc
//   password_file: /etc/mailrep/imap.pass # under --path.rootfs; read every run
//   ca_file: /etc/mailrep/imap-ca.pem     # optional, under --path.rootfs
//   after_read: seen                      # or move:Reports/Done (RFC 6851 MOVE)
//   max_message_bytes: 16777216           # larger: an invalid report (too_large)
//
// A run (Read): log in, list the messages without \Seen, and hand each new
// one's bytes to the caller's `read`, oldest first, at most `budget`, until
// `fetch_until`. A message is new unless the state (ReportState, kind
// "imap") already holds (username and url, UIDVALIDITY, UID): a message
// counted but not yet marked (the mark failed, or the exporter stopped before
// it) is marked again and never re-read. Fetching leaves a message unseen; Finish(),
// called after the caller saved the state, marks the messages read (\Seen)
// or moves them: so a restart at any point neither loses nor re-counts one.
//
// Failures never fail the collector: each is counted by reason
// (ImapFailureOf, plus password_file) through ReportStats::CountSourceError
// ("imap", reason), logged when the source's problem changes (the password
// redacted), and the run goes on with the next source. Not thread-safe (the
// collector's run thread owns it).
#ifndef MAILREP_COLLECTORS_REPORTS_IMAP_REPORT_SOURCE_H_
#define MAILREP_COLLECTORS_REPORTS_IMAP_REPORT_SOURCE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/reports/imap_mailbox.h"
#include "collectors/reports/report_state.h"
#include "collectors/reports/report_stats.h"
#include "exporter/config/config_node.h"

namespace mailrep {

struct ImapSourceConfig {
  std::string url;  // as configured (no credentials)
  std::string username;
  std::string password_file;  // with the root prefix
  std::string ca_file;        // with the root prefix; "" = the system's CAs
  std::string move_to;        // after_read: move:<folder>; "" = mark \Seen
  size_t max_message_bytes = 16 << 20;

  // What names the mailbox in the state and quarantine: "<username> <url>".
  std::string Key() const { return username + " " + url; }
};

// Reads one `imap:` mapping, recording errors on `node` (and finishing it);
// paths get `root` in front.
ImapSourceConfig ParseImapSourceConfig(ConfigNode& node, const std::string& root);

class ImapReportSource {
 public:
  ImapReportSource(ImapSourceConfig config, ImapConnector connect);

  struct Context {
    size_t budget = 0;       // messages to fetch at most
    SteadyTime fetch_until;  // no new fetch after this (marking needs time)
    SteadyTime deadline;     // every request ends by this
    std::stop_token stop;
    int64_t now = 0;  // Unix seconds, for the state's retention
    ReportState* state = nullptr;
    ReportStats* stats = nullptr;
    // Counts one message; `name` is unique per source and message
    // ("imap-<Key() hash>-<uidvalidity>-<uid>") for logs and quarantine.
    std::function<void(const std::string& name, std::string_view bytes)> read;
    // Counts a message over max_message_bytes (not fetched).
    std::function<void(const std::string& name)> too_large;
  };
  struct Result {
    size_t fetched = 0;  // messages read or found too large (the budget used)
    size_t backlog = 0;  // unseen messages left for a later run
  };
  Result Read(const Context& ctx);
  // Marks (or moves) what Read() counted; then logs out.
  void Finish(ReportStats* stats);

  const std::string& url() const { return config_.url; }

 private:
  void Problem(ReportStats* stats, std::string_view reason, const Status& status);
  void Healthy();

  ImapSourceConfig config_;
  ImapConnector connect_;
  std::string name_prefix_;
  std::string problem_;  // the last logged problem; "" = healthy
  std::string password_;
  std::unique_ptr<ImapMailbox> session_;
  std::vector<uint32_t> to_mark_;
  bool failed_ = false;  // this run
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_REPORTS_IMAP_REPORT_SOURCE_H_
