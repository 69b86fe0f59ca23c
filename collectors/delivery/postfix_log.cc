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

// Value of "key=" at a field start in `fields` (", "-separated), up to the next ", ".
std::string_view FieldValue(std::string_view fields, std::string_view key) {
  size_t pos = 0;
  while (true) {
    pos = fields.find(key, pos);
    if (pos == std::string_view::npos) return {};
    if (pos == 0 || (pos >= 2 && fields.substr(pos - 2, 2) == ", ")) break;
    pos += key.size();
  }
  std::string_view value = fields.substr(pos + key.size());
  return value.substr(0, value.find(", "));
}

// relay=, dsn= and delay= of a delivery line's fields, in one pass: the first
// field starting with each key (as FieldValue finds it); empty when absent.
struct DeliveryFields {
  std::string_view relay, dsn, delay;
};
DeliveryFields SplitDeliveryFields(std::string_view fields) {
  DeliveryFields out;
  bool relay = false, dsn = false, delay = false;
  size_t start = 0;
  while (true) {
    size_t end = start;
    while (true) {
      const void* hit = std::memchr(fields.data() + end, ',', fields.size() - end);
      if (hit == nullptr) {
        end = fields.size();
        break;
      }
      end = static_cast<size_t>(static_cast<const char*>(hit) - fields.data());
      if (end + 1 < fields.size() && fields[end + 1] == ' ') break;
      ++end;
    }
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

bool ParsePostfixTrace(std::string_view tag, std::string_view message, MessageTrace* trace) {
  size_t slash = tag.rfind('/');
  if (slash == std::string_view::npos) return false;
  std::string_view program = tag.substr(slash + 1);
  if (program != "cleanup" && program != "smtpd" && program != "pickup" && program != "qmgr") {
    return false;
  }
  std::string_view rest = message;
  std::string_view queue_id = TakeQueueId(&rest);
  if (queue_id.empty()) return false;
  if (program == "cleanup") {
    if (!rest.starts_with("message-id=")) return false;
    trace->message_id = rest.substr(11);
  } else if (program == "smtpd") {
    if (!rest.starts_with("client=")) return false;
    trace->client_ip = ClientAddress(FieldValue(rest, "client="));
    trace->submitter = FieldValue(rest, "sasl_username=");
    if (!trace->submitter.empty()) trace->submitter_kind = LoggedSubmitterKind::kSasl;
    if (trace->submitter.empty() && trace->client_ip.empty()) return false;
  } else if (program == "pickup") {
    if (!rest.starts_with("uid=")) return false;
    trace->submitter = rest.substr(0, rest.find(' '));
    trace->submitter_kind = LoggedSubmitterKind::kLocal;
  } else if (rest.starts_with("from=")) {
    // "from=<sender>, size=N, nrcpt=N (queue active)"; expired ones are
    // delivery events (ParsePostfixLine) and never get here.
    std::string_view sender = FieldValue(rest, "from=");
    if (sender.size() < 2 || sender.front() != '<' || sender.back() != '>') return false;
    sender = sender.substr(1, sender.size() - 2);
    size_t at = sender.rfind('@');
    if (at == std::string_view::npos || at + 1 == sender.size()) return false;
    trace->sender_domain = sender.substr(at + 1);
  } else {
    if (rest != "removed") return false;
    trace->removed = true;
  }
  trace->queue_id = queue_id;
  return true;
}

bool IsPostfixTag(std::string_view tag) {
  size_t slash = tag.rfind('/');
  return slash != std::string_view::npos && slash > 0 && slash + 1 < tag.size();
}

LineResult ParsePostfixLine(std::string_view tag, std::string_view message, DeliveryEvent* event) {
  size_t slash = tag.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return LineResult::kIgnored;
  std::string_view program = tag.substr(slash + 1);
  // smtp: outbound. error/retry: mail held back without a connection (the
  // destination is marked down, defer_transports, a retry: next hop); its
  // deferrals are outbound outcomes, its bounces are address errors such as
  // "User unknown in virtual alias table" and are not. lmtp, local, virtual,
  // pipe and discard deliver into this system (mail store, command, nowhere).
  bool held_back = program == "error" || program == "retry";
  if (program != "smtp" && !held_back && program != "qmgr") return LineResult::kIgnored;

  std::string_view rest = message;
  std::string_view queue_id = TakeQueueId(&rest);
  if (queue_id.empty()) return LineResult::kIgnored;

  if (program == "qmgr") {
    if (rest.substr(0, 5) != "from=") return LineResult::kIgnored;
    std::string_view status = FieldValue(rest, "status=");
    if (status != "expired" && status != "force-expired") return LineResult::kIgnored;
    event->Clear();
    event->mta = "postfix";
    event->status = DeliveryStatus::kExpired;
    event->syslog_tag.assign(tag);
    event->queue_id.assign(queue_id);
    event->reply = "message expired";
    return LineResult::kParsed;
  }

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

}  // namespace mailrep
