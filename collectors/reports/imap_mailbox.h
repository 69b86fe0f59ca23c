// ImapMailbox: one logged-in IMAP session on one mailbox, the way the reports
// collector's IMAP source (imap_report_source.h) reads report mails. The real
// one (ConnectCurlImapMailbox) speaks through libcurl's IMAP support; tests
// inject faults through their own ImapConnector.
//
// Transport rules (ParseImapUrl): imaps:// is TLS from the first byte;
// imap:// to any host but loopback (127.0.0.0/8, ::1, localhost) requires
// STARTTLS (a server without it is a `tls` failure); imap:// to loopback is
// plain text (a local Dovecot). The server certificate and its name are always
// checked, against ca_file or the system's CAs. The URL carries no
// credentials: the username and password are given apart, and the password
// never appears in an error message (it is redacted should the server echo it).
//
// Every error is a Status whose message starts with a bounded reason,
// "<reason>: <detail>" (ImapFailureOf reads it back), so a caller can count
// failures by reason: connect, tls, login, mailbox, search, fetch, mark, move,
// timeout, protocol, too_large, cancelled.
//
// Bounded: each request ends by the session's deadline and promptly (within
// about a second) once its stop_token is requested. Not thread-safe: one
// session belongs to one run.
#ifndef MAILREP_COLLECTORS_REPORTS_IMAP_MAILBOX_H_
#define MAILREP_COLLECTORS_REPORTS_IMAP_MAILBOX_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/reports/imap_responses.h"
#include "exporter/core/clock.h"
#include "exporter/util/status.h"

namespace mailrep {

enum class ImapFailure {
  kConnect,    // no connection (refused, unreachable, name not found, closed)
  kTls,        // handshake, certificate, or STARTTLS missing
  kLogin,      // the server refused the username or password
  kMailbox,    // SELECT refused (no such mailbox) or UIDVALIDITY unreadable
  kSearch,     // UID SEARCH / UID FETCH (FLAGS RFC822.SIZE) refused
  kFetch,      // a message could not be fetched (gone, refused)
  kMark,       // UID STORE +FLAGS (\Seen) refused
  kMove,       // UID MOVE refused (the folder is missing, or no MOVE support)
  kTimeout,    // the deadline passed
  kProtocol,   // a reply libcurl or we could not read
  kTooLarge,   // a message over its byte cap
  kCancelled,  // the run was stopped
};

// "connect", "tls", ...; "other" outside the enum.
std::string_view ImapFailureName(ImapFailure failure);
// A Status of `failure`'s code (Unavailable, DeadlineExceeded, Cancelled,
// ResourceExhausted, ...) with the message "<name>: <detail>".
[[nodiscard]] Status ImapError(ImapFailure failure, std::string_view detail);
// The reason name of a Status made by ImapError(); "other" for any other.
std::string_view ImapFailureOf(const Status& status);

struct ImapUrl {
  std::string scheme;   // "imaps" or "imap"
  std::string host;     // an IPv6 literal in brackets
  uint16_t port = 0;    // explicit or the scheme's default (993, 143)
  std::string mailbox;  // decoded; "INBOX" when the URL names none
  bool loopback = false;
  bool tls() const { return scheme == "imaps" || !loopback; }
};

// imaps://HOST[:PORT][/MAILBOX] or imap://...; InvalidArgument (a message fit
// for a config error) for another scheme, credentials, a query, fragment or
// ";" parameter, a non-ASCII or control character in the mailbox name.
StatusOr<ImapUrl> ParseImapUrl(std::string_view url);

struct ImapAccount {
  std::string url;  // as ParseImapUrl accepts it
  std::string username;
  std::string password;
  std::string ca_file;  // PEM CAs; "" = the system store
};

struct ImapSessionLimits {
  SteadyTime deadline;
  std::stop_token stop;
  std::chrono::milliseconds connect_timeout{10000};
};

struct ImapUnseen {
  uint32_t uid_validity = 0;
  std::vector<uint32_t> uids;  // ascending
};

class ImapMailbox {
 public:
  virtual ~ImapMailbox() = default;

  // Opens the mailbox (SELECT) and lists the messages without \Seen (UID
  // SEARCH UNSEEN): UIDVALIDITY and at most `max` UIDs, the lowest first.
  virtual StatusOr<ImapUnseen> Unseen(size_t max) = 0;
  // UID, RFC822.SIZE and \Seen of those `uids` (ascending) still there.
  virtual StatusOr<std::vector<ImapMessageInfo>> Info(std::span<const uint32_t> uids) = 0;
  // The message's bytes; too_large past `max_bytes`. A message that had no
  // \Seen has none afterwards either: the caller marks it once counted.
  virtual StatusOr<std::string> Fetch(uint32_t uid, size_t max_bytes) = 0;
  // Sets \Seen on `uids` (ascending).
  virtual Status MarkSeen(std::span<const uint32_t> uids) = 0;
  // Moves `uids` (ascending) to `folder` (RFC 6851 UID MOVE).
  virtual Status Move(std::span<const uint32_t> uids, std::string_view folder) = 0;
};

// Connects and logs in (the mailbox is opened by Unseen()).
using ImapConnector = std::function<StatusOr<std::unique_ptr<ImapMailbox>>(
    const ImapAccount& account, const ImapSessionLimits& limits)>;

// libcurl's IMAP: one connection for the session, kept across its requests.
StatusOr<std::unique_ptr<ImapMailbox>> ConnectCurlImapMailbox(const ImapAccount& account,
                                                              const ImapSessionLimits& limits);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_REPORTS_IMAP_MAILBOX_H_
