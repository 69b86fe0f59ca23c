// TlsRptIntake: the handler of the TLS-RPT HTTPS intake (RFC 8460 §3). A
// reporter POSTs one report to the configured path with Content-Type
// application/tlsrpt+json or application/tlsrpt+gzip; the intake checks it
// is a TLS-RPT report (its bytes decide gzip or not, as the reports reader
// does: reporters mislabel), writes it durably into the spool, a Maildir
// whose new/ the reports collector reads as one more source, and only then
// answers 200. Deduplication, counting and quarantine stay the collector's:
// the same report POSTed twice is spooled twice and counted once.
//
// Answers, each counted by code and a reason from a fixed set (Stats()):
//   200 accepted; 404 not_found (another path); 405 method (not POST);
//   415 content_type; 429 rate (over max_per_minute, Retry-After: 60) or
//   busy (max_concurrent uploads already being checked and written);
//   400 <invalid-report reason> (report_invalid_reason.h) with a one-line
//   reason; 503 spool_full (over max_spool_bytes); 500 spool_error.
// Body size and read deadline are the server's (exporter/app wires an
// HttpServer of its own with the options' limits).
//
// Thread-safe: Handle() runs on several server threads at once.
#ifndef MAILREP_COLLECTORS_REPORTS_TLSRPT_INTAKE_H_
#define MAILREP_COLLECTORS_REPORTS_TLSRPT_INTAKE_H_

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "collectors/reports/tlsrpt_intake_options.h"
#include "exporter/core/clock.h"
#include "exporter/core/tlsrpt_intake_metrics.h"
#include "exporter/http/http_types.h"
#include "exporter/util/status.h"

namespace mailrep {

// The media type of a Content-Type value, parameters dropped, trimmed and
// lower-cased: "Application/TLSRPT+JSON; charset=utf-8" is
// "application/tlsrpt+json".
std::string ContentMediaType(std::string_view content_type);

// Whether `body` is one TLS-RPT report: true when it is gzip'd, false when it
// is the JSON itself (its bytes decide, not a label); an invalid-report
// Status (report_invalid_reason.h) otherwise, the JSON inflated to at most
// `max_decompressed_bytes`.
StatusOr<bool> CheckTlsRptUpload(std::string_view body, uint64_t max_decompressed_bytes);

// How often the owner of a TlsRptIntake runs its RunRetentionPass().
inline constexpr std::chrono::hours kTlsRptRetentionPassPeriod{1};

class TlsRptIntake {
 public:
  // Creates the spool (a Maildir: tmp/, new/, cur/, mode 0700) when missing,
  // deletes reports older than spool_retention and counts the bytes left;
  // IoError naming the directory when it cannot. `clock` paces max_per_minute
  // and dates the retention pass.
  static StatusOr<std::unique_ptr<TlsRptIntake>> Open(
      TlsRptIntakeOptions options, std::shared_ptr<const Clock> clock = Clock::Real());

  // Never touches the spool beyond writing the upload into it.
  HttpResponse Handle(const HttpRequest& request);
  // The retention pass: deletes spooled reports past spool_retention (by file
  // mtime) and recounts the spool's bytes from its listing (files put there
  // or removed by hand included), so a long-running intake never fills its
  // spool. Not run by Handle(): the owner runs it every
  // kTlsRptRetentionPassPeriod on a timer of its own (exporter/app runs it on
  // a PeriodicTimer). Safe beside concurrent Handle() calls: an upload that
  // lands during the listing is counted exactly once. One pass at a time.
  void RunRetentionPass();
  TlsRptIntakeStats Stats() const;
  const TlsRptIntakeOptions& options() const { return options_; }

 private:
  TlsRptIntake(TlsRptIntakeOptions options, std::shared_ptr<const Clock> clock,
               uint64_t spool_bytes);
  HttpResponse Answer(int code, std::string_view reason, std::string body);
  // Takes one upload from this minute's allowance; false when none is left.
  bool TakeRateToken();
  // A new unique file name in the spool (Maildir style).
  std::string SpoolName(bool gzip);
  // Writes `body` to tmp/`name`, renames it into new/ and syncs both
  // directories.
  Status Spool(std::string_view body, const std::string& name);
  // Sets `bytes` aside for the upload to be written at `dest`; false when the
  // spool, with the uploads already set aside, would exceed max_spool_bytes.
  bool Reserve(const std::string& dest, uint64_t bytes);
  // Ends Reserve(dest, ...): counts the upload as spooled when `written`
  // (unless a retention pass's listing already did).
  void EndReservation(const std::string& dest, bool written);

  const TlsRptIntakeOptions options_;
  const std::shared_ptr<const Clock> clock_;
  std::atomic<int> in_flight_{0};
  std::atomic<uint64_t> sequence_{0};  // unique spool names within a second

  mutable std::mutex mu_;
  std::chrono::steady_clock::time_point window_start_;      // guarded by mu_
  int window_count_ = 0;                                    // guarded by mu_
  std::map<std::pair<int, std::string>, uint64_t> counts_;  // guarded by mu_

  // The spool's size: uploads reserve, write, then count; a retention pass
  // replaces the count by its listing's plus the uploads written while it
  // listed that the listing missed, so each file is counted exactly once.
  // Held only for arithmetic, never for I/O.
  struct Pending {
    uint64_t bytes = 0;
    bool listed = false;  // a retention pass's listing saw (and counted) it
  };
  mutable std::mutex spool_mu_;
  uint64_t spool_bytes_ = 0;                // guarded by spool_mu_
  uint64_t reserved_bytes_ = 0;             // of uploads being written; guarded by spool_mu_
  std::map<std::string, Pending> pending_;  // by path in new/; guarded by spool_mu_
  bool recounting_ = false;                 // a pass is listing; guarded by spool_mu_
  // Uploads spooled while recounting_: path and size; guarded by spool_mu_.
  std::vector<std::pair<std::string, uint64_t>> written_while_recounting_;
  std::mutex pass_mu_;  // one retention pass at a time
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_REPORTS_TLSRPT_INTAKE_H_
