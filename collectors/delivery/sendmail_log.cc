#include "collectors/delivery/sendmail_log.h"

#include <cctype>

#include "collectors/delivery/log_text.h"

namespace mailrep {
namespace {

// "key=" at a field start of `fields`, up to the next ", ".
std::string_view Field(std::string_view fields, std::string_view key) {
  size_t pos = 0;
  while ((pos = fields.find(key, pos)) != std::string_view::npos) {
    if (pos == 0 || (pos >= 2 && fields.substr(pos - 2, 2) == ", ")) {
      std::string_view v = fields.substr(pos + key.size());
      return v.substr(0, v.find(", "));
    }
    pos += key.size();
  }
  return {};
}

// "6ARDc8NJ031561: rest" -> the queue id, `*rest` after ": "; "" if none.
std::string_view TakeQueueId(std::string_view message, std::string_view* rest) {
  size_t colon = message.find(": ");
  if (colon == std::string_view::npos || colon < 8 || colon > 24) return {};
  std::string_view id = message.substr(0, colon);
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return {};
  }
  *rest = message.substr(colon + 2);
  return id;
}

// The address in a relay= value: "mx.example. [192.0.2.7] (may be forged)",
// "[IPv6:2001:db8::7]" -> "192.0.2.7", "2001:db8::7"; "" if none.
std::string_view RelayAddress(std::string_view relay) {
  size_t open = relay.rfind('[');
  if (open == std::string_view::npos) return {};
  size_t close = relay.find(']', open);
  if (close == std::string_view::npos) return {};
  std::string_view ip = relay.substr(open + 1, close - open - 1);
  if (ip.starts_with("IPv6:")) ip.remove_prefix(5);
  return IsIpLiteral(ip) ? ip : std::string_view();
}

}  // namespace

bool SendmailTraceParser::Parse(std::string_view pid, std::string_view message,
                                MessageTrace* trace) {
  if (message.starts_with("AUTH=server, ")) {
    std::string_view fields = message.substr(13);
    std::string_view authid = Field(fields, "authid=");
    std::string_view ip = RelayAddress(Field(fields, "relay="));
    if (pid.empty() || authid.empty() || ip.empty()) return false;
    if (logins_.size() >= kMaxSessions && !logins_.contains(std::string(pid))) logins_.clear();
    Login& login = logins_[std::string(pid)];
    login.authid.assign(authid);
    login.client_ip.assign(ip);
    return false;
  }
  std::string_view rest;
  std::string_view id = TakeQueueId(message, &rest);
  if (id.empty()) return false;
  if (rest.starts_with("done; ")) {
    trace->queue_id = id;
    trace->removed = true;
    return true;
  }
  if (!rest.starts_with("from=")) return false;
  // relay= is the last field; the ones before it end at ", ".
  size_t relay_at = rest.rfind(", relay=");
  std::string_view relay =
      relay_at == std::string_view::npos ? std::string_view() : rest.substr(relay_at + 8);
  std::string_view fields = rest.substr(0, relay_at);
  std::string_view sender = Field(fields, "from=");
  if (sender.size() >= 2 && sender.front() == '<' && sender.back() == '>') {
    sender = sender.substr(1, sender.size() - 2);
  }
  trace->queue_id = id;
  trace->message_id = Field(fields, "msgid=");
  size_t at = sender.rfind('@');
  if (at != std::string_view::npos && at + 1 < sender.size()) {
    trace->sender_domain = sender.substr(at + 1);
  }
  trace->client_ip = RelayAddress(relay);
  if (!trace->client_ip.empty()) {
    auto it = pid.empty() ? logins_.end() : logins_.find(std::string(pid));
    // A pid is reused by later processes: the login counts only for its client.
    if (it != logins_.end() && it->second.client_ip == trace->client_ip) {
      trace->submitter = it->second.authid;
      trace->submitter_kind = LoggedSubmitterKind::kSasl;
    }
  } else if (size_t user_end = relay.find('@');
             user_end != std::string_view::npos && user_end > 0 &&
             relay.find_first_of(" [") == std::string_view::npos) {
    // "relay=alice@localhost": submitted on this host by alice.
    trace->submitter = relay.substr(0, user_end);
    trace->submitter_kind = LoggedSubmitterKind::kLocal;
  }
  return true;
}

LineResult ParseSendmailLine(std::string_view message, DeliveryEvent* event) {
  std::string_view rest;
  std::string_view id = TakeQueueId(message, &rest);
  if (id.empty()) return LineResult::kIgnored;
  if (rest.substr(0, 3) != "to=") return LineResult::kIgnored;
  // reply= may contain commas, so stat= is found from the right.
  size_t stat_pos = rest.rfind(", stat=");
  if (stat_pos == std::string_view::npos) return LineResult::kMalformed;
  std::string_view stat = rest.substr(stat_pos + 7);
  std::string_view fields = rest.substr(0, stat_pos + 2);
  size_t reply_pos = fields.find(", reply=");
  std::string_view reply;
  if (reply_pos != std::string_view::npos) {
    reply = fields.substr(reply_pos + 8, fields.size() - 2 - reply_pos - 8);
    fields = fields.substr(0, reply_pos + 2);
  }
  std::string_view mailer = Field(fields, "mailer=");
  if (mailer == "local" || mailer == "prog" || mailer.find("file") != std::string_view::npos) {
    return LineResult::kIgnored;
  }
  if (stat.substr(0, 6) == "queued") return LineResult::kIgnored;
  std::string_view dsn = Field(fields, "dsn=");
  DeliveryStatus status;
  if (stat.substr(0, 4) == "Sent") {
    status = DeliveryStatus::kSent;
  } else if (stat.substr(0, 8) == "Deferred") {
    status = DeliveryStatus::kDeferred;
  } else if (!dsn.empty() && dsn[0] == '5') {
    status = DeliveryStatus::kBounced;
  } else if (!dsn.empty() && dsn[0] == '4') {
    status = DeliveryStatus::kDeferred;
  } else {
    return LineResult::kIgnored;
  }
  event->Clear();
  event->mta = "sendmail";
  event->status = status;
  event->queue_id.assign(id);
  std::string_view to = Field(fields, "to=");
  event->recipient.assign(to.substr(0, to.find(',')));
  std::string_view relay = Field(fields, "relay=");
  if (!relay.empty()) {
    std::string_view name = relay.substr(0, relay.find(' '));
    size_t open = relay.rfind('[');
    size_t close = relay.rfind(']');
    if (open != std::string_view::npos && close != std::string_view::npos && close > open) {
      event->relay_ip.assign(relay.substr(open + 1, close - open - 1));
    }
    if (!name.empty() && name.front() == '[') {
      event->relay_host = event->relay_ip;
    } else {
      while (!name.empty() && name.back() == '.') name.remove_suffix(1);
      event->relay_host.assign(name);
    }
  }
  event->dsn.assign(dsn);
  if (status != DeliveryStatus::kSent) {
    if (!reply.empty()) {
      event->reply.assign(reply);
    } else {
      if (stat.substr(0, 10) == "Deferred: ") stat.remove_prefix(10);
      event->reply.assign(stat);
    }
  }
  if (std::optional<double> d = ParseClockDuration(Field(fields, "delay="))) {
    event->delay_seconds = *d;
  }
  return LineResult::kParsed;
}

}  // namespace mailrep
