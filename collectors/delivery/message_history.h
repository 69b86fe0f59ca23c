// MessageHistory: everything whole log files say about each message, exactly,
// by queue id, for the check commands that answer about single messages or
// exact per-submitter counts (check trace, check logs --by submitter). The
// lines are read by the collector's own parsers (LineParser with a
// MessageTrace); this only keeps what they return: per queue id the
// Message-ID, the logged submitter, client address and sender domain, the
// removal, and each outbound outcome with its sending IP.
//
// A message re-queued on the same host (through a content filter, or from
// one Postfix instance to another, or Exim re-injecting it) leaves one queue
// id and arrives under another: the first's acceptance reply names the second
// (HandoffQueueId, handoff_reply.h). Such an outcome is a hand-off when the
// named queue id has lines of its own in the same history; IsHandoff says so
// and OriginOf follows hand-offs back to the first queue id, whose submitter
// is the message's (the re-queued copy's "client" is the filter).
//
// Unbounded by design (one entry per message of the files read): for the
// check commands, never for the collector, whose bounded state is
// MessageTracer's. Not thread-safe.
#ifndef MAILREP_COLLECTORS_DELIVERY_MESSAGE_HISTORY_H_
#define MAILREP_COLLECTORS_DELIVERY_MESSAGE_HISTORY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "collectors/delivery/delivery_event.h"
#include "collectors/delivery/line_parser.h"
#include "collectors/delivery/message_trace.h"
#include "collectors/delivery/postfix_sending_ip.h"
#include "collectors/queue/queue_composition.h"

namespace mailrep {

// The submitter a log names, as a queue file's is named (SubmitterKind): the
// account (sasl) or local user (local), else the SMTP client's address
// (client), else unknown with an empty name. Views into the arguments.
std::pair<SubmitterKind, std::string_view> ResolveLoggedSubmitter(LoggedSubmitterKind kind,
                                                                  std::string_view submitter,
                                                                  std::string_view client_ip);

struct LoggedOutcome {
  uint64_t sequence = 0;  // order of the line among all lines added
  DeliveryStatus status = DeliveryStatus::kSent;
  std::string recipient;   // as logged; "" for a Postfix expiry (all its recipients)
  std::string sending_ip;  // the line's own or the Postfix tag's; "" when unknown
  std::string relay_host;
  std::string dsn;
  std::string reply;    // kept with Options::keep_replies only
  std::string handoff;  // the queue id the reply names (HandoffQueueId), or ""
};

struct LoggedMessage {
  std::string queue_id;
  MtaKind mta = MtaKind::kAuto;  // the MTA whose line named it first
  std::string message_id;        // without the angle brackets; "" when not logged
  LoggedSubmitterKind submitter_kind = LoggedSubmitterKind::kNone;
  std::string submitter;
  std::string client_ip;
  std::string sender_domain;  // lower-cased
  bool removed = false;
  bool has_lines = false;  // a line of the log named this queue id
  std::vector<LoggedOutcome> outcomes;
};

class MessageHistory {
 public:
  struct Options {
    bool keep_replies = true;
    const SendingIpMap* postfix_ips = nullptr;  // may be null: Postfix IPs unknown
  };
  explicit MessageHistory(Options options) : options_(options) {}

  // One parsed line: `result` and `event` (its outcome when kParsed) and
  // `trace` (what LineParser::Parse filled) from a parser whose last_mta()
  // was `mta`. Lines that name no message are skipped.
  void Add(MtaKind mta, LineResult result, const DeliveryEvent& event, const MessageTrace& trace);

  // In order of their first line.
  const std::vector<LoggedMessage>& messages() const { return messages_; }
  // nullptr when the queue id was never named.
  const LoggedMessage* Find(std::string_view queue_id) const;

  // True when `outcome` handed the message to a queue id of this history
  // that has lines of its own (so it is no delivery to a receiver).
  bool IsHandoff(const LoggedOutcome& outcome) const;
  // The first queue id of `message` through the hand-offs that led to it
  // (itself when none did).
  const LoggedMessage& OriginOf(const LoggedMessage& message) const;

 private:
  LoggedMessage& Entry(std::string_view queue_id, MtaKind mta);

  Options options_;
  uint64_t sequence_ = 0;
  std::vector<LoggedMessage> messages_;
  std::unordered_map<std::string, size_t> index_;
  std::unordered_map<std::string, std::string> handed_from_;  // target -> source queue id
};

// "<x@y>" -> "x@y"; other text as given.
std::string_view StripAngleBrackets(std::string_view message_id);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_MESSAGE_HISTORY_H_
