#include "collectors/delivery/postfix_log.h"

#include <array>
#include <cstring>

#include "collectors/delivery/log_text.h"

namespace mailrep {
namespace {

constexpr std::array<bool, 256> kQueueIdChars = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[c] = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }
  return t;
}();

bool IsQueueIdChar(char c) { return kQueueIdChars[static_cast<unsigned char>(c)]; }

// The last ", status=" in `s` (string_view::rfind compares at every offset).
size_t FindLastStatus(std::string_view s) {
  static constexpr std::string_view kKey = ", status=";
  size_t end = s.size();
  while (end >= kKey.size()) {
    const void* hit = memrchr(s.data(), ',', end - kKey.size() + 1);
    if (hit == nullptr) break;
    size_t pos = static_cast<size_t>(static_cast<const char*>(hit) - s.data());
    if (s.substr(pos, kKey.size()) == kKey) return pos;
    end = pos + kKey.size() - 1;
  }
  return std::string_view::npos;
}

// "ID: rest" -> id; empty when the message does not start with a queue id.
std::string_view TakeQueueId(std::string_view* message) {
  size_t i = 0;
  while (i < message->size() && i < 32 && IsQueueIdChar((*message)[i])) ++i;
  if (i < 5 || message->substr(i, 2) != ": ") return {};
  std::string_view id = message->substr(0, i);
  message->remove_prefix(i + 2);
  return id;
}

// Where the ", "-separated field of `fields` that begins at `start` ends:
// the position of its ", ", or fields.size() for the last field. A comma
// without a space after it belongs to the field.
size_t FieldEnd(std::string_view fields, size_t start) {
  size_t end = start;
  while (true) {
    const void* hit = std::memchr(fields.data() + end, ',', fields.size() - end);
    if (hit == nullptr) return fields.size();
    end = static_cast<size_t>(static_cast<const char*>(hit) - fields.data());
    if (end + 1 < fields.size() && fields[end + 1] == ' ') return end;
    ++end;
  }
}

// relay=, dsn= and delay= of a delivery line's fields, in one pass: the first
// field starting with each key; empty when absent.
struct DeliveryFields {
  std::string_view relay, dsn, delay;
};
DeliveryFields SplitDeliveryFields(std::string_view fields) {
  DeliveryFields out;
  bool relay = false, dsn = false, delay = false;
  size_t start = 0;
  while (true) {
    size_t end = FieldEnd(fields, start);
    std::string_view field = fields.substr(start, end - start);
    if (!relay && field.starts_with("relay=")) {
      out.relay = field.substr(6);
      relay = true;
    } else if (!dsn && field.starts_with("dsn=")) {
      out.dsn = field.substr(4);
      dsn = true;
    } else if (!delay && field.starts_with("delay=")) {
      out.delay = field.substr(6);
      delay = true;
    }
    if (end >= fields.size()) return out;
    start = end + 2;
  }
}

}  // namespace

namespace {

// The address in smtpd's "client=name[address]" (or "name[address]:port"),
// or empty when there is none or it is "unknown".
std::string_view ClientAddress(std::string_view client) {
  size_t open = client.find('[');
  if (open == std::string_view::npos) return {};
  size_t close = client.find(']', open);
  if (close == std::string_view::npos) return {};
  std::string_view ip = client.substr(open + 1, close - open - 1);
  return ip == "unknown" ? std::string_view() : ip;
}

}  // namespace

namespace {

// The Postfix programs whose lines either parser reads; kOther for the rest.
enum class Program { kOther, kSmtp, kHeldBack, kQmgr, kCleanup, kSmtpd, kPickup };

Program ProgramOf(std::string_view program) {
  if (program == "smtp") return Program::kSmtp;
  if (program == "qmgr") return Program::kQmgr;
  if (program == "smtpd") return Program::kSmtpd;
  if (program == "cleanup") return Program::kCleanup;
  if (program == "pickup") return Program::kPickup;
  if (program == "error" || program == "retry") return Program::kHeldBack;
  return Program::kOther;
}

// The first ", "-separated field of `fields` at or after `start` (a field
// start) that begins with `key`, without the key; empty when there is none.
std::string_view FieldFrom(std::string_view fields, size_t start, std::string_view key) {
  while (start <= fields.size()) {
    size_t end = FieldEnd(fields, start);
    std::string_view field = fields.substr(start, end - start);
    if (field.starts_with(key)) return field.substr(key.size());
    if (end >= fields.size()) break;
    start = end + 2;
  }
  return {};
}

// The parts of ParsePostfixTrace after the program and queue id: `rest` is
// the message after "QID: ". False, with `*trace` as ParsePostfixTrace leaves it.
bool TraceCleanup(std::string_view rest, MessageTrace* trace) {
  if (!rest.starts_with("message-id=")) return false;
  trace->message_id = rest.substr(11);
  return true;
}

bool TraceSmtpd(std::string_view rest, MessageTrace* trace) {
  if (!rest.starts_with("client=")) return false;
  // The client= field is the first; sasl_username= follows it, if logged.
  std::string_view client = rest.substr(7, rest.find(", ") - 7);
  trace->client_ip = ClientAddress(client);
  size_t next = client.size() + 7 + 2;
  trace->submitter = FieldFrom(rest, next, "sasl_username=");
  if (!trace->submitter.empty()) trace->submitter_kind = LoggedSubmitterKind::kSasl;
  return !trace->submitter.empty() || !trace->client_ip.empty();
}

bool TracePickup(std::string_view rest, MessageTrace* trace) {
  if (!rest.starts_with("uid=")) return false;
  trace->submitter = rest.substr(0, rest.find(' '));
  trace->submitter_kind = LoggedSubmitterKind::kLocal;
  return true;
}

// qmgr's "from=<sender>, size=N, nrcpt=N (queue active)" (`from` the value of
// its first field) or "removed".
bool TraceQmgr(std::string_view rest, std::string_view from, MessageTrace* trace) {
  if (rest.starts_with("from=")) {
    if (from.size() < 2 || from.front() != '<' || from.back() != '>') return false;
    std::string_view sender = from.substr(1, from.size() - 2);
    size_t at = sender.rfind('@');
    if (at == std::string_view::npos || at + 1 == sender.size()) return false;
    trace->sender_domain = sender.substr(at + 1);
    return true;
  }
  if (rest != "removed") return false;
  trace->removed = true;
  return true;
}

// The value of the first field of a message starting with "from=".
std::string_view QmgrFrom(std::string_view rest) { return rest.substr(5, rest.find(", ") - 5); }

// qmgr "from=<..>, status=expired|force-expired, ...": fills `*event`.
bool QmgrExpired(std::string_view tag, std::string_view queue_id, std::string_view rest,
                 std::string_view from, DeliveryEvent* event) {
  if (!rest.starts_with("from=")) return false;
  size_t next = 5 + from.size() + 2;  // the first field starts with from=, not status=
  std::string_view status = FieldFrom(rest, next, "status=");
  if (status != "expired" && status != "force-expired") return false;
  event->Clear();
  event->mta = "postfix";
  event->status = DeliveryStatus::kExpired;
  event->syslog_tag.assign(tag);
  event->queue_id.assign(queue_id);
  event->reply = "message expired";
  return true;
}

// An smtp, error or retry line's outcome; `rest` follows "QID: ".
LineResult ParseOutcome(std::string_view tag, bool held_back, std::string_view queue_id,
                        std::string_view rest, DeliveryEvent* event) {
  if (rest.substr(0, 4) != "to=<") return LineResult::kIgnored;
  size_t status_pos = FindLastStatus(rest);
  if (status_pos == std::string_view::npos) return LineResult::kMalformed;
  size_t rcpt_end = rest.find(">, ");
  if (rcpt_end == std::string_view::npos || rcpt_end > status_pos) return LineResult::kMalformed;
  std::string_view fields = rest.substr(rcpt_end + 3, status_pos - rcpt_end - 3 + 2);
  std::string_view status_text = rest.substr(status_pos + 9);
  size_t space = status_text.find(' ');
  std::string_view status = status_text.substr(0, space);
  std::string_view text;
  if (space != std::string_view::npos) {
    text = status_text.substr(space + 1);
    if (text.size() >= 2 && text.front() == '(' && text.back() == ')') {
      text = text.substr(1, text.size() - 2);
    }
  }

  DeliveryStatus st;
  if (status == "sent") {
    st = DeliveryStatus::kSent;
  } else if (status == "deferred" || status == "SOFTBOUNCE") {
    st = DeliveryStatus::kDeferred;
  } else if (status == "bounced") {
    st = DeliveryStatus::kBounced;
  } else if (status == "expired") {
    st = DeliveryStatus::kExpired;
  } else if (status == "deliverable" || status == "undeliverable") {
    return LineResult::kIgnored;  // address verification probes
  } else {
    return LineResult::kMalformed;
  }
  if (held_back && st != DeliveryStatus::kDeferred) return LineResult::kIgnored;

  DeliveryFields f = SplitDeliveryFields(fields);
  std::string_view relay = f.relay;
  if (relay.empty()) return LineResult::kMalformed;

  event->Clear();
  event->mta = "postfix";
  event->status = st;
  event->syslog_tag.assign(tag);
  event->recipient.assign(rest.substr(4, rcpt_end - 4));
  event->queue_id.assign(queue_id);
  if (relay != "none") SplitHostIp(relay, &event->relay_host, &event->relay_ip);
  event->dsn.assign(f.dsn);
  event->reply.assign(text);
  if (std::optional<double> d = ParseSeconds(f.delay)) {
    event->delay_seconds = *d;
  }
  return LineResult::kParsed;
}

}  // namespace

namespace {

// What a cleanup, smtpd, pickup or qmgr line (`rest`: after its queue id;
// `qmgr_from`: qmgr's from= value or empty) fills in `*trace`; false for
// other programs and for lines that name nothing.
bool TraceProgramLine(Program program, std::string_view rest, std::string_view qmgr_from,
                      MessageTrace* trace) {
  switch (program) {
    case Program::kCleanup:
      return TraceCleanup(rest, trace);
    case Program::kSmtpd:
      return TraceSmtpd(rest, trace);
    case Program::kPickup:
      return TracePickup(rest, trace);
    case Program::kQmgr:
      return TraceQmgr(rest, qmgr_from, trace);
    default:
      return false;
  }
}

std::string_view QmgrFromOf(Program program, std::string_view rest) {
  return program == Program::kQmgr && rest.starts_with("from=") ? QmgrFrom(rest)
                                                                : std::string_view();
}

}  // namespace

bool ParsePostfixTrace(std::string_view tag, std::string_view message, MessageTrace* trace) {
  size_t slash = tag.rfind('/');
  if (slash == std::string_view::npos) return false;
  Program program = ProgramOf(tag.substr(slash + 1));
  std::string_view rest = message;
  std::string_view queue_id = TakeQueueId(&rest);
  if (queue_id.empty()) return false;
  // Expired qmgr lines are delivery events (ParsePostfixLine); this reads
  // their sender all the same.
  bool ok = TraceProgramLine(program, rest, QmgrFromOf(program, rest), trace);
  if (ok) trace->queue_id = queue_id;
  return ok;
}

bool IsPostfixTag(std::string_view tag) {
  size_t slash = tag.rfind('/');
  return slash != std::string_view::npos && slash > 0 && slash + 1 < tag.size();
}

LineResult ParsePostfixLine(std::string_view tag, std::string_view message, DeliveryEvent* event) {
  return ParsePostfixLineOrTrace(tag, message, event, nullptr);
}

LineResult ParsePostfixLineOrTrace(std::string_view tag, std::string_view message,
                                   DeliveryEvent* event, MessageTrace* trace) {
  size_t slash = tag.rfind('/');
  if (slash == std::string_view::npos) return LineResult::kIgnored;
  // smtp: outbound. error/retry: mail held back without a connection (the
  // destination is marked down, defer_transports, a retry: next hop); its
  // deferrals are outbound outcomes, its bounces are address errors such as
  // "User unknown in virtual alias table" and are not. lmtp, local, virtual,
  // pipe and discard deliver into this system (mail store, command, nowhere).
  // smtpd, cleanup and pickup lines are trace lines only.
  Program program = ProgramOf(tag.substr(slash + 1));
  // A tag "/program" (under a fixed --mta) is no delivery program's.
  bool delivery = slash > 0 && (program == Program::kSmtp || program == Program::kHeldBack ||
                                program == Program::kQmgr);
  bool traced = trace != nullptr && (program == Program::kCleanup || program == Program::kSmtpd ||
                                     program == Program::kPickup || program == Program::kQmgr);
  if (!delivery && !traced) return LineResult::kIgnored;

  std::string_view rest = message;
  std::string_view queue_id = TakeQueueId(&rest);
  if (queue_id.empty()) return LineResult::kIgnored;

  if (program == Program::kSmtp || program == Program::kHeldBack) {
    return ParseOutcome(tag, program == Program::kHeldBack, queue_id, rest, event);
  }
  std::string_view from = QmgrFromOf(program, rest);
  if (program == Program::kQmgr && delivery && QmgrExpired(tag, queue_id, rest, from, event)) {
    return LineResult::kParsed;
  }
  bool ok = traced && TraceProgramLine(program, rest, from, trace);
  if (ok) trace->queue_id = queue_id;
  return LineResult::kIgnored;
}

}  // namespace mailrep
