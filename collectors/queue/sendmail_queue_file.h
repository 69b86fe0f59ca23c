// A pure parser of Sendmail queue control files (qf<id>, and quarantined
// hf<id>), per the "queue file formats" of Sendmail's Installation and
// Operation Guide (8.17): one record per line, a code letter then its value;
// lines starting with a space or tab continue a header; a line holding only
// "." ends the file. The envelope (V T K N P I d B q M F $ S A Z !) comes
// first, then per undelivered recipient optional M, C, Q, r lines and its R
// line, then the H header lines. Delivered and bounced recipients are removed
// when Sendmail rewrites the file, so every R line is a pending recipient.
//
// Memory is bounded by SendmailQueueFileOptions whatever the input.
#ifndef MAILREP_COLLECTORS_QUEUE_SENDMAIL_QUEUE_FILE_H_
#define MAILREP_COLLECTORS_QUEUE_SENDMAIL_QUEUE_FILE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/util/status.h"

namespace mailrep {

struct SendmailRecipient {
  std::string address;  // the R line after its "<flags>:" prefix
  // The status message (M line) written just before this recipient, without
  // a "Deferred: " prefix; "" when it has none.
  std::string status;
};

struct SendmailQueueFileInfo {
  int version = 0;                // V; 0 when absent (files older than 8.10)
  int64_t creation_time = 0;      // T: arrival, Unix seconds
  int64_t last_attempt = 0;       // K: 0 when never tried
  uint64_t attempts = 0;          // N
  std::string sender;             // S, without angle brackets; "" for <>
  std::string envelope_status;    // the last envelope M line, without "Deferred: "
  std::string quarantine_reason;  // q (hf files)
  std::string data_directory;     // d: the df file's queue directory, when elsewhere
  // Saved macros ($ lines): $_ ("user@localhost" for a local submission,
  // "[ident@]host [ip]" for SMTP) and ${auth_authen} (the SMTP AUTH login).
  std::string origin_macro;
  std::string auth_authen;
  // The first max_kept_recipients pending recipients, in file order.
  std::vector<SendmailRecipient> pending;
  uint64_t pending_count = 0;
  uint64_t unknown_lines = 0;  // lines with an unknown code letter, skipped
  bool terminated = false;     // the final "." line was seen

  // True once Sendmail has tried to deliver it (K or N set).
  bool Tried() const { return attempts > 0 || last_attempt > 0; }
};

struct SendmailQueueFileOptions {
  size_t max_kept_recipients = 1000;
  size_t max_status_bytes = 1024;  // M lines are cut to this length
};

// InvalidArgument naming the line for input that is not a qf file: no T
// line, a non-numeric V/T/K/N, an R line without an address, a continuation
// line outside the headers, a NUL byte, anything after ".". A file without
// its final "." parses (terminated == false): the caller decides.
StatusOr<SendmailQueueFileInfo> ParseSendmailQueueFile(
    std::string_view data, const SendmailQueueFileOptions& options = {});

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_SENDMAIL_QUEUE_FILE_H_
